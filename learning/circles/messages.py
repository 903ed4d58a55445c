"""What circles tell people through the outbox, in Dutch, French and English."""

from datetime import datetime

from babel.dates import format_date, format_time

from learning.brussels import TIMEZONE

REMINDER, MOVED, PROMOTED, WELCOME = (
    "circle_reminder",
    "circle_meeting_moved",
    "circle_waitlist_promoted",
    "circle_welcome",
)

# (subject, body) by kind and language; bodies end with the place, added by render().
TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    REMINDER: {
        "nl": (
            "Herinnering: {title}, bijeenkomst {number}",
            "Bijeenkomst {number} van je leercirkel {title} is op {when}.",
        ),
        "fr": (
            "Rappel : {title}, rencontre {number}",
            "La rencontre {number} de votre cercle d'apprentissage {title} a lieu le {when}.",
        ),
        "en": (
            "Reminder: {title}, meeting {number}",
            "Meeting {number} of your learning circle {title} is on {when}.",
        ),
    },
    MOVED: {
        "nl": (
            "Verplaatst: {title}, bijeenkomst {number}",
            "Bijeenkomst {number} van {title} is verplaatst van {was} naar {when}. "
            "De andere bijeenkomsten blijven zoals gepland.",
        ),
        "fr": (
            "Déplacée : {title}, rencontre {number}",
            "La rencontre {number} de {title} est déplacée du {was} au {when}. "
            "Les autres rencontres ne changent pas.",
        ),
        "en": (
            "Moved: {title}, meeting {number}",
            "Meeting {number} of {title} has moved from {was} to {when}. "
            "The other meetings stay as planned.",
        ),
    },
    PROMOTED: {
        "nl": (
            "Er is een plaats vrij voor jou in {title}",
            "Je stond op de wachtlijst van {title} en hebt nu een plaats. "
            "De volgende bijeenkomst is op {when}.",
        ),
        "fr": (
            "Une place s'est libérée pour vous dans {title}",
            "Vous étiez sur la liste d'attente de {title} et vous avez maintenant une place. "
            "La prochaine rencontre a lieu le {when}.",
        ),
        "en": (
            "A seat is yours in {title}",
            "You were on the waitlist of {title} and now have a seat. "
            "The next meeting is on {when}.",
        ),
    },
    WELCOME: {
        "nl": (
            "Welkom in {title}",
            "Welkom in de leercirkel {title}. De volgende bijeenkomst is op {when}.",
        ),
        "fr": (
            "Bienvenue dans {title}",
            "Bienvenue dans le cercle d'apprentissage {title}. "
            "La prochaine rencontre a lieu le {when}.",
        ),
        "en": (
            "Welcome to {title}",
            "Welcome to the learning circle {title}. The next meeting is on {when}.",
        ),
    },
}

PLACE = {
    "nl": ("Waar: {place}", "Online: {place}"),
    "fr": ("Où : {place}", "En ligne : {place}"),
    "en": ("Where: {place}", "Online: {place}"),
}


def when(moment: datetime, language: str) -> str:
    """A meeting's time as people in Brussels read it, in their language."""
    local = moment.astimezone(TIMEZONE)
    return (
        f"{format_date(local, 'full', locale=language)} "
        f"{format_time(local, 'short', locale=language)}"
    )


def render(
    kind: str,
    language: str,
    *,
    title: str,
    venue: str | None,
    online_url: str | None,
    **moments,
) -> tuple[dict[str, str], dict[str, str]]:
    """(subject, body) of one message, each keyed by its language as the outbox takes them.

    moments: `number` and times (`when`, `was`) the text names; times are formatted here.
    """
    subject, body = TEXTS[kind][language]
    values = {
        key: when(value, language) if isinstance(value, datetime) else value
        for key, value in moments.items()
    }
    lines = [body.format(title=title, **values)]
    at_venue, online = PLACE[language]
    if venue:
        lines.append(at_venue.format(place=venue))
    if online_url:
        lines.append(online.format(place=online_url))
    return {language: subject.format(title=title, **values)}, {language: "\n\n".join(lines)}
