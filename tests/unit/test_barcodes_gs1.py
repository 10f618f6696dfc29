"""GS1 element strings: raw with ASCII 29, human-readable, FNC1 substitutes, and every refusal.

Dates use years 2026-2030: biip reads YY in a window around the current year (GS1 §7.12).
"""
import datetime as dt
from decimal import Decimal

import pytest

from server.domain.barcodes import BarcodeError, parse

GS = "\x1d"
GTIN = "09506000134352"  # check digit worked in test_barcodes_gtin.py
SSCC = "106141411234567897"


def refusal(code: str, **options) -> BarcodeError:
    with pytest.raises(BarcodeError) as caught:
        parse(code, **options)
    return caught.value


def test_full_carton_label_with_separators():
    result = parse(f"]C101{GTIN}17261231"f"10LOT-42{GS}21SN0001{GS}3103001250")
    assert (result.kind, result.symbology, result.aim) == ("gs1", "gs1_128", "]C1")
    assert (result.gtin, result.lot, result.serial) == (GTIN, "LOT-42", "SN0001")
    assert result.expiry == dt.date(2026, 12, 31)
    assert result.net_weight_kg == Decimal("1.250")
    assert result.value == f"(01){GTIN}(17)261231(10)LOT-42(21)SN0001(3103)001250"
    assert result.warnings == ()


def test_elements_carry_ai_labels_raw_and_typed_values():
    result = parse(f"]C101{GTIN}15270615")
    assert [element.to_dict() for element in result.elements] == [
        {"ai": "01", "label_en": "GTIN", "label_fr": "GTIN (article)", "value": GTIN, "parsed": GTIN},
        {"ai": "15", "label_en": "Best before", "label_fr": "À consommer de préférence avant",
         "value": "270615", "parsed": "2027-06-15"},
    ]
    assert result.best_before == dt.date(2027, 6, 15)


def test_uncommon_ai_falls_back_to_biips_english_label():
    element = parse(f"]C101{GTIN}7006260315").elements[1]
    assert (element.ai, element.label_en, element.label_fr) == (
        "7006", "First freeze date (YYMMDD)", "First freeze date (YYMMDD)")


@pytest.mark.parametrize("raw, expected", [
    ("17261200", dt.date(2026, 12, 31)),  # day 00 = last day of the month
    ("17270200", dt.date(2027, 2, 28)),
    ("17280200", dt.date(2028, 2, 29)),   # leap year
    ("17300430", dt.date(2030, 4, 30)),
])
def test_expiry_dates(raw, expected):
    assert parse(f"]C1{raw}").expiry == expected


def test_production_date_is_in_the_elements():
    result = parse(f"]C111260105{GS}10A")
    assert result.elements[0].parsed == dt.date(2026, 1, 5)
    assert result.expiry is None


def test_sscc_alone_is_kind_sscc():
    result = parse(f"]C100{SSCC}")
    assert (result.kind, result.sscc, result.value) == ("sscc", SSCC, f"(00){SSCC}")


def test_pallet_label_with_content_gtin_and_count():
    # 02 (GTIN of content, 1950600013435|9: 5*3+3+4*3+3+1*3+0+0*3+0+6*3+0+5*3+9+1*3 = 81 -> 9),
    # 37 (count, variable length: ends with GS), 10 at the end needs no separator.
    result = parse(f"]C100{SSCC}0219506000134359" f"3748{GS}10L7")
    assert (result.kind, result.sscc, result.content_gtin, result.content_count, result.lot) == (
        "gs1", SSCC, "19506000134359", 48, "L7")
    assert result.gtin is None


def test_variable_count_ai_30():
    result = parse(f"]C101{GTIN}3012{GS}10A")
    assert (result.count, result.lot) == (12, "A")


@pytest.mark.parametrize("ai, raw, kilograms", [
    ("3100", "000012", Decimal("12")),
    ("3101", "000125", Decimal("12.5")),
    ("3102", "001250", Decimal("12.50")),
    ("3103", "001250", Decimal("1.250")),
    ("3104", "012345", Decimal("1.2345")),
    ("3105", "012345", Decimal("0.12345")),
])
def test_net_weight_decimals_follow_the_ais_last_digit(ai, raw, kilograms):
    result = parse(f"]C101{GTIN}{ai}{raw}")
    assert result.net_weight_kg == kilograms
    assert str(result.net_weight_kg) == str(kilograms)


def test_lot_at_the_end_needs_no_separator():
    assert parse(f"]C101{GTIN}10ABC").lot == "ABC"


