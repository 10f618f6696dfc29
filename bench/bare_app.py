"""The yardstick of issue 8: a bare Flask + Flask-SQLAlchemy app doing one INSERT, or one indexed SELECT, per request.

``bench/load.py --bare`` serves it with the same gunicorn settings (but gunicorn's own gthread worker, as in
session 6, rather than Tendu's) and drives it with the same clients as Tendu, right after Tendu's phases, so
the two can be compared on the machine as it is at that moment (its speed drifts within an hour:
bench/README.md). The database is a SQLite file that load.py creates and fills; the app only sets what any
SQLite web app needs under concurrent writers (WAL, a busy timeout).
"""
from __future__ import annotations

import os

from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event, select

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["BARE_DATABASE_URL"]
db = SQLAlchemy(app)


class Hit(db.Model):  # the table is created and filled by load.py (bare_database)
    __tablename__ = "hit"
    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(32), nullable=False, index=True)


with app.app_context():
    @event.listens_for(db.engine, "connect")
    def _pragmas(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")
        dbapi_connection.execute("PRAGMA busy_timeout=30000")


@app.post("/insert")
def insert():
    hit = Hit(code=request.get_json()["code"])
    db.session.add(hit)
    db.session.commit()
    return {"id": hit.id}, 201


@app.get("/healthz")  # what load.py polls until the server answers
def healthz():
    return {"status": "ok"}


@app.get("/select")
def find():
    hit = db.session.scalar(select(Hit).where(Hit.code == request.args["code"]))
    return ({"id": hit.id}, 200) if hit else ({}, 404)
