"""A date promised to a customer or a day goods are expected by never falls on a day the company is closed
(``TENDU_WORKING_DAYS``, Monday to Friday by default): it moves to the next working day. The lead times and the
handling time stay in calendar days. The dates are chosen from today, so each test lands on a weekend whatever day
the suite runs."""
from datetime import datetime, timedelta, timezone

from server import clock
from server.domain.days import weekday_text
from tests.conftest import event
from tests.flows.conftest import EAN


def company_today(app):
    with app.app_context():
        return clock.today()


def next_weekday(today, weekday):
    """The first ``weekday`` (Monday 0) after today: 1 to 7 days ahead."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def test_a_promise_falling_on_a_sunday_is_made_for_the_monday(app, client, warehouse, scanner, monkeypatch):
    sup = warehouse["supervisor"]
    today = company_today(app)
    sunday = next_weekday(today, 6)
    monday = sunday + timedelta(days=1)
    # One order shipped (sunday − today − ½) days after it was placed: the measured handling time, rounded up, brings
    # a promise from stock to the Sunday.
    handling = (sunday - today).days - 0.5
    client.post("/api/v1/adjustments", headers=sup, json=event(product="PAD", location="A-01", qty=40, reason="open"))
    placed = datetime.now(timezone.utc) - timedelta(days=handling)
    shipped = client.post("/api/v1/sales-orders", headers=sup, json=event(
        customer="GARAGE", lines=[{"product": "PAD", "qty": 1}], occurred_at=placed.isoformat())).json
    assert scanner.scan(EAN, "pick", order=shipped["number"], bin="A-01")[0] == 201
    assert scanner.scan(shipped["label"], "ship")[0] == 201

    order = client.post("/api/v1/sales-orders", headers=sup,
                        json=event(customer="GARAGE", lines=[{"product": "PAD", "qty": 1}])).json
    promise = order["lines"][0]["promise"]
    assert (promise["basis"], promise["date"], promise["days"]) == ("in_stock", str(monday), (monday - today).days)
    (sunday_en, sunday_fr), (monday_en, monday_fr) = weekday_text(sunday, today), weekday_text(monday, today)
    assert promise["explanation"].endswith(f"of handling. {sunday_en} is not a working day: promised {monday_en}.")
    french = client.get(f"/api/v1/sales-orders/{order['number']}", headers={**sup, "Accept-Language": "fr"}).json
    assert french["lines"][0]["promise"]["explanation"].endswith(   # one full stop after « déc. »
        f"de préparation. Le {sunday_fr} n'est pas un jour ouvré : promis le {monday_fr}".removesuffix(".") + ".")
    looked = client.get("/api/v1/lookup?code=TL:PRD:PAD&promise=true", headers=sup).json["promise"]
    assert (looked["date"], looked["explanation"]) == (promise["date"], promise["explanation"])

    # A company that works on Sundays promises the Sunday itself.
    monkeypatch.setitem(app.config, "TENDU_WORKING_DAYS", "mon-sun")
    looked = client.get("/api/v1/lookup?code=TL:PRD:PAD&promise=true", headers=sup).json["promise"]
    assert (looked["date"], looked["days"]) == (str(sunday), (sunday - today).days)
    assert "working day" not in looked["explanation"]


def test_goods_expected_on_a_weekend_are_expected_on_the_monday(app, client, warehouse, monkeypatch):
    sup = warehouse["supervisor"]
    today = company_today(app)
    saturday = next_weekday(today, 5)
    sunday, monday = saturday + timedelta(days=1), saturday + timedelta(days=2)
    # The buyer forces the lead time: its p50 lands on the Saturday, its p90 (+ 1.28 × 0.5 days, rounded up) on the
    # Sunday. A customer's order with nothing on the shelf puts PAD on the list.
    lead = (saturday - today).days
    assert client.patch("/api/v1/products/PAD", headers=sup, json={
        "policy_overrides": {"lead_time_mean": lead, "lead_time_sd": 0.5}}).status_code == 200
    assert client.post("/api/v1/sales-orders", headers=sup, json=event(
        customer="GARAGE", lines=[{"product": "PAD", "qty": 5}])).status_code == 201

    def expected():
        items = client.get("/api/v1/replenishment", headers=sup).json["items"]
        item = next(i for i in items if i["sku"] == "PAD")
        assert item["lead_time_p50"] == lead                     # the lead time itself: calendar days, unchanged
        return item["expected_p50"], item["expected_p90"]
    assert expected() == (str(monday), str(monday))
    monkeypatch.setitem(app.config, "TENDU_WORKING_DAYS", "mon-sat")
    assert expected() == (str(saturday), str(monday))
    monkeypatch.setitem(app.config, "TENDU_WORKING_DAYS", "mon-sun")
    assert expected() == (str(saturday), str(sunday))
