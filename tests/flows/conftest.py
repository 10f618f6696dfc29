"""A small warehouse set up through the API, and a scanner that talks to /api/v1/scans."""
import uuid
from datetime import datetime, timezone

import pytest

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
def scanner(client, warehouse):
    return Scanner(client, warehouse["operator"])
