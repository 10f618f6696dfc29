"""Purchase and sales histories at chosen past times, written through the services (the API stamps 'now')."""
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import select

from server.extensions import db
from server.models import SalesOrder
from server.services import purchasing, sales
from server.services.stamp import Stamp

NOW = datetime.now(timezone.utc).replace(microsecond=0)


def stamp(when: datetime) -> Stamp:
    return Stamp(str(uuid.uuid4()), when)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def purchase(app, supplier, lines, need, *, ordered=None, received=None, put_away=None, promised=None,
             received_qty=None) -> str:
    """A purchase order of ``lines`` [(sku, qty)]: its need detected at ``need``, then optionally placed,
    received at ``received`` (a time, or [(time, qty)] for each line) and put away ``put_away`` later."""
    with app.app_context():
        order = purchasing.create_order(supplier=supplier, lines=[{"sku": s, "qty": q} for s, q in lines],
                                        promised_date=promised)
        number, line_ids = order.number, [ln.id for ln in order.lines]
        purchasing.record_event(stamp(need), number=number, kind="need_detected")
        if ordered:
            purchasing.record_event(stamp(ordered), number=number, kind="ordered")
        for line_id, (_, qty) in zip(line_ids, lines) if received else ():
            receipts = received if isinstance(received, list) else [(received, received_qty or qty)]
            for when, units in receipts:
                purchasing.receive(stamp(when), number=number, line_id=line_id, qty=Decimal(units), dock="DOCK")
                if put_away is not None:
                    purchasing.put_away(stamp(when + put_away), number=number, line_id=line_id, qty=Decimal(units),
                                        from_location="DOCK", to_location="A-01")
        db.session.remove()
    return number


def sale(app, customer, lines, when) -> str:
    with app.app_context():
        order, _ = sales.create_order(stamp(when), customer=customer, lines=[{"sku": s, "qty": q} for s, q in lines])
        number = order.number
        db.session.remove()
    return number


def _short_everything(number: str) -> None:
    """The customer's demand stays in the history; nothing stays open (no reservation, no backorder)."""
    order = db.session.scalar(select(SalesOrder).where(SalesOrder.number == number))
    for line in order.lines:
        sales.short(stamp(NOW), number=number, line_id=line.id, qty=line.qty_ordered, reason="history")


def smooth_history(app, sku="PAD") -> None:
    """An order every 2 days for a year, 3 or 5 units: smooth demand, class A, a push item."""
    with app.app_context():
        for i, days in enumerate(range(2, 364, 2)):
            order, _ = sales.create_order(stamp(ago(days)), customer="GARAGE",
                                          lines=[{"sku": sku, "qty": 3 + 2 * (i % 2)}])
            _short_everything(order.number)
        db.session.remove()


def lumpy_history(app, sku="PAD") -> None:
    """Three orders in a year, of 1, 20 and 3: lumpy demand, a pull item."""
    with app.app_context():
        for days, qty in ((100, 1), (50, 20), (20, 3)):
            order, _ = sales.create_order(stamp(ago(days)), customer="GARAGE", lines=[{"sku": sku, "qty": qty}])
            _short_everything(order.number)
        db.session.remove()
