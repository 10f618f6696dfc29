"""Property tests: whatever is typed, parse() answers with a result or a BarcodeError, nothing else."""
import datetime as dt
import json

from hypothesis import example, given, settings
from hypothesis import strategies as st
from biip.checksums import gs1_standard_check_digit

from server.domain.barcodes import (
    ERROR_CODES, KINDS, LABEL_TYPES, BarcodeError, ParseResult, make_label, parse,
)

# Pieces scanners and people really produce, so that random strings reach the deep branches.
_PIECES = st.sampled_from([
    "]E0", "]E4", "]C1", "]C0", "]d2", "]d1", "]Q3", "]Q1", "]e0", "]I1", "]I0", "]X9",
    "01", "02", "00", "10", "11", "15", "17", "21", "30", "37", "3103", "3105", "410", "7003",
    "(01)", "(10)", "(17)", "(", ")", "\x1d", "~", "<GS>", "TL:", "LOC:", "PO:", "tl:prd:",
    "&", "é", '"', "'", "-", "è", "_", "ç", "à", "$", "M", "Q", "9", "0", "\x00", "\r\n", " ",
    "09506000134352", "106141411234567897", "261231", "261331", "260200", "001250",
])
_SCANLIKE = st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=12).map("".join)


def _check(code: str) -> None:
    try:
        result = parse(code)
    except BarcodeError as error:
        assert error.code in ERROR_CODES
        assert error.en and error.fr
        json.dumps(error.details)
        return
    assert isinstance(result, ParseResult)
    assert result.kind in KINDS
    json.dumps(result.to_dict())  # always plain JSON data


@settings(max_examples=400, deadline=None)
@given(st.text())
@example("\udcff")
@example("]")
@example("]E")
@example("(")
@example("(01)")
@example("\x1d")
@example("]C1\x1d")
@example("TL:")
@example("30")
def test_arbitrary_text_gives_a_result_or_a_barcode_error(code):
    _check(code)


@settings(max_examples=800, deadline=None)
@given(_SCANLIKE)
def test_scan_like_text_gives_a_result_or_a_barcode_error(code):
    _check(code)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(LABEL_TYPES)),
       st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._/-",
               min_size=1, max_size=64))
def test_every_label_made_is_read_back(kind, value):
    result = parse(make_label(kind, value))
    assert (result.kind, result.reference) == (kind, value.upper())


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_any_valid_gtin13_round_trips_and_any_other_last_digit_is_refused(payload):
    valid = payload + str(gs1_standard_check_digit(payload))
    assert parse(valid).gtin == "0" + valid
    wrong = payload + str((int(valid[-1]) + 1) % 10)
    try:
        parse(wrong)
    except BarcodeError as error:
        assert error.code == "bad_check_digit"
    else:
        raise AssertionError(f"{wrong} was accepted")


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2060, 12, 31)),
       st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1, max_size=20))
def test_expiry_and_lot_round_trip_with_a_separator(expiry, lot):
    result = parse(f"]C110{lot}\x1d17{expiry:%y%m%d}")
    assert (result.lot, result.expiry) == (lot, expiry)
