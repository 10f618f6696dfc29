from decimal import Decimal

import pytest

from server.domain.errors import Conflict
from server.domain.put_back import Picked, PutBack, put_backs

DISPATCH, A01, B01, C01 = 9, 1, 2, 3


def part(line, sku, source, qty, lot=""):
    return Picked(line_id=line, product_id=100 + line, sku=sku, lot=lot, source_id=source, dispatch_id=DISPATCH,
                  qty=Decimal(qty))


def test_each_part_goes_back_to_the_bin_it_was_picked_from_with_its_lot():
    picked = [part(1, "PAD", A01, 3), part(1, "PAD", B01, 2), part(2, "OIL", B01, 1, lot="L7")]
    assert put_backs(picked) == [PutBack(1, 101, "", DISPATCH, A01, Decimal(3)),
                                 PutBack(1, 101, "", DISPATCH, B01, Decimal(2)),
                                 PutBack(2, 102, "L7", DISPATCH, B01, Decimal(1))]


def test_a_bin_named_by_the_supervisor_takes_everything():
    picked = [part(1, "PAD", A01, 3), part(2, "OIL", None, 1)]
    assert [(m.to_id, m.qty) for m in put_backs(picked, C01)] == [(C01, 3), (C01, 1)]


def test_a_part_whose_bin_is_no_longer_in_use_needs_a_bin_named():
    with pytest.raises(Conflict) as refused:
        put_backs([part(1, "PAD", A01, 3), part(2, "OIL", None, 1), part(3, "BAT", None, 2)])
    assert refused.value.code == "put_back_location_required" and refused.value.field == "put_back_to"
    assert refused.value.details == {"skus": ["BAT", "OIL"]}
    assert "BAT, OIL" in refused.value.en and "BAT, OIL" in refused.value.fr


def test_nothing_picked_nothing_to_put_back():
    assert put_backs([]) == [] and put_backs([part(1, "PAD", None, 0)]) == []
