"""/impact and /impact/{commune}: the public impact page, server-rendered, without JavaScript.

The page is drawn from the same figures as GET /api/v1/impact. Its language is ?lang= (nl, fr
or en), else the first of Accept-Language the page is written in, else Dutch, the first
language of the platform, as in the course catalogue.
"""

from flask import Blueprint, render_template, request

from learning.actions import charts, impact, services
from learning.actions.catalogue import OTHER, load_catalogue
from learning.brussels import COMMUNES, LANGUAGES
from learning.errors import NotFound

bp = Blueprint("impact_pages", __name__)

LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English"}

TEXTS = {
    "nl": {
        "title": "Impact van onze klimaatacties",
        "region": "Brussels Hoofdstedelijk Gewest",
        "intro": (
            "Wat lerenden van carbonlit beloven te doen voor het klimaat, en wat ze al "
            "vermeden hebben. We tellen CO₂ zoals geld: open, met onze bronnen en rekenregels."
        ),
        "as_of": "Stand op",
        "learners": "lerenden met een engagement",
        "pledges": "lopende engagementen",
        "pledged": "beloofd, kg CO₂e per jaar",
        "realised": "al vermeden, kg CO₂e",
        "catalogue_note": "Acties uit onze catalogus, met hun geschatte besparing.",
        "self_estimated": "Eigen acties, zelf geschat",
        "self_estimated_note": (
            "Lerenden kunnen ook een eigen actie beloven met hun eigen schatting. We tellen "
            "die apart en tellen ze nooit op bij de cijfers van de catalogus."
        ),
        "withheld": (
            "Nog geen cijfers: minder dan 5 lerenden hebben hier een engagement. We tonen "
            "nooit een groep van minder dan 5, zodat niemands acties herkenbaar zijn."
        ),
        "catalogue_withheld": "Minder dan 5 lerenden hebben hier een actie uit de catalogus.",
        "by_category": "Per thema",
        "by_month": "Per maand: vermeden kg CO₂e",
        "legend_pledged": "beloofd per jaar",
        "legend_realised": "al vermeden",
        "category": "Thema",
        "month": "Maand",
        "col_learners": "lerenden",
        "col_pledged": "beloofd, kg/jaar",
        "col_realised": "vermeden, kg",
        "other": "andere",
        "other_months": "andere maanden",
        "method": "Hoe we tellen",
        "method_pledged": (
            "Beloofd is de verwachte jaarlijkse besparing van alle engagementen die niet "
            "werden stopgezet, volgens de centrale schatting van de catalogus."
        ),
        "method_realised": (
            "Vermeden telt alleen wat echt gebeurt: de jaarlijkse besparing maal het aantal "
            "dagen sinds een lerende meldde dat de actie loopt of gedaan is (tot ze stopt), "
            "gedeeld door 365."
        ),
        "method_privacy": (
            "Een cijfer van minder dan 5 lerenden wordt nooit getoond: kleine thema's en "
            "maanden gaan samen onder 'andere', zodat aftrekken niets verraadt."
        ),
        "method_estimates": (
            "Elke schatting heeft een bandbreedte, aannames en bronnen. Acties die deels "
            "dezelfde uitstoot besparen, staan in de catalogus als overlappend."
        ),
        "sources": "Bronnen",
        "open_data": "Open data: download deze cijfers als CSV (licentie CC BY 4.0)",
        "communes": "Per gemeente",
        "chart_categories": "Beloofd en vermeden per thema",
        "chart_months": "Vermeden kg CO₂e per maand",
    },
    "fr": {
        "title": "L'impact de nos actions pour le climat",
        "region": "Région de Bruxelles-Capitale",
        "intro": (
            "Ce que les apprenants de carbonlit s'engagent à faire pour le climat, et ce "
            "qu'ils ont déjà évité. Nous comptons le CO₂ comme l'argent : ouvertement, avec "
            "nos sources et nos règles de calcul."
        ),
        "as_of": "Situation au",
        "learners": "apprenants avec un engagement",
        "pledges": "engagements en cours",
        "pledged": "promis, kg CO₂e par an",
        "realised": "déjà évité, kg CO₂e",
        "catalogue_note": "Actions de notre catalogue, avec leur économie estimée.",
        "self_estimated": "Actions propres, auto-estimées",
        "self_estimated_note": (
            "Les apprenants peuvent aussi s'engager à une action de leur cru, avec leur propre "
            "estimation. Nous la comptons à part, sans jamais l'ajouter aux chiffres du "
            "catalogue."
        ),
        "withheld": (
            "Pas encore de chiffres : moins de 5 apprenants ont pris un engagement ici. Nous "
            "ne montrons jamais un groupe de moins de 5 personnes, pour que les actions de "
            "chacun restent anonymes."
        ),
        "catalogue_withheld": "Moins de 5 apprenants ont choisi ici une action du catalogue.",
        "by_category": "Par thème",
        "by_month": "Par mois : kg CO₂e évités",
        "legend_pledged": "promis par an",
        "legend_realised": "déjà évité",
        "category": "Thème",
        "month": "Mois",
        "col_learners": "apprenants",
        "col_pledged": "promis, kg/an",
        "col_realised": "évité, kg",
        "other": "autres",
        "other_months": "autres mois",
        "method": "Comment nous comptons",
        "method_pledged": (
            "Promis est l'économie annuelle attendue de tous les engagements qui n'ont pas été "
            "abandonnés, selon l'estimation centrale du catalogue."
        ),
        "method_realised": (
            "Évité ne compte que ce qui se passe vraiment : l'économie annuelle multipliée par "
            "le nombre de jours depuis qu'un apprenant a signalé l'action en cours ou faite "
            "(jusqu'à son abandon), divisée par 365."
        ),
        "method_privacy": (
            "Un chiffre portant sur moins de 5 apprenants n'est jamais affiché : les petits "
            "thèmes et les petits mois sont regroupés sous « autres », pour qu'aucune "
            "soustraction ne trahisse personne."
        ),
        "method_estimates": (
            "Chaque estimation a une fourchette, des hypothèses et des sources. Les actions qui "
            "économisent en partie les mêmes émissions sont signalées comme se recouvrant."
        ),
        "sources": "Sources",
        "open_data": "Données ouvertes : télécharger ces chiffres en CSV (licence CC BY 4.0)",
        "communes": "Par commune",
        "chart_categories": "Promis et évité par thème",
        "chart_months": "kg CO₂e évités par mois",
    },
    "en": {
        "title": "The impact of our climate actions",
        "region": "Brussels-Capital Region",
        "intro": (
            "What carbonlit learners pledge to do for the climate, and what they have already "
            "avoided. We count carbon the way we count money: in the open, with our sources "
            "and our rules."
        ),
        "as_of": "As of",
        "learners": "learners with a pledge",
        "pledges": "live pledges",
        "pledged": "pledged, kg CO₂e a year",
        "realised": "avoided so far, kg CO₂e",
        "catalogue_note": "Actions from our catalogue, with their estimated savings.",
        "self_estimated": "Own actions, self-estimated",
        "self_estimated_note": (
            "Learners may also pledge an action of their own with their own estimate. We count "
            "those apart and never add them to the catalogue's figures."
        ),
        "withheld": (
            "No figures yet: fewer than 5 learners have pledged here. We never show a group of "
            "fewer than 5, so that no one's actions can be singled out."
        ),
        "catalogue_withheld": "Fewer than 5 learners have pledged a catalogue action here.",
        "by_category": "By category",
        "by_month": "By month: kg CO₂e avoided",
        "legend_pledged": "pledged a year",
        "legend_realised": "avoided so far",
        "category": "Category",
        "month": "Month",
        "col_learners": "learners",
        "col_pledged": "pledged, kg/yr",
        "col_realised": "avoided, kg",
        "other": "other",
        "other_months": "other months",
        "method": "How we count",
        "method_pledged": (
            "Pledged is the expected yearly saving of every pledge not dropped, at the "
            "catalogue's central estimate."
        ),
        "method_realised": (
            "Avoided counts only what happens: the yearly saving times the days since a learner "
            "reported the action ongoing or done (until it was dropped), divided by 365."
        ),
        "method_privacy": (
            "A figure about fewer than 5 learners is never shown: small categories and months "
            "are folded into 'other', so that no subtraction gives anyone away."
        ),
        "method_estimates": (
            "Every estimate has a range, assumptions and sources. Actions that partly save the "
            "same emissions are marked as overlapping in the catalogue."
        ),
        "sources": "Sources",
        "open_data": "Open data: download these figures as CSV (licence CC BY 4.0)",
        "communes": "By commune",
        "chart_categories": "Pledged and avoided by category",
        "chart_months": "kg CO₂e avoided by month",
    },
}


