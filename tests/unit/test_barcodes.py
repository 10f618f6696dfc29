"""parse(): input hygiene, AIM prefixes, kinds, free text, Tendu labels and the AZERTY repair."""
import pytest

from server.domain.barcodes import (
    ERROR_CODES, KINDS, LABEL_TYPES, BarcodeError, make_label, parse,
)
from server.domain.errors import Invalid

GS = "\x1d"
GTIN = "09506000134352"
EAN13 = "5901234123457"


def refusal(code: str) -> BarcodeError:
    with pytest.raises(BarcodeError) as caught:
        parse(code)
    return caught.value


# --- hygiene ---------------------------------------------------------------------------------

@pytest.mark.parametrize("code", [f"  {EAN13}\r\n", f"\x00{EAN13}\x00", f"\t{EAN13}\n", f"{EAN13}\u00a0"])
def test_surrounding_whitespace_crlf_and_nul_are_stripped(code):
    result = parse(code)
    assert (result.gtin, result.raw) == (f"0{EAN13}", EAN13)


@pytest.mark.parametrize("code", ["", "   ", "\r\n", "\x00\x00", " \x00\n"])
def test_empty_scan(code):
    error = refusal(code)
    assert error.code == "empty"
    assert (error.en, error.fr) == ("The scan is empty: nothing was read.",
                                    "Le scan est vide : rien n'a été lu.")


def test_barcode_error_is_an_invalid_domain_error_with_a_known_code():
    error = refusal("")
    assert isinstance(error, Invalid)
    assert error.code in ERROR_CODES


# --- AIM prefixes ----------------------------------------------------------------------------

@pytest.mark.parametrize("code, symbology, gtin", [
    (f"]E0{EAN13}", "ean13", f"0{EAN13}"),
    ("]E0036000291452", "upca", "00036000291452"),
    ("]E004252614", "upce", "00042100005264"),
    ("]E496385074", "ean8", "00000096385074"),
    (f"]I1{GTIN}", "itf14", GTIN),
    (f"]I0{GTIN}", "itf14", GTIN),
    (f"]e001{GTIN}", "gs1_databar", GTIN),
])
def test_gtin_aim_prefixes(code, symbology, gtin):
    result = parse(code)
    assert (result.symbology, result.aim, result.gtin) == (symbology, code[:3], gtin)
    assert "aim_prefix_mismatch" not in result.warnings


@pytest.mark.parametrize("code, symbology, kind", [
    (f"]C0{EAN13}", "code128", "gtin"),
    ("]C0ABC-123", "code128", "text"),
    ("]d1TL:LOC:B2", "datamatrix", "location"),
    ("]Q1hello world", "qrcode", "text"),
    (f"]d101{GTIN}10X", "datamatrix", "gs1"),
    ("]A0CODE39", "unknown", "text"),
])
def test_non_gs1_aim_prefixes_keep_their_symbology_and_recognise_the_content(code, symbology, kind):
    result = parse(code)
    assert (result.symbology, result.aim, result.kind) == (symbology, code[:3], kind)


def test_ean_prefix_with_non_digit_content_warns_and_reads_the_content():
    result = parse("]E0TL:PO:77")
    assert (result.kind, result.reference, result.symbology) == ("purchase_order", "77", "ean13")
    assert result.warnings == ("aim_prefix_mismatch",)


def test_ean8_prefix_with_13_digits_warns():
    result = parse(f"]E4{EAN13}")
    assert (result.gtin, result.symbology, result.warnings) == (
        f"0{EAN13}", "ean13", ("aim_prefix_mismatch",))


def test_ean_prefix_with_eight_digits_outside_upce_number_systems_reads_ean8_with_warning():
    result = parse("]E096385074")
    assert (result.gtin, result.symbology, result.warnings) == (
        "00000096385074", "ean8", ("aim_prefix_mismatch",))


def test_text_that_merely_starts_with_a_bracket_has_no_prefix():
    result = parse("]Hello")
    assert (result.kind, result.aim, result.value) == ("text", None, "]Hello")


# --- kinds and free text ---------------------------------------------------------------------

def test_every_kind_is_reachable():
    codes = [GTIN, f"]C101{GTIN}10A", "106141411234567897", "TL:LOC:A1", "TL:PO:1", "TL:SO:2",
             "TL:PRD:SKU-9", "SUPPLIER-REF 42"]
    assert [parse(code).kind for code in codes] == list(KINDS)


@pytest.mark.parametrize("text", ["ABC-123", "Réf. fournisseur n°5", "10ABC", "3012", "12345678901"])
def test_free_text_is_not_an_error(text):
    result = parse(text)
    assert (result.kind, result.value, result.gtin, result.warnings) == ("text", text, None, ())


@pytest.mark.parametrize("code", ["AB\x01CD", f"hello{GS}world", "two\nscans", "bad\ufffdbyte"])
def test_control_characters_inside_text_are_unreadable(code):
    error = refusal(code)
    assert error.code == "unreadable"
    assert "scanner" in error.en and "lecteur" in error.fr


