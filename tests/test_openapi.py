"""The OpenAPI document and the offline interactive docs."""

import re


def test_the_document_is_openapi_3_and_lists_the_accounts_paths(client):
    spec = client.get("/api/openapi.json").json

    assert spec["openapi"].startswith("3.")
    for path in ("/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/me", "/healthz"):
        assert path in spec["paths"]


def test_every_operation_documents_its_success_and_error_answers(client):
    spec = client.get("/api/openapi.json").json

    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            statuses = set(operation["responses"])
            assert any(s.startswith("2") for s in statuses), (method, path)
            assert "default" in statuses, (method, path)


def test_errors_are_documented_as_problem_json(client):
    spec = client.get("/api/openapi.json").json

    unauthorized = spec["components"]["responses"]["UNAUTHORIZED"]
    assert "application/problem+json" in unauthorized["content"]


def test_protected_operations_declare_bearer_auth(client):
    spec = client.get("/api/openapi.json").json

    me = spec["paths"]["/api/v1/me"]["get"]
    assert me["security"] == [{"bearerAuth": []}]
    assert "401" in me["responses"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_the_docs_page_loads_only_local_assets(client):
    page = client.get("/api/docs")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    for source in sources:
        assert source.startswith("/"), source
        with client.get(source) as asset:
            assert asset.status_code == 200, source
    assert "<script>" not in html
