"""Tendu: just-in-time stock management. ``create_app`` wires config → extensions → observability → blueprints →
errors → pwa."""
from __future__ import annotations

import logging

from flask import Flask

from server import config, database, errors, extensions, headers
from server.json_body import StrictJSONProvider

log = logging.getLogger("tendu")


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=config.from_environment()["TENDU_INSTANCE_PATH"])
    app.json = StrictJSONProvider(app)  # request bodies: no NaN, no endless numbers, no lone surrogates
    app.config.update(config.from_environment())
    app.config.update(overrides or {})
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", database.engine_options(url))
    app.config.setdefault("SQLALCHEMY_ECHO", app.config["TENDU_SQL_ECHO"])
    if url.startswith("sqlite:///"):
        from pathlib import Path
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)

    db = extensions.db
    db.init_app(app)
    with app.app_context():
        database.configure(db.engine)
    extensions.migrate.init_app(app, db, directory=str(config.ROOT / "migrations"), render_as_batch=True)
    extensions.api.init_app(app)
    from server.services import search_keys, throttle
    search_keys.install()
    app.extensions["tendu_login_throttle"] = throttle.from_config(app.config)

    from server import api as http, cli, observability, pwa
    observability.register(app)  # first: its request hooks wrap every other one
    http.register(app, extensions.api)
    errors.register(app)
    headers.register(app)
    pwa.register(app)
    cli.register(app)
    if app.config["TENDU_PROXY_HOPS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = app.config["TENDU_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    return app
