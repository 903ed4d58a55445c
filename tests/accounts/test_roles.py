"""Admins grant and remove roles; role checks are one line in a route."""


def test_an_admin_grants_roles(client, auth_headers, make_user):
    learner_id, _ = make_user()

    response = client.put(
        f"/api/v1/users/{learner_id}/roles",
        json={"roles": ["teacher", "author"]},
        headers=auth_headers("admin"),
    )

    assert response.status_code == 200
    assert response.json["roles"] == ["learner", "teacher", "author"]


def test_an_admin_removes_roles(client, auth_headers, make_user):
    user_id, _ = make_user(roles=["teacher", "assessor"])

    response = client.put(
        f"/api/v1/users/{user_id}/roles",
        json={"roles": ["assessor"]},
        headers=auth_headers("admin"),
    )

    assert response.json["roles"] == ["learner", "assessor"]


def test_granted_roles_take_effect_on_the_next_request(client, auth_headers, make_user, login):
    user_id, email = make_user()
    user_headers = {"Authorization": f"Bearer {login(email)['access_token']}"}
    admin = auth_headers("admin")
    other_id, _ = make_user()

    before = client.put(f"/api/v1/users/{other_id}/roles", json={"roles": []}, headers=user_headers)
    client.put(f"/api/v1/users/{user_id}/roles", json={"roles": ["admin"]}, headers=admin)
    after = client.put(f"/api/v1/users/{other_id}/roles", json={"roles": []}, headers=user_headers)

    assert before.status_code == 403
    assert after.status_code == 200


def test_non_admins_are_forbidden(client, auth_headers, make_user):
    user_id, _ = make_user()

    response = client.put(
        f"/api/v1/users/{user_id}/roles", json={"roles": ["admin"]}, headers=auth_headers("teacher")
    )

    assert response.status_code == 403
    assert response.content_type == "application/problem+json"


def test_unknown_roles_and_users_are_refused(client, auth_headers):
    admin = auth_headers("admin")

    unknown_role = client.put("/api/v1/users/1/roles", json={"roles": ["king"]}, headers=admin)
    unknown_user = client.put("/api/v1/users/999999/roles", json={"roles": []}, headers=admin)

    assert unknown_role.status_code == 422
    assert unknown_user.status_code == 404


def test_the_last_admin_cannot_be_removed(client, make_user, login):
    admin_id, email = make_user(roles=["admin"])
    headers = {"Authorization": f"Bearer {login(email)['access_token']}"}

    response = client.put(f"/api/v1/users/{admin_id}/roles", json={"roles": []}, headers=headers)

    assert response.status_code == 409
