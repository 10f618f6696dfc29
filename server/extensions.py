"""The app's extensions, created unbound and attached in ``create_app`` (``init_app`` per extension)."""
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession

from server.errors import ErrorEnvelope
from server.models.base import Base


class TenduApi(Api):
    ERROR_SCHEMA = ErrorEnvelope  # document our error shape, not flask-smorest's


class Session(FlaskSession):
    """``db.session``, with Core statements run straight on the transaction's connection.

    A Core statement (``select`` of table columns, ``insert(table)``, ``text``) has no entity to load and
    nothing to autoflush, yet the ORM's ``execute`` costs ~10 µs more than the connection's: a scan runs
    about fifteen of them, most while every other writer waits. ORM statements, and calls with execution
    options or bind arguments, go the ORM's way as usual.
    """

    def execute(self, statement, params=None, **options):
        # (db.session passes every option, empty by default; _propagate_attrs is what the ORM tests itself, and
        # anything that is not a statement gets the ORM's own error)
        if not any(options.values()) and getattr(statement, "_propagate_attrs", None) == {}:
            return self.connection().execute(statement, params)
        return super().execute(statement, params, **options)


# expire_on_commit=False: objects read before a commit (the signed-in user, a result to serialise)
# stay usable after it without a second round trip.
db = SQLAlchemy(model_class=Base, session_options={"class_": Session, "expire_on_commit": False})
migrate = Migrate()
api = TenduApi()
