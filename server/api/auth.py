"""Sign in (tokens), who am I, sign out, and user management for admins."""
from __future__ import annotations

from flask import current_app, g, request
from flask.views import MethodView
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from server.api.common import Blueprint
from server.api.security import public, role
from server.extensions import db
from server.models import ROLES, User
from server.services import auth

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Authentication and users")


class Credentials(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=256))
    device = fields.String(load_default=None, validate=validate.Length(max=64))


class TokenOut(Schema):
    token = fields.String(metadata={"description": "Send as 'Authorization: Bearer <token>'. Shown once."})
    token_id = fields.Integer()
    username = fields.String()
    role = fields.String()
    expires_at = fields.AwareDateTime()


class UserIn(Schema):
    username = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9._@-]{1,64}$"))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=8, max=256))


class UserChange(Schema):
    active = fields.Boolean()
    role = fields.String(validate=validate.OneOf(ROLES))
    password = fields.String(load_only=True, validate=validate.Length(min=8, max=256))


class UserOut(Schema):
    id = fields.Integer()
    username = fields.String()
    role = fields.String()
    active = fields.Boolean()
    created_at = fields.AwareDateTime()


def _token_out(raw, token):
    return {"token": raw, "token_id": token.id, "username": token.user.username, "role": token.user.role,
            "expires_at": token.expires_at}


@blp.route("/auth/tokens")
class Tokens(MethodView):
    @public
    @blp.arguments(Credentials)
    @blp.response(201, TokenOut)
    def post(self, creds):
        """Exchange a user name and password for a bearer token."""
        raw, token = auth.issue_token(creds["username"], creds["password"],
                                      current_app.config["TENDU_TOKEN_TTL_HOURS"], creds["device"],
                                      address=request.remote_addr)
        return _token_out(raw, token)


@blp.route("/auth/tokens/current")
class CurrentToken(MethodView):
    @blp.response(204)
    def delete(self):
        """Sign out: revoke the token used for this request."""
        auth.revoke(g.token.id, g.user)


@blp.route("/auth/me")
class Me(MethodView):
    @blp.response(200, UserOut)
    def get(self):
        """The signed-in user."""
        return g.user


@blp.route("/users")
class Users(MethodView):
    @role("admin")
    @blp.response(200, UserOut(many=True))
    def get(self):
        """All users."""
        return db.session.scalars(select(User).order_by(User.username)).all()

    @role("admin")
    @blp.arguments(UserIn)
    @blp.response(201, UserOut)
    def post(self, data):
        """Create a user."""
        return auth.create_user(data["username"], data["role"], data["password"])


@blp.route("/users/<string:username>")
class OneUser(MethodView):
    @role("admin")
    @blp.arguments(UserChange)
    @blp.response(200, UserOut)
    def patch(self, data, username):
        """Deactivate a user, change their role or set a new password: each signs them out on every device.
        Admins cannot deactivate or demote themselves (409 ``own_account``); their own new password keeps the
        session it was set from."""
        user, _ = auth.update_user(username, **data, by=g.token)
        return user