def page_language() -> str:
    """?lang=, then Accept-Language in order of quality, then Dutch."""
    preferred = [request.args["lang"]] if request.args.get("lang") in LANGUAGES else []
    preferred += [value.split("-")[0].lower() for value, _ in request.accept_languages]
    return services.negotiate_language(preferred)


def _render(scope: str, place: str, commune: str | None):
    language = page_language()
    text = TEXTS[language]
    catalogue = load_catalogue()
    figures = impact.impact_figures(scope=scope)
    labels = {slug: label[language] for slug, label in catalogue.categories.items()}
    labels[OTHER] = text["other"]
    block = figures["catalogue"]
    drawn = {"category_chart": None, "month_chart": None}
    if block is not None:
        drawn["category_chart"] = charts.category_chart(
            block["categories"], labels=labels, language=language
        )
        drawn["month_chart"] = charts.month_chart(
            block["months"], labels={OTHER: text["other_months"]}, language=language
        )
    html = render_template(
        "impact/page.html",
        language=language,
        languages=LANGUAGE_NAMES,
        text=text,
        place=place,
        commune=commune,
        communes={slug: names[language] for slug, names in COMMUNES.items()},
        figures=figures,
        number=lambda value: charts.format_number(value, language),
        category_labels=labels,
        **drawn,
        fills={"pledged": charts.PLEDGED_FILL, "realised": charts.REALISED_FILL},
        sources=catalogue.sources(),
        csv_url=f"/api/v1/impact.csv?scope={scope}",
    )
    return (
        html,
        200,
        {
            "Content-Language": language,
            "Vary": "Accept-Language",
            "Cache-Control": "public, max-age=300",
        },
    )


@bp.get("/impact")
def region_page():
    """The region's impact page."""
    return _render("region", TEXTS[page_language()]["region"], None)


@bp.get("/impact/<commune>")
def commune_page(commune: str):
    """A commune's impact page; communes go by slug (ixelles, schaerbeek...)."""
    if commune not in COMMUNES:
        raise NotFound(f"There is no commune {commune}; communes go by slug, e.g. ixelles.")
    return _render(f"commune:{commune}", COMMUNES[commune][page_language()], commune)