def test_gtin_to_dict():
    assert parse(f"]E0{EAN13}").to_dict() == {
        "kind": "gtin", "value": f"0{EAN13}", "raw": f"]E0{EAN13}", "symbology": "ean13",
        "aim": "]E0", "gtin": f"0{EAN13}", "content_gtin": None, "sscc": None, "lot": None,
        "serial": None, "expiry": None, "best_before": None, "count": None,
        "content_count": None, "net_weight_kg": None, "reference": None, "elements": [],
        "warnings": [],
    }


def test_fnc1_substitutes_must_not_be_empty_strings():
    with pytest.raises(ValueError):
        parse(GTIN, fnc1_substitutes=("",))


# --- Tendu labels ----------------------------------------------------------------------------

@pytest.mark.parametrize("kind, value, label", [
    ("location", "A-01-3", "TL:LOC:A-01-3"),
    ("purchase_order", "PO-2026/0012", "TL:PO:PO-2026/0012"),
    ("sales_order", "so.77", "TL:SO:SO.77"),
    ("product_ref", "sku_9", "TL:PRD:SKU_9"),
])
def test_make_label_and_parse_share_one_definition(kind, value, label):
    assert make_label(kind, value) == label
    result = parse(label)
    assert (result.kind, result.reference, result.value) == (kind, value.upper(), value.upper())


def test_label_types_are_the_label_kinds():
    assert set(LABEL_TYPES) == {"location", "purchase_order", "sales_order", "product_ref"}


@pytest.mark.parametrize("code", ["tl:loc:a-01-3", "Tl:Loc:A-01-3", "TL:LOC:a-01-3"])
def test_labels_are_read_whatever_the_case(code):
    assert (parse(code).kind, parse(code).reference) == ("location", "A-01-3")


def test_unknown_label_type_is_refused():
    error = refusal("TL:BIN:A1")
    assert (error.code, error.details) == (
        "bad_format", {"label_type": "BIN", "known": ["LOC", "PO", "SO", "PRD"]})


@pytest.mark.parametrize("code", ["TL:LOC:", "TL:LOC:A 1", "TL:LOC:Aé", "TL:LOC:\u0131", f"TL:PO:{'9' * 65}"])
def test_bad_label_values_are_refused(code):
    assert refusal(code).code == "bad_format"


def test_make_label_refuses_a_bad_value_and_an_unknown_kind():
    with pytest.raises(BarcodeError):
        make_label("location", "A 1")
    with pytest.raises(ValueError):
        make_label("pallet", "A1")


# --- AZERTY repair ---------------------------------------------------------------------------
# A QWERTY scanner on an AZERTY machine: digit row 1234567890 -> &é"'(-è_çà, Shift+9 "(" -> 9,
# Shift+0 ")" -> 0, "-" -> ")", Q <-> A, ";"/":" key -> m/M, "]" -> "$". Strings typed by hand.

def test_azerty_gtin_is_repaired():
    result = parse("àç(à-ààà&\"'\"(é")  # 09506000134352
    assert (result.kind, result.gtin, result.raw) == ("gtin", GTIN, "àç(à-ààà&\"'\"(é")
    assert result.warnings == ("azerty_repaired",)


def test_azerty_aim_prefix_and_element_string_are_repaired():
    # ]C1 01 09506000134352 17 261231 10 AB12
    result = parse("$C&à&àç(à-ààà&\"'\"(é&èé-&é\"&&àQB&é")
    assert (result.aim, result.gtin, result.lot, result.expiry.isoformat()) == (
        "]C1", GTIN, "AB12", "2026-12-31")
    assert result.warnings == ("azerty_repaired",)


def test_azerty_human_readable_form_is_repaired():
    result = parse("9à&0àç(à-ààà&\"'\"(é9&à0QBC")  # (01)09506000134352(10)ABC
    assert (result.gtin, result.lot, result.warnings) == (GTIN, "ABC", ("azerty_repaired",))


def test_azerty_label_is_repaired():
    result = parse("TLMLOCMQ)à&")  # TL:LOC:A-01
    assert (result.kind, result.reference, result.warnings) == ("location", "A-01", ("azerty_repaired",))


def test_azerty_with_a_real_separator_is_repaired_where_it_was_unreadable():
    result = parse("&àQBC\x1d&èé-&é\"&")  # 10ABC<GS>17261231
    assert (result.lot, result.warnings) == ("ABC", ("azerty_repaired",))


def test_azerty_gtin_with_a_bad_check_digit_is_not_guessed():
    result = parse("àç(à-ààà&\"'\"(&")  # 09506000134351: repaired, it does not validate
    assert (result.kind, result.value, result.gtin, result.warnings) == (
        "text", "àç(à-ààà&\"'\"(&", None, ())


def test_refusal_keeps_the_original_error_when_the_repair_does_not_validate():
    error = refusal(f"]E0{EAN13[:-1]}8")
    assert (error.code, error.details["expected"], error.details["got"]) == ("bad_check_digit", 7, 8)


def test_refusal_keeps_the_original_error_for_unreadable_input():
    # Repaired, this is 10ABC<GS>17261232: day 32 does not validate, so the original error stands.
    assert refusal("&àQBC\x1d&èé-&é\"é").code == "unreadable"


def test_valid_scans_are_never_repaired():
    assert parse("TL:LOC:A-01").warnings == ()
    result = parse("Qwerty-6")  # repairs into "Azerty6^", still text: kept as typed
    assert (result.kind, result.value, result.warnings) == ("text", "Qwerty-6", ())
