"""What the certification says to learners, through the outbox and on the certificate, in
Dutch, French and English."""

from datetime import datetime

from babel.dates import format_date

from learning.brussels import TIMEZONE

APPROVED, CHANGES_REQUESTED = "certification_approved", "certification_changes_requested"

# (subject, body) by kind and language.
NOTIFICATIONS: dict[str, dict[str, tuple[str, str]]] = {
    APPROVED: {
        "nl": (
            "Je bent Carbon Literate: certificaat {number}",
            "Proficiat! Een assessor keurde je certificering voor {course} goed. Je certificaat "
            "heeft het nummer {number}; iedereen kan het verifiëren op {url}. Je vindt je "
            "certificaat om af te drukken en je badge in de app.",
        ),
        "fr": (
            "Vous êtes Carbon Literate : certificat {number}",
            "Félicitations ! Un évaluateur a approuvé votre certification pour {course}. Votre "
            "certificat porte le numéro {number} ; chacun peut le vérifier sur {url}. Votre "
            "certificat à imprimer et votre badge sont dans l'application.",
        ),
        "en": (
            "You are Carbon Literate: certificate {number}",
            "Congratulations! An assessor approved your certification for {course}. Your "
            "certificate has the number {number}; anyone can verify it at {url}. Your printable "
            "certificate and your badge are in the app.",
        ),
    },
    CHANGES_REQUESTED: {
        "nl": (
            "Je certificering voor {course}: nog een paar aanpassingen",
            "Een assessor las je certificering voor {course} en vraagt je om ze aan te passen:"
            "\n\n{comment}\n\nPas je antwoorden aan in de app en dien opnieuw in.",
        ),
        "fr": (
            "Votre certification pour {course} : encore quelques modifications",
            "Un évaluateur a lu votre certification pour {course} et vous demande de la "
            "modifier :\n\n{comment}\n\nModifiez vos réponses dans l'application et "
            "soumettez-les à nouveau.",
        ),
        "en": (
            "Your certification for {course}: a few changes to make",
            "An assessor read your certification for {course} and asks you to change it:"
            "\n\n{comment}\n\nEdit your answers in the app and submit them again.",
        ),
    },
}

CERTIFICATE = {
    "nl": {
        "title": "Certificaat",
        "badge": "Carbon Literate",
        "statement": "werkte de cursus {course} af, engageerde zich voor twee klimaatacties en "
        "werd door een assessor gecertificeerd als Carbon Literate.",
        "date": "Datum",
        "number": "Certificaatnummer",
        "verify": "Verifieer dit certificaat",
        "issuer": "Uitgereikt door {issuer}",
    },
    "fr": {
        "title": "Certificat",
        "badge": "Carbon Literate",
        "statement": "a suivi le cours {course}, s'est engagé·e à deux actions pour le climat "
        "et a été certifié·e Carbon Literate par un évaluateur.",
        "date": "Date",
        "number": "Numéro du certificat",
        "verify": "Vérifier ce certificat",
        "issuer": "Délivré par {issuer}",
    },
    "en": {
        "title": "Certificate",
        "badge": "Carbon Literate",
        "statement": "completed the course {course}, pledged two climate actions and was "
        "certified Carbon Literate by an assessor.",
        "date": "Date",
        "number": "Certificate number",
        "verify": "Verify this certificate",
        "issuer": "Issued by {issuer}",
    },
}


def local_date(moment: datetime, language: str) -> str:
    """A day as people in Brussels write it: 2 maart 2026, 2 mars 2026, 2 March 2026."""
    return format_date(moment.astimezone(TIMEZONE).date(), "long", locale=language)


def notification(kind: str, *, titles: dict[str, str], **values) -> tuple[dict, dict]:
    """(subject, body) by language; the course's title in each language, else its first."""
    subjects, bodies = {}, {}
    for language, (subject, body) in NOTIFICATIONS[kind].items():
        course = titles.get(language) or next(iter(titles.values()))
        subjects[language] = subject.format(course=course, **values)
        bodies[language] = body.format(course=course, **values)
    return subjects, bodies
