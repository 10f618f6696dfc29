"""The app's extensions, created unbound and attached in ``create_app`` (``init_app`` per extension)."""
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy

from server.errors import ErrorEnvelope
from server.models.base import Base


class TenduApi(Api):
    ERROR_SCHEMA = ErrorEnvelope  # document our error shape, not flask-smorest's

# expire_on_commit=False: objects read before a commit (the signed-in user, a result to serialise)
# stay usable after it without a second round trip.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
api = TenduApi()
