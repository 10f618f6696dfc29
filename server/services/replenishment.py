"""Turn reviewed replenishment suggestions into draft purchase orders, one per supplier."""
from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, timedelta

from server.database import write_transaction
from server.domain.errors import Invalid
from server.domain.movements import check_occurred_at, check_quantity
from server.models import Product, Supplier
from server.models.base import utcnow
from server.services import master, purchasing
from server.services.stamp import Stamp

# The need is dated when the suggestion was computed: older than this, it would stretch the measured order-taking
# delay by days (a list left open over a weekend), and what it proposed may have been ordered since.
MAX_SUGGESTION_AGE = timedelta(hours=24)


def create_orders(items: list[dict], *, suggested_at: datetime, user_id: int, device: str | None = None) -> list:
    """Draft POs whose 'need_detected' is when the suggestion was made: the lead-time clock starts honestly.

    ``items``: [{"sku", "qty", "supplier"?}]; the supplier defaults to the product's own. A quantity that is not
    whole for a product counted in pieces is refused (nothing is written), and so is a product listed twice for the
    same supplier; MOQ and pack multiples are not enforced.
    """
    now = utcnow()
    check_occurred_at(suggested_at, now, 300)
    if now - suggested_at > MAX_SUGGESTION_AGE:
        raise Invalid("stale_suggestions", f"These suggestions were computed on {suggested_at:%Y-%m-%d %H:%M} UTC: "
                      "refresh them (what they proposed may have been ordered since) and order again.",
                      f"Ces suggestions datent du {suggested_at:%d/%m/%Y %H:%M} UTC : actualisez-les (ce qu'elles "
                      "proposaient a pu être commandé depuis) et commandez à nouveau.", field="suggested_at")
    by_supplier: dict[str, list[dict]] = defaultdict(list)
    listed: dict[tuple[str, str], int] = {}   # (sku, supplier) → the item that asked for it first
    with write_transaction() as s:
        for index, item in enumerate(items):
            product = master.referenced(Product, item["sku"], s, field=f"items.{index}.sku")
            check_quantity(item["qty"], field=f"items.{index}.qty", of=product)
            if item.get("supplier"):
                code = master.referenced(Supplier, item["supplier"], s, field=f"items.{index}.supplier").code
            else:
                code = s.get(Supplier, product.supplier_id).code if product.supplier_id else None
            if code is None:
                raise Invalid("no_supplier", f"{product.sku} has no supplier: choose one.",
                              f"{product.sku} n'a pas de fournisseur : choisissez-en un.",
                              field=f"items.{index}.supplier", details={"sku": product.sku})
            if (first := listed.setdefault((product.sku, code), index)) != index:
                # Two lines of one product on one order: the supplier reads two orders of it, the receptions split
                # between them. A product may be bought from two suppliers at once (two orders), not twice from one.
                raise Invalid("duplicate_item", f"{product.sku} is listed twice for {code} (items {first} and "
                              f"{index}): list it once, with the whole quantity.",
                              f"{product.sku} figure deux fois pour {code} (articles {first} et {index}) : "
                              "indiquez-le une seule fois, avec la quantité totale.", field=f"items.{index}.sku",
                              details={"sku": product.sku, "supplier": code, "first": first})
            by_supplier[code].append({"sku": product.sku, "qty": item["qty"]})
        orders = []
        for code, lines in sorted(by_supplier.items()):
            order = purchasing.create_order(supplier=code, lines=lines, user_id=user_id, session=s)
            stamp = Stamp(str(uuid.uuid4()), suggested_at, user_id, device)
            purchasing.append_event(s, order, "need_detected", stamp)
            orders.append(order)
    return orders