def test_lot_followed_by_an_ai_needs_a_separator():
    with_separator = parse(f"]C110ABC{GS}17261231")
    without = parse("]C110ABC17261231")
    assert (with_separator.lot, with_separator.expiry) == ("ABC", dt.date(2026, 12, 31))
    assert (without.lot, without.expiry) == ("ABC17261231", None)  # GS1 rule: lot takes it all


def test_fixed_length_fields_need_no_separator():
    result = parse("]C10219506000134359" "17261231" "11260101")
    assert [e.ai for e in result.elements] == ["02", "17", "11"]


def test_separator_after_a_fixed_length_field_is_tolerated():
    assert parse(f"]C101{GTIN}{GS}17261231{GS}").expiry == dt.date(2026, 12, 31)


def test_human_readable_form():
    result = parse(f"(01){GTIN}(17)261200(10)AB-12 (21)X")
    assert (result.kind, result.gtin, result.expiry, result.lot, result.serial) == (
        "gs1", GTIN, dt.date(2026, 12, 31), "AB-12", "X")
    assert result.symbology == "unknown"


def test_human_readable_form_under_a_gs1_prefix():
    assert parse(f"]Q3(01){GTIN}(10)A").symbology == "gs1_qrcode"


@pytest.mark.parametrize("prefix, symbology", [
    ("]C1", "gs1_128"), ("]d2", "gs1_datamatrix"), ("]Q3", "gs1_qrcode"), ("]e0", "gs1_databar"),
])
def test_each_gs1_aim_prefix(prefix, symbology):
    result = parse(f"{prefix}01{GTIN}")
    assert (result.kind, result.symbology, result.aim, result.gtin) == ("gs1", symbology, prefix, GTIN)


def test_fnc1_in_first_position_transmitted_as_gs_is_ignored():
    assert parse(f"]d2{GS}01{GTIN}{GS}10A").lot == "A"


def test_unprefixed_raw_element_string_is_recognised():
    result = parse(f"01{GTIN}17261231" f"10ABC")
    assert (result.kind, result.symbology, result.aim, result.lot) == ("gs1", "unknown", None, "ABC")


@pytest.mark.parametrize("substitute", ["~", "<GS>", "\\x1d", "\u241d", "^]"])
def test_default_fnc1_substitutes(substitute):
    result = parse(f"01{GTIN}10ABC{substitute}17261231")
    assert (result.lot, result.expiry) == ("ABC", dt.date(2026, 12, 31))
    assert result.warnings == ("fnc1_substituted",)


def test_custom_fnc1_substitute():
    result = parse("10ABC#17261231", fnc1_substitutes=("#",))
    assert (result.lot, result.warnings) == ("ABC", ("fnc1_substituted",))


def test_without_its_substitute_a_tilde_in_a_lot_is_refused():
    # "~" is outside the GS1 character set: refused rather than kept in the lot.
    error = refusal(f"01{GTIN}10ABC~17261231", fnc1_substitutes=())
    assert (error.code, error.details["ai"], error.details["value"]) == (
        "bad_format", "10", "ABC~17261231")


def test_text_with_a_tilde_stays_text():
    assert (parse("~hello~").kind, parse("~hello~").value) == ("text", "~hello~")


def test_to_dict_is_plain_json_data():
    assert parse(f"]C101{GTIN}17261231" f"3102001250{GS}10A").to_dict() == {
        "kind": "gs1", "value": f"(01){GTIN}(17)261231(3102)001250(10)A",
        "raw": f"]C101{GTIN}17261231" f"3102001250{GS}10A",
        "symbology": "gs1_128", "aim": "]C1", "gtin": GTIN, "content_gtin": None, "sscc": None,
        "lot": "A", "serial": None, "expiry": "2026-12-31", "best_before": None,
        "count": None, "content_count": None, "net_weight_kg": "12.50", "reference": None,
        "elements": [
            {"ai": "01", "label_en": "GTIN", "label_fr": "GTIN (article)", "value": GTIN,
             "parsed": GTIN},
            {"ai": "17", "label_en": "Expiry date", "label_fr": "Date de péremption",
             "value": "261231", "parsed": "2026-12-31"},
            {"ai": "3102", "label_en": "Net weight (kg)", "label_fr": "Poids net (kg)",
             "value": "001250", "parsed": "12.50"},
            {"ai": "10", "label_en": "Batch/lot", "label_fr": "Lot", "value": "A", "parsed": "A"},
        ],
        "warnings": [],
    }


# --- refusals -------------------------------------------------------------------------------

