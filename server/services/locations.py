"""Locations: a parent zone is named by its code."""
from __future__ import annotations

from server.domain.errors import Invalid
from server.models import Location
from server.services import master
from server.services.codes import product_clash, product_named


def _resolve(session, location: Location, data: dict) -> None:
    if location.id is None and (named := product_named(session, location.code)) is not None:
        raise product_clash(location.code, *named)  # (a location's code never changes once created)
    if "parent" not in data:
        return
    parent = master.referenced(Location, data["parent"], session, field="parent") if data["parent"] else None
    if parent is not None and parent.code == location.code:
        raise Invalid("own_parent", "A location cannot contain itself.", "Un emplacement ne peut se contenir.",
                      field="parent")
    location.parent = parent


def create(model, data: dict) -> Location:
    return master.create(model, data, prepare=_resolve)


def update(model, code: str, data: dict) -> Location:
    return master.update(model, code, data, prepare=_resolve)
