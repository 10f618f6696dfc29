from datetime import datetime, timedelta, timezone

import pytest

from server.domain.errors import Conflict
from server.domain.lifecycle import check_event, stage_reached

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


def day(n):
    return T0 + timedelta(days=n)


def test_in_order_events_are_not_flagged():
    recorded = [("need_detected", day(0)), ("ordered", day(1)), ("confirmed", day(2)), ("shipped", day(4))]
    assert check_event("arrived", day(6), recorded) is False


def test_arrival_typed_before_confirmation_is_possible_but_flagged():
    recorded = [("ordered", day(0)), ("arrived", day(5))]
    assert check_event("confirmed", day(1), recorded) is True  # paperwork typed late


def test_receiving_before_shipping_time_is_impossible():
    recorded = [("ordered", day(0)), ("shipped", day(4))]
    with pytest.raises(Conflict) as err:
        check_event("received", day(3), recorded)
    assert err.value.code == "impossible_sequence"


def test_shipped_dated_after_the_arrival_is_impossible():
    with pytest.raises(Conflict):
        check_event("shipped", day(6), [("ordered", day(0)), ("arrived", day(5))])


def test_shipped_typed_after_arrival_but_dated_before_is_flagged():
    assert check_event("shipped", day(3), [("ordered", day(0)), ("arrived", day(5))]) is True


def test_confirmation_before_the_order_is_impossible():
    with pytest.raises(Conflict):
        check_event("confirmed", day(0), [("ordered", day(1))])


def test_order_placed_once():
    with pytest.raises(Conflict) as err:
        check_event("ordered", day(2), [("ordered", day(1))])
    assert err.value.code == "event_already_recorded"
    assert check_event("received", day(9), [("ordered", day(1)), ("received", day(8))]) is False  # partial


def test_sales_chain():
    assert check_event("shipped", day(2), [("ordered", day(0)), ("picked", day(1))], purchase=False) is False
    with pytest.raises(Conflict):
        check_event("picked", day(0), [("ordered", day(1))], purchase=False)


def test_stage_reached():
    assert stage_reached({"ordered", "confirmed", "arrived"}) == "arrived"
    assert stage_reached(set()) is None
    assert stage_reached({"ordered", "picked"}, purchase=False) == "picked"


def test_a_second_partial_delivery_after_the_first_put_away_is_fine():
    recorded = [("ordered", day(0)), ("shipped", day(3)), ("arrived", day(4)), ("received", day(4)),
                ("put_away", day(5))]
    assert check_event("received", day(9), recorded) is True  # the balance came later
    assert check_event("shipped", day(7), recorded) is True   # and was shipped separately