@pytest.mark.parametrize("code, ai, expected, got", [
    ("]C10109506000134353", "01", 2, 3),
    ("]C10219506000134350", "02", 9, 0),
    ("]C100106141411234567890", "00", 7, 0),
    ("(01)09506000134353", "01", 2, 3),
    # GLN 950600013435|2 (same payload digits as the GTIN above, one shorter: sum 78 -> 2).
    ("]C14109506000134350", "410", 2, 0),
])
def test_bad_check_digit_inside_an_element(code, ai, expected, got):
    error = refusal(code)
    assert (error.code, error.details["ai"], error.details["expected"], error.details["got"]) == (
        "bad_check_digit", ai, expected, got)


@pytest.mark.parametrize("code, at", [
    ("]C123123", "23123"),
    (f"]C101{GTIN}04123", "04123"),
    ("]C1hello", "hello"),
    (f"01{GTIN}{GS}99A{GS}2399", "2399"),
    (f"(01){GTIN}(23)123", "(23)"),
])
def test_unknown_ai(code, at):
    error = refusal(code)
    assert (error.code, error.details["at"]) == ("unknown_ai", at)


@pytest.mark.parametrize("code, ai, need, got", [
    ("]C10109506000134", "01", 14, 11),
    (f"]C101{GTIN}172612", "17", 6, 4),
    (f"]C1172612{GS}10ABC", "17", 6, 4),
    (f"]C100{SSCC[:-1]}", "00", 18, 17),
    (f"]C101{GTIN}30", "30", 1, 0),
    (f"]C101{GTIN}310300125", "3103", 6, 5),
    ("(01)0950600013435", "01", 14, 13),
    ("(10)", "10", 1, 0),
])
def test_truncated_field(code, ai, need, got):
    error = refusal(code)
    assert (error.code, error.details) == (
        "truncated", {"ai": ai, "expected_length": need, "length": got})


@pytest.mark.parametrize("code, ai, value", [
    ("]C117261331", "17", "261331"),          # month 13
    ("]C115260015", "15", "260015"),          # month 00
    (f"]C117260230{GS}10A", "17", "260230"),  # 30 February
    ("(11)270229", "11", "270229"),           # 2027 is not a leap year
    ("]C11726133110ABC", "17", "261331"),
])
def test_invalid_date(code, ai, value):
    error = refusal(code)
    assert (error.code, error.details) == ("invalid_date", {"ai": ai, "value": value})
    assert "AAMMJJ" in error.fr


@pytest.mark.parametrize("code, ai, value", [
    ("]C10109506000134A52", "01", "09506000134A52"),
    ("]C11726AB31", "17", "26AB31"),
    ("]C110AB CD", "10", "AB CD"),                   # space is not in the GS1 character set
    (f"]C110{'X' * 21}", "10", "X" * 21),           # lot is at most 20 characters
    (f"]C13012A{GS}10B", "30", "12A"),
    (f"(01){GTIN}1", "01", f"{GTIN}1"),             # human-readable: too long
    ("(17)2612311", "17", "2612311"),
])
def test_bad_format(code, ai, value):
    error = refusal(code)
    assert (error.code, error.details["ai"], error.details["value"]) == ("bad_format", ai, value)


def test_same_ai_twice_with_different_values_is_refused():
    error = refusal(f"]C110A{GS}10B")
    assert (error.code, error.details) == ("bad_format", {"ai": "10", "values": ["A", "B"]})


def test_same_ai_twice_with_the_same_value_is_accepted():
    assert parse(f"]C110A{GS}10A").lot == "A"


@pytest.mark.parametrize("code", ["(01)0950(6)000", "(01)(10)A)", f"(01){GTIN})"])
def test_broken_human_readable_form(code):
    error = refusal(code)
    assert (error.code, error.details) == ("bad_format", {})


def test_non_ascii_under_a_gs1_prefix_is_unreadable():
    assert refusal("]C110LOTé").code == "unreadable"


@pytest.mark.parametrize("code", ["]C1", f"]C1{GS}{GS}", "]C1~~"])
def test_gs1_prefix_with_nothing_after_it_is_empty(code):
    assert refusal(code).code == "empty"


def test_refusals_are_worded_in_both_languages():
    error = refusal("]C117261331")
    assert error.en == "Field (17) “Expiry date”: 261331 is not a valid date (expected YYMMDD)."
    assert error.fr == ("Champ (17) « Date de péremption » : 261331 n'est pas une date valide "
                        "(format AAMMJJ attendu).")
    assert (error.field, error.message("fr")) == ("code", error.fr)
