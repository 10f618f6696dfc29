"""HTTP layer: one blueprint per resource; each route loads input, calls a service, dumps the result."""
from __future__ import annotations

from flask import request

from server.api import (analytics, audit, auth, barcodes, events, exports, imports, labels, locations, orders,
                        partners, planning, products, scans, security, stock)
from server.api.health import blp as health
from server.domain.errors import Invalid

BLUEPRINTS = (auth.blp, scans.blp, barcodes.blp, products.blp, locations.blp, partners.suppliers, partners.customers,
              stock.blp, orders.purchase, orders.selling, labels.blp, analytics.blp, planning.blp,
              events.blp, exports.blp, imports.blp, audit.blp)


def register(app, api) -> None:
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.spec.options["security"] = [{"bearer": []}]
    for blp in BLUEPRINTS:
        api.register_blueprint(blp)
    app.register_blueprint(health)
    app.before_request(security.guard)
    app.before_request(refuse_nul)
    app.after_request(audit.record)


def refuse_nul():
    """No text Tendu keeps may hold a NUL character: PostgreSQL refuses one in any text value (a 500), SQLite
    keeps it unseen. Refused in the path, the query string or a JSON body, before a route reads them."""
    if not request.path.startswith(security.API_PREFIX):
        return
    if ("\x00" in request.path or b"%00" in request.query_string
            or (request.is_json and b"\\u0000" in request.get_data(cache=True))):
        raise Invalid("nul_character", "Texts cannot contain the NUL character.",
                      "Les textes ne peuvent pas contenir le caractère NUL.")
