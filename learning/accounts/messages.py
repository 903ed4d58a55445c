"""What accounts tell people through the outbox, in Dutch, French and English."""

PASSWORD_RESET, REGISTRATION_ATTEMPT = "password_reset", "registration_attempt"

# (subject, body) by kind and language.
TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    PASSWORD_RESET: {
        "nl": (
            "Kies een nieuw wachtwoord voor carbonlit",
            "Iemand, wellicht jij, vroeg om een nieuw wachtwoord voor je carbonlit-account. "
            "Kies het via deze link; hij werkt één keer, {minutes} minuten lang:\n\n{link}\n\n"
            "Vroeg je niets? Dan mag je dit bericht negeren: je wachtwoord blijft hetzelfde.",
        ),
        "fr": (
            "Choisissez un nouveau mot de passe pour carbonlit",
            "Quelqu'un, sans doute vous, a demandé un nouveau mot de passe pour votre compte "
            "carbonlit. Choisissez-le avec ce lien ; il fonctionne une seule fois, pendant "
            "{minutes} minutes :\n\n{link}\n\n"
            "Vous n'avez rien demandé ? Ignorez ce message : votre mot de passe ne change pas.",
        ),
        "en": (
            "Choose a new password for carbonlit",
            "Someone, probably you, asked for a new password for your carbonlit account. "
            "Choose it with this link; it works once, for {minutes} minutes:\n\n{link}\n\n"
            "Did not ask? Then ignore this message: your password stays as it is.",
        ),
    },
    REGISTRATION_ATTEMPT: {
        "nl": (
            "Je hebt al een carbonlit-account",
            "Iemand, wellicht jij, probeerde een carbonlit-account te openen met dit "
            "e-mailadres, maar je hebt er al een. Meld je gewoon aan; wachtwoord vergeten? "
            "Vraag dan een nieuw aan. Was jij het niet? Dan hoef je niets te doen.",
        ),
        "fr": (
            "Vous avez déjà un compte carbonlit",
            "Quelqu'un, sans doute vous, a essayé d'ouvrir un compte carbonlit avec cette "
            "adresse e-mail, mais vous en avez déjà un. Connectez-vous ; mot de passe oublié ? "
            "Demandez-en un nouveau. Ce n'était pas vous ? Vous n'avez rien à faire.",
        ),
        "en": (
            "You already have a carbonlit account",
            "Someone, probably you, tried to open a carbonlit account with this email "
            "address, but you already have one. Just sign in; forgot your password? Ask for "
            "a new one. Was it not you? Then there is nothing to do.",
        ),
    },
}


def render(kind: str, **values) -> tuple[dict[str, str], dict[str, str]]:
    """The subject and body of a message in every language, with values filled in."""
    subjects = {
        language: subject.format(**values) for language, (subject, _) in TEXTS[kind].items()
    }
    bodies = {language: body.format(**values) for language, (_, body) in TEXTS[kind].items()}
    return subjects, bodies
