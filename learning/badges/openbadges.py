"""Open Badges 2.0 documents: the issuer Profile, BadgeClasses, hosted Assertions and the
RevocationList, with absolute ids built from PUBLIC_BASE_URL.

The dictionaries use Python names; the schemas in schemas.py give them their JSON-LD keys
(`@context`, `issuedOn`, `revocationList`...).
"""

from flask import current_app

from learning.badges.models import BadgeAssertion

CONTEXT = "https://w3id.org/openbadges/v2"

ISSUER_DESCRIPTION = {
    "nl": "carbonlit, het programma voor klimaatgeletterdheid in het Brussels Hoofdstedelijk "
    "Gewest: lessen, leerkringen, acties en het certificaat Carbon Literate.",
    "fr": "carbonlit, le programme de littératie carbone de la Région de Bruxelles-Capitale : "
    "leçons, cercles d'apprentissage, actions et le certificat Carbon Literate.",
    "en": "carbonlit, the carbon literacy programme of the Brussels-Capital Region: lessons, "
    "learning circles, actions and the Carbon Literate certificate.",
}

EVIDENCE = {
    "nl": {
        "name": "Certificaat Carbon Literate {number}",
        "narrative": "Een assessor las de reflectie van deze persoon en haar twee beloofde acties "
        "(een persoonlijke en een waarbij anderen betrokken zijn) en keurde het certificaat "
        "{number} goed.",
    },
    "fr": {
        "name": "Certificat Carbon Literate {number}",
        "narrative": "Un évaluateur a lu la réflexion de cette personne et ses deux actions "
        "promises (une personnelle et une qui implique d'autres personnes), et a approuvé le "
        "certificat {number}.",
    },
    "en": {
        "name": "Carbon Literate certificate {number}",
        "narrative": "An assessor read this person's reflection and their two pledged actions "
        "(one personal, one involving other people) and approved certificate {number}.",
    },
}


def base_url() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def issuer_url() -> str:
    return f"{base_url()}/ob/issuer"


def badge_url(slug: str) -> str:
    return f"{base_url()}/ob/badges/{slug}"


def image_url(slug: str) -> str:
    return f"{base_url()}/ob/badges/{slug}/image.svg"


def assertion_url(assertion_id: str) -> str:
    return f"{base_url()}/ob/assertions/{assertion_id}"


def revocations_url() -> str:
    return f"{base_url()}/ob/revocations"


def issuer_profile(*, language: str) -> dict:
    config = current_app.config
    return {
        "context": CONTEXT,
        "type": "Profile",
        "id": issuer_url(),
        "name": config["BADGE_ISSUER_NAME"],
        "url": config["BADGE_ISSUER_URL"] or base_url(),
        "email": config["BADGE_ISSUER_EMAIL"],
        "description": ISSUER_DESCRIPTION[language],
        "revocation_list": revocations_url(),
        "language": language,
    }


def badge_class(badge: dict, *, language: str) -> dict:
    return {
        "context": CONTEXT,
        "type": "BadgeClass",
        "id": badge_url(badge["slug"]),
        "name": badge["name"][language],
        "description": badge["description"][language],
        "image": image_url(badge["slug"]),
        "criteria": {"narrative": badge["criteria"][language]},
        "issuer": issuer_url(),
        "language": language,
    }


def evidence(number: str, *, language: str) -> dict:
    texts = EVIDENCE[language]
    return {
        "type": "Evidence",
        "name": texts["name"].format(number=number),
        "narrative": texts["narrative"].format(number=number),
        "genre": "Certificate",
    }


def assertion(row: BadgeAssertion, *, language: str) -> dict:
    """A hosted assertion as it stands (revoked ones answer revoked_assertion instead)."""
    document = {
        "context": CONTEXT,
        "type": "Assertion",
        "id": assertion_url(row.id),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": row.recipient_salt,
            "identity": row.recipient_identity,
        },
        "badge": badge_url(row.badge_slug),
        "image": image_url(row.badge_slug),
        "issued_on": row.issued_on,
        "verification": {"type": "hosted"},
        "language": language,
    }
    if row.certificate_number:
        document["evidence"] = [evidence(row.certificate_number, language=language)]
    return document


def revoked_assertion(row: BadgeAssertion) -> dict:
    """What a revoked hosted assertion answers, with 410 Gone, as the specification says."""
    return {
        "context": CONTEXT,
        "type": "Assertion",
        "id": assertion_url(row.id),
        "revoked": True,
        "revocation_reason": row.revocation_reason,
    }


def revocation_list(rows: list[BadgeAssertion]) -> dict:
    return {
        "context": CONTEXT,
        "type": "RevocationList",
        "id": revocations_url(),
        "issuer": issuer_url(),
        "revoked_assertions": [
            {"id": assertion_url(row.id), "revocation_reason": row.revocation_reason}
            for row in rows
        ],
    }
