"""GTIN, UPC-E and SSCC: check digits and normalisation to 14 digits.

Check digits (GS1 General Specifications §7.9.1): weights 3,1,3,1... from the rightmost payload
digit; check digit = (10 - sum mod 10) mod 10. Each vector below is worked by hand.
"""
import pytest

from server.domain.barcodes import BarcodeError, parse


def refusal(code: str) -> BarcodeError:
    with pytest.raises(BarcodeError) as caught:
        parse(code)
    return caught.value


# 0950600013435|2 (GS1 example GTIN-13 in a GTIN-14), from the right:
# 5*3 + 3 + 4*3 + 3 + 1*3 + 0 + 0*3 + 0 + 6*3 + 0 + 5*3 + 9 + 0*3 = 78 -> (10 - 8) = 2.
def test_gtin14_example_from_gs1_is_kept_as_14_digits():
    result = parse("09506000134352")
    assert (result.kind, result.gtin, result.value, result.symbology) == (
        "gtin", "09506000134352", "09506000134352", "itf14")
    assert result.warnings == ()


def test_gtin13_is_left_padded_to_14_digits():
    # 590123412345|7: 5*3+4+3*3+2+1*3+4+3*3+2+1*3+0+9*3+5 = 93 -> 7.
    result = parse("5901234123457")
    assert (result.gtin, result.symbology) == ("05901234123457", "ean13")


def test_upca_12_digits():
    # 03600029145|2: 5*3+4+1*3+9+2*3+0+0*3+0+6*3+3+0*3 = 58 -> 2.
    result = parse("036000291452")
    assert (result.gtin, result.symbology) == ("00036000291452", "upca")


def test_upca_as_13_digits_from_zxing_is_an_ean13():
    result = parse("]E00036000291452")
    assert (result.gtin, result.symbology, result.aim) == ("00036000291452", "ean13", "]E0")


def test_ean8():
    # 963850|7|4 (biip's example): 7*3+0+5*3+8+3*3+6+9*3 = 86 -> 4.
    result = parse("96385074")
    assert (result.gtin, result.symbology) == ("00000096385074", "ean8")


@pytest.mark.parametrize("code, expected, got", [
    ("09506000134353", 2, 3),
    ("5901234123450", 7, 0),
    ("036000291459", 2, 9),
    ("96385070", 4, 0),
])
def test_bad_check_digit_says_expected_and_got(code, expected, got):
    error = refusal(code)
    assert error.code == "bad_check_digit"
    assert (error.details["expected"], error.details["got"], error.details["value"]) == (
        expected, got, code)
    assert "attendu" in error.fr and "expected" in error.en


# UPC-E -> UPC-A (GS1 General Specifications §5.2.2.4.2), digits 0 X1 X2 X3 X4 X5 d C:
#   d = 0, 1, 2: 0 X1 X2 d 0 0 0 0 X3 X4 X5 C
#   d = 3:       0 X1 X2 X3 0 0 0 0 0 X4 X5 C
#   d = 4:       0 X1 X2 X3 X4 0 0 0 0 0 X5 C
#   d = 5..9:    0 X1 X2 X3 X4 X5 0 0 0 0 d C
# With X = 12345, C is the UPC-A's check digit, e.g. d=0: 01200000345 ->
# 5*3+4+3*3+0+0*3+0+0*3+0+2*3+1+0*3 = 35 -> 5.
@pytest.mark.parametrize("upce, upca", [
    ("01234505", "012000003455"),
    ("01234514", "012100003454"),
    ("01234523", "012200003453"),
    ("01234531", "012300000451"),
    ("01234543", "012340000053"),
    ("01234558", "012345000058"),
    ("01234565", "012345000065"),
    ("01234572", "012345000072"),
    ("01234589", "012345000089"),
    ("01234596", "012345000096"),
    ("11234502", "112000003452"),  # number system 1
])
def test_upce_expansion_for_every_last_digit(upce, upca):
    result = parse(f"]E0{upce}")
    assert (result.kind, result.gtin, result.symbology) == ("gtin", f"00{upca}", "upce")
    assert result.warnings == ("upce_expanded",)


# GS1's example: UPC-E 0425261(4) <-> UPC-A 042100005264. d=1: 0 42 1 0000 526 C;
# 04210000526: 6*3+2+5*3+0+0*3+0+0*3+1+2*3+4+0*3 = 46 -> C = 4, the UPC-E's check digit too.
def test_upce_example_from_gs1_without_prefix():
    result = parse("04252614")  # not a valid EAN-8 (its check digit would be 0): read as UPC-E
    assert (result.gtin, result.symbology, result.warnings) == (
        "00042100005264", "upce", ("upce_expanded",))


def test_eight_digits_valid_as_both_ean8_and_upce_read_as_ean8_with_a_warning():
    result = parse("01234558")
    assert (result.gtin, result.symbology, result.warnings) == (
        "00000001234558", "ean8", ("upce_ambiguous",))


def test_upce_bad_check_digit():
    error = refusal("]E004252610")
    assert error.code == "bad_check_digit"
    assert error.details == {"what": "UPC-E", "value": "04252610", "expected": 4, "got": 0}


def test_eight_digits_invalid_both_ways_report_the_ean8_check():
    error = refusal("04252611")
    assert (error.code, error.details["what"], error.details["expected"]) == ("bad_check_digit", "EAN-8", 0)


@pytest.mark.parametrize("code", ["]E059012341234", "]E0590123412345789", "]I1123"])
def test_wrong_length_under_a_gtin_prefix_is_truncated(code):
    error = refusal(code)
    assert error.code == "truncated"
    assert error.details["expected_lengths"] == [8, 12, 13, 14]


# SSCC 1 0614141 123456789 | 7 (GS1 example): from the right 9*3+8+7*3+6+5*3+4+3*3+2+1*3+1
# +4*3+1+4*3+1+6*3+0+1*3 = 143 -> 7.
def test_bare_sscc():
    result = parse("106141411234567897")
    assert (result.kind, result.sscc, result.value, result.gtin) == (
        "sscc", "106141411234567897", "106141411234567897", None)


def test_bare_sscc_bad_check_digit():
    error = refusal("106141411234567890")
    assert (error.code, error.details["what"], error.details["expected"], error.details["got"]) == (
        "bad_check_digit", "SSCC", 7, 0)


@pytest.mark.parametrize("code", ["12345", "1234567", "123456789012345"])
def test_other_digit_strings_are_free_text(code):
    assert (parse(code).kind, parse(code).value) == ("text", code)


def test_non_ascii_digits_are_not_a_gtin():
    # "٠٩٥٠٦٠٠٠١٣٤٣٥٢": Arabic-Indic digits pass str.isdigit() but are on no barcode.
    assert parse("\u0660\u0669\u0665\u0660\u0666\u0660\u0660\u0660\u0661\u0663\u0664\u0663\u0665\u0662").kind == "text"
