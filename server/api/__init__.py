"""HTTP layer: one blueprint per resource; each route loads input, calls a service, dumps the result."""
from __future__ import annotations

from server.api import (analytics, audit, auth, barcodes, events, exports, imports, labels, locations, orders,
                        partners, planning, products, scans, security, stock)
from server.api.health import blp as health

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
    app.after_request(audit.record)
