"""The words of the human verification pages in nl, fr and en, and what every page needs."""

from datetime import datetime

from babel.dates import format_date

from learning.brussels import TIMEZONE

LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English"}

TEXTS = {
    "nl": {
        "verification": "Badge verifiëren",
        "valid": "Geldig",
        "valid_detail": "Deze badge werd echt uitgereikt door {issuer} en is niet ingetrokken.",
        "revoked": "Ingetrokken",
        "revoked_detail": "{issuer} heeft deze badge ingetrokken op {date}.",
        "reason": "Reden",
        "awarded_to": "Uitgereikt aan",
        "hidden_name": "De ontvanger koos ervoor de naam niet te tonen.",
        "issued_on": "Uitgereikt op",
        "issuer": "Uitgever",
        "criteria": "Criteria",
        "certificate": "Certificaatnummer",
        "badge": "Badge",
        "machine": "Voor machines: dezelfde URL geeft Open Badges 2.0 (JSON-LD).",
        "issuer_page": "Uitgever van Open Badges",
        "website": "Website",
        "contact": "Contact",
    },
    "fr": {
        "verification": "Vérification du badge",
        "valid": "Valide",
        "valid_detail": "Ce badge a bien été délivré par {issuer} et n'a pas été révoqué.",
        "revoked": "Révoqué",
        "revoked_detail": "{issuer} a révoqué ce badge le {date}.",
        "reason": "Motif",
        "awarded_to": "Délivré à",
        "hidden_name": "La personne a choisi de ne pas montrer son nom.",
        "issued_on": "Délivré le",
        "issuer": "Émetteur",
        "criteria": "Critères",
        "certificate": "Numéro de certificat",
        "badge": "Badge",
        "machine": "Pour les machines : la même URL répond en Open Badges 2.0 (JSON-LD).",
        "issuer_page": "Émetteur d'Open Badges",
        "website": "Site web",
        "contact": "Contact",
    },
    "en": {
        "verification": "Badge verification",
        "valid": "Valid",
        "valid_detail": "This badge was really awarded by {issuer} and has not been revoked.",
        "revoked": "Revoked",
        "revoked_detail": "{issuer} revoked this badge on {date}.",
        "reason": "Reason",
        "awarded_to": "Awarded to",
        "hidden_name": "The recipient chose not to show their name.",
        "issued_on": "Issued on",
        "issuer": "Issuer",
        "criteria": "Criteria",
        "certificate": "Certificate number",
        "badge": "Badge",
        "machine": "For machines: the same URL answers Open Badges 2.0 (JSON-LD).",
        "issuer_page": "Open Badges issuer",
        "website": "Website",
        "contact": "Contact",
    },
}


def local_date(moment: datetime, language: str) -> str:
    """A day as people in Brussels say it: 2 maart 2026, 2 mars 2026, 2 March 2026."""
    return format_date(moment.astimezone(TIMEZONE).date(), "long", locale=language)


def context(language: str, **dates: datetime | None) -> dict:
    """The template variables every page shares, with the given moments as local dates."""
    return {
        "language": language,
        "languages": LANGUAGE_NAMES,
        "text": TEXTS[language],
        "dates": {name: local_date(moment, language) for name, moment in dates.items() if moment},
    }
