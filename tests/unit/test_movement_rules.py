from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from server.domain.errors import Invalid
from server.domain.movements import check_occurred_at, check_quantity, fmt_qty, level_deltas

NOW = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("qty, code", [
    (Decimal(0), "quantity_not_positive"),
    (Decimal(-1), "quantity_not_positive"),
    (Decimal("1000000.001"), "absurd_quantity"),
    (Decimal("1.0001"), "quantity_precision"),
    (Decimal("NaN"), "invalid_quantity"),
    (Decimal("Infinity"), "invalid_quantity"),
])
def test_bad_quantities_are_refused(qty, code):
    with pytest.raises(Invalid) as err:
        check_quantity(qty)
    assert err.value.code == code
    assert err.value.fr and err.value.fr != err.value.en


def test_negative_allowed_only_when_asked():
    assert check_quantity(Decimal("-2.5"), allow_negative=True) == Decimal("-2.5")
    assert check_quantity(Decimal("1000000")) == Decimal("1000000")


def test_future_beyond_skew_refused_but_past_accepted():
    assert check_occurred_at(NOW + timedelta(seconds=299), NOW, 300)
    assert check_occurred_at(NOW - timedelta(days=30), NOW, 300)  # an offline queue replayed late
    with pytest.raises(Invalid) as err:
        check_occurred_at(NOW + timedelta(seconds=301), NOW, 300)
    assert err.value.code == "future_time"
    with pytest.raises(Invalid) as err:
        check_occurred_at(datetime(2026, 3, 1, 8, 0), NOW, 300)
    assert err.value.code == "time_without_zone"


def test_level_deltas():
    q = Decimal(5)
    assert level_deltas(q, None, 2) == [(2, q)]
    assert level_deltas(q, 1, None) == [(1, -q)]
    assert level_deltas(q, 1, 2) == [(1, -q), (2, q)]
    with pytest.raises(Invalid):
        level_deltas(q, None, None)
    with pytest.raises(Invalid):
        level_deltas(q, 3, 3)


def test_fmt_qty():
    assert fmt_qty(Decimal("10.000")) == "10"
    assert fmt_qty(Decimal("12.500")) == "12.5"
