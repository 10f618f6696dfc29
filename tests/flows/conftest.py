"""A small warehouse set up through the API, and a scanner that talks to /api/v1/scans."""
import uuid
from datetime import datetime, timezone

import pytest

from tests.conftest import event

GS = "\x1d"
EAN = "4006381333931"              # one brake pad
CARTON = "14006381333938"          # a carton of 12 of them
OTHER_EAN = "5901234123457"        # wiper blade


@pytest.fixture
def warehouse(client, tokens):
    sup = tokens["supervisor"]
    for body in ({"code": "DOCK", "kind": "dock"}, {"code": "DISPATCH", "kind": "dispatch"},
                 {"code": "A-01", "walk_order": 10}, {"code": "B-01", "walk_order": 20}):
        assert client.post("/api/v1/locations", json=body, headers=sup).status_code == 201
    client.post("/api/v1/suppliers", json={"code": "ACME", "name": "Acme"}, headers=sup)
    client.post("/api/v1/customers", json={"code": "GARAGE", "name": "Garage"}, headers=sup)
    for body in ({"sku": "PAD", "name": "Brake pad", "unit_cost": 10, "supplier": "ACME",
                  "barcodes": [{"code": EAN}, {"code": CARTON, "pack_qty": 12}]},
                 {"sku": "WIPER", "name": "Wiper blade", "unit_cost": 4, "barcodes": [{"code": OTHER_EAN}]}):
        assert client.post("/api/v1/products", json=body, headers=sup).status_code == 201, body
    return tokens


class Scanner:
    """A handheld: every scan gets its id and time when scanned, like the PWA does."""

    def __init__(self, client, headers):
        self.client, self.headers = client, headers

    def body(self, code, action, **context):
        return {"client_event_id": str(uuid.uuid4()), "occurred_at": datetime.now(timezone.utc).isoformat(),
                "code": code, "action": action, "context": context, "device": "tc52"}

    def scan(self, code, action, **context):
        res = self.client.post("/api/v1/scans", json=self.body(code, action, **context), headers=self.headers)
        return res.status_code, res.json


@pytest.fixture
def every_day_open(app, monkeypatch):
    """A company open every day: for tests of how a promise or an expected arrival is counted, which must hold on
    whatever day the suite runs. Moving them off closed days is test_working_days.py's."""
    monkeypatch.setitem(app.config, "TENDU_WORKING_DAYS", "mon-sun")


@pytest.fixture
def scanner(client, warehouse):
    return Scanner(client, warehouse["operator"])


@pytest.fixture
def shelf(client, warehouse):
    """40 pads in A-01, and an ordered PO of 24 pads."""
    sup = warehouse["supervisor"]
    client.post("/api/v1/adjustments", json=event(product="PAD", location="A-01", qty=40, reason="open"), headers=sup)
    po = client.post("/api/v1/purchase-orders", headers=sup,
                     json={"supplier": "ACME", "lines": [{"product": "PAD", "qty": 24}]}).json
    client.post(f"/api/v1/purchase-orders/{po['number']}/events", json=event(kind="ordered"), headers=sup)
    return po["number"]


def stock(client, headers, sku="PAD") -> dict:
    """(location, lot) → quantity of one product."""
    items = client.get(f"/api/v1/stock?product={sku}", headers=headers).json["items"]
    return {(i["location"], i["lot"]): i["qty"] for i in items}
