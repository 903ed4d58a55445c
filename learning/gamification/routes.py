"""/api/v1/points, /api/v1/me/points, /api/v1/leaderboards and /api/v1/challenges: thin views."""

from flask import request
from flask.views import MethodView
from flask_jwt_extended import current_user

from learning.api import Blueprint, signed_in_user
from learning.brussels import LANGUAGES
from learning.courses.schemas import PagedLanguageArgsSchema
from learning.gamification import rules, services
from learning.gamification.schemas import (
    ChallengeInSchema,
    ChallengeListArgsSchema,
    ChallengePageSchema,
    ChallengeSchema,
    CorrectionSchema,
    EntrySchema,
    LanguageArgsSchema,
    LeaderboardArgsSchema,
    LeaderboardSchema,
    LedgerPageSchema,
    LevelsSchema,
    MyPointsSchema,
    RulesSchema,
)

bp = Blueprint(
    "gamification",
    __name__,
    url_prefix="/api/v1",
    description="Points, levels, streaks, leaderboards and collective challenges.",
)


def _language(args: dict) -> str:
    """?lang=, then the signed-in learner's locale, then Accept-Language, then nl."""
    if "lang" in args:
        return args["lang"]
    user = signed_in_user()
    if user:
        return user.locale
    return request.accept_languages.best_match(LANGUAGES) or LANGUAGES[0]


def _in(language: str, data):
    return data, 200, {"Content-Language": language, "Vary": "Accept-Language, Authorization"}


@bp.route("/points/rules")
class PointsRules(MethodView):
    @bp.arguments(LanguageArgsSchema, location="query")
    @bp.response(200, RulesSchema)
    def get(self, args):
        """What earns points: each rule's points and daily cap, and what challenges can count."""
        language = _language(args)
        return _in(
            language,
            {"items": services.list_rules(language=language), "metrics": rules.metrics()},
        )


@bp.route("/points/levels")
class Levels(MethodView):
    @bp.arguments(LanguageArgsSchema, location="query")
    @bp.response(200, LevelsSchema)
    def get(self, args):
        """The levels and the totals that reach them."""
        language = _language(args)
        return _in(language, {"items": services.list_levels(language=language)})


@bp.route("/me/points")
class MyPoints(MethodView):
    @bp.login_required()
    @bp.arguments(LanguageArgsSchema, location="query")
    @bp.response(200, MyPointsSchema)
    def get(self, args):
        """My total, level, points to the next level, streaks and latest ledger entries."""
        language = _language(args)
        return _in(language, services.my_points(user=current_user, language=language))


@bp.route("/me/points/entries")
class MyLedger(MethodView):
    @bp.login_required()
    @bp.arguments(PagedLanguageArgsSchema, location="query")
    @bp.response(200, LedgerPageSchema)
    def get(self, args):
        """My whole points ledger, newest first."""
        language = _language(args)
        return _in(
            language,
            services.ledger_page(
                user_id=current_user.id,
                page=args["page"],
                per_page=args["per_page"],
                language=language,
            ),
        )


@bp.route("/users/<int:user_id>/points/entries")
class UserLedger(MethodView):
    @bp.login_required("admin")
    @bp.arguments(PagedLanguageArgsSchema, location="query")
    @bp.response(200, LedgerPageSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, args, user_id):
        """A learner's points ledger, newest first (admins only)."""
        language = _language(args)
        return _in(
            language,
            services.ledger_page(
                user_id=user_id, page=args["page"], per_page=args["per_page"], language=language
            ),
        )


@bp.route("/users/<int:user_id>/points/corrections")
class Corrections(MethodView):
    @bp.login_required("admin")
    @bp.arguments(LanguageArgsSchema, location="query")
    @bp.arguments(CorrectionSchema)
    @bp.response(201, EntrySchema)
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    def post(self, args, correction, user_id):
        """Add or take away points with a reason: a compensating entry (admins only)."""
        return services.correct_points(
            acting_admin=current_user,
            user_id=user_id,
            points=correction["points"],
            reason=correction["reason"],
            client_id=correction["id"],
            entry_id=correction["entry"],
            language=_language(args),
        )


@bp.route("/leaderboards")
class Leaderboards(MethodView):
    @bp.read_only
    @bp.login_required()
    @bp.arguments(LeaderboardArgsSchema, location="query")
    @bp.response(200, LeaderboardSchema)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, args):
        """Top learners of a scope and period, and my rank; only who allows it is named.

        The top and the ranks may lag by up to LEADERBOARD_CACHE_SECONDS (30 by default): each
        server keeps a board that long. My points are always current, ranked among the kept
        board's."""
        return services.leaderboard(user=current_user, **args)


@bp.route("/challenges")
class Challenges(MethodView):
    @bp.login_required()
    @bp.arguments(ChallengeListArgsSchema, location="query")
    @bp.response(200, ChallengePageSchema)
    def get(self, args):
        """The collective goals of my classes, circles and commune, with their progress."""
        return services.list_challenges(user=current_user, **args)

    @bp.login_required()
    @bp.arguments(ChallengeInSchema)
    @bp.response(201, ChallengeSchema)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(503, response="SERVICE_UNAVAILABLE")
    def post(self, challenge):
        """Set a shared goal: a teacher for a class, a facilitator for a circle, an admin for
        a commune or anything."""
        return services.create_challenge(
            user=current_user, client_id=challenge.pop("id"), **challenge
        )


@bp.route("/challenges/<int:challenge_id>")
class OneChallenge(MethodView):
    @bp.login_required()
    @bp.response(200, ChallengeSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, challenge_id):
        """One challenge with its progress and my contribution."""
        return services.get_challenge(user=current_user, challenge_id=challenge_id)
