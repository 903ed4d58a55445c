"""Facts about the Brussels-Capital Region that several domains share: its zone and its communes."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Europe/Brussels")


def end_of_day(day: date) -> datetime:
    """A plain date given as a deadline means the end of that day in Brussels."""
    return datetime.combine(day, time(23, 59, 59), TIMEZONE)


# The 19 communes, by a stable slug (from the French name), with their names in each language.
COMMUNES: dict[str, dict[str, str]] = {
    "anderlecht": {"nl": "Anderlecht", "fr": "Anderlecht", "en": "Anderlecht"},
    "auderghem": {"nl": "Oudergem", "fr": "Auderghem", "en": "Auderghem"},
    "berchem-sainte-agathe": {
        "nl": "Sint-Agatha-Berchem",
        "fr": "Berchem-Sainte-Agathe",
        "en": "Berchem-Sainte-Agathe",
    },
    "bruxelles": {"nl": "Brussel", "fr": "Bruxelles", "en": "City of Brussels"},
    "etterbeek": {"nl": "Etterbeek", "fr": "Etterbeek", "en": "Etterbeek"},
    "evere": {"nl": "Evere", "fr": "Evere", "en": "Evere"},
    "forest": {"nl": "Vorst", "fr": "Forest", "en": "Forest"},
    "ganshoren": {"nl": "Ganshoren", "fr": "Ganshoren", "en": "Ganshoren"},
    "ixelles": {"nl": "Elsene", "fr": "Ixelles", "en": "Ixelles"},
    "jette": {"nl": "Jette", "fr": "Jette", "en": "Jette"},
    "koekelberg": {"nl": "Koekelberg", "fr": "Koekelberg", "en": "Koekelberg"},
    "molenbeek-saint-jean": {
        "nl": "Sint-Jans-Molenbeek",
        "fr": "Molenbeek-Saint-Jean",
        "en": "Molenbeek-Saint-Jean",
    },
    "saint-gilles": {"nl": "Sint-Gillis", "fr": "Saint-Gilles", "en": "Saint-Gilles"},
    "saint-josse-ten-noode": {
        "nl": "Sint-Joost-ten-Node",
        "fr": "Saint-Josse-ten-Noode",
        "en": "Saint-Josse-ten-Noode",
    },
    "schaerbeek": {"nl": "Schaarbeek", "fr": "Schaerbeek", "en": "Schaerbeek"},
    "uccle": {"nl": "Ukkel", "fr": "Uccle", "en": "Uccle"},
    "watermael-boitsfort": {
        "nl": "Watermaal-Bosvoorde",
        "fr": "Watermael-Boitsfort",
        "en": "Watermael-Boitsfort",
    },
    "woluwe-saint-lambert": {
        "nl": "Sint-Lambrechts-Woluwe",
        "fr": "Woluwe-Saint-Lambert",
        "en": "Woluwe-Saint-Lambert",
    },
    "woluwe-saint-pierre": {
        "nl": "Sint-Pieters-Woluwe",
        "fr": "Woluwe-Saint-Pierre",
        "en": "Woluwe-Saint-Pierre",
    },
}

LANGUAGES = ("nl", "fr", "en")
