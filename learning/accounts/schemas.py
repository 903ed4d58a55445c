"""What goes in and out of the accounts API."""

import marshmallow as ma
from marshmallow import validate

from learning.accounts.models import GRANTABLE_ROLES, ROLES
from learning.accounts.services import MIN_PASSWORD_LENGTH
from learning.brussels import COMMUNES, LANGUAGES


class CredentialsSchema(ma.Schema):
    email = ma.fields.Email(required=True, validate=validate.Length(max=254))
    password = ma.fields.String(
        required=True, load_only=True, validate=validate.Length(min=1, max=1024)
    )


class RegisterSchema(CredentialsSchema):
    password = ma.fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(min=MIN_PASSWORD_LENGTH, max=1024),
        metadata={"description": f"At least {MIN_PASSWORD_LENGTH} characters"},
    )
    display_name = ma.fields.String(
        required=True,
        validate=validate.Length(min=1, max=80),
        metadata={"description": "The name others see, where you allow it"},
    )
    locale = ma.fields.String(
        load_default="nl",
        validate=validate.OneOf(LANGUAGES),
        metadata={"description": "Preferred language: nl, fr or en"},
    )
    commune = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(list(COMMUNES)),
        metadata={"description": "One of the 19 Brussels communes, by slug"},
    )


class TokenSchema(ma.Schema):
    access_token = ma.fields.String(required=True)
    refresh_token = ma.fields.String(required=True)
    expires_in = ma.fields.Integer(
        required=True, metadata={"description": "Seconds until the access token expires"}
    )
    token_type = ma.fields.String(required=True, metadata={"description": "Always Bearer"})


class UserSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    email = ma.fields.String(required=True)
    display_name = ma.fields.String(required=True)
    locale = ma.fields.String(required=True)
    commune = ma.fields.String(required=True, allow_none=True)
    roles = ma.fields.List(ma.fields.String(validate=validate.OneOf(ROLES)), required=True)
    leaderboard_visible = ma.fields.Boolean(
        required=True, metadata={"description": "Whether leaderboards may show your name"}
    )
    created_at = ma.fields.AwareDateTime(required=True)


class ProfileUpdateSchema(ma.Schema):
    display_name = ma.fields.String(validate=validate.Length(min=1, max=80))
    locale = ma.fields.String(validate=validate.OneOf(LANGUAGES))
    commune = ma.fields.String(allow_none=True, validate=validate.OneOf(list(COMMUNES)))
    leaderboard_visible = ma.fields.Boolean()


class RolesSchema(ma.Schema):
    roles = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(ROLES)),
        required=True,
        metadata={
            "description": "The roles the user holds from now on; learner is implied. "
            f"Grantable: {', '.join(GRANTABLE_ROLES)}"
        },
    )


class PasswordChangeSchema(ma.Schema):
    current_password = ma.fields.String(
        required=True, load_only=True, validate=validate.Length(min=1, max=1024)
    )
    new_password = ma.fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(min=MIN_PASSWORD_LENGTH, max=1024),
        metadata={"description": f"At least {MIN_PASSWORD_LENGTH} characters, hard to guess"},
    )


class RegistrationSchema(ma.Schema):
    """The answer to registering, the same whether or not the email already had an account."""

    email = ma.fields.String(required=True, metadata={"description": "The email, normalised"})
    detail = ma.fields.String(required=True, metadata={"description": "What happens next"})


class PasswordResetRequestSchema(ma.Schema):
    email = ma.fields.Email(required=True, validate=validate.Length(max=254))


class PasswordResetRequestedSchema(ma.Schema):
    """The answer to asking for a reset, the same whether or not the email has an account."""

    detail = ma.fields.String(required=True, metadata={"description": "What happens next"})


class PasswordResetSchema(ma.Schema):
    token = ma.fields.String(
        required=True,
        validate=validate.Length(min=1, max=1024),
        metadata={"description": "The token from the link in the reset message"},
    )
    password = ma.fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(min=MIN_PASSWORD_LENGTH, max=1024),
        metadata={"description": f"At least {MIN_PASSWORD_LENGTH} characters, hard to guess"},
    )
