"""A company's own all-digit codes (a bin "10020304", an article code "12345678" on a Code 128 label).

After an AIM prefix that promises no GTIN (]C0 plain Code 128, ]d1 DataMatrix, ]Q1 QR, an unlisted one), digits
whose GS1 check digit fails are free text with the warning "not_a_gtin". Without a prefix the check digit is still
refused: only the caller, who knows the company's codes, may read them as text (``own_code_reading``).
"""
import pytest
from biip.checksums import gs1_standard_check_digit

from server.domain.barcodes import NOT_A_GTIN, BarcodeError, azerty_text_reading, own_code_reading, parse, refusals, \
    scanned_text

BIN = "10020304"          # EAN-8 check digit 2, not 4
ARTICLE = "12345678"      # EAN-8 check digit 0, not 8


def refusal(code: str) -> BarcodeError:
    with pytest.raises(BarcodeError) as caught:
        parse(code)
    return caught.value


def wrong(body: str) -> str:
    """``body`` and a check digit that is not the GS1 one."""
    return body + str((gs1_standard_check_digit(body) + 1) % 10)


def right(body: str) -> str:
    return body + str(gs1_standard_check_digit(body))


@pytest.mark.parametrize("prefix, symbology", [("]C0", "code128"), ("]d1", "datamatrix"), ("]Q1", "qrcode"),
                                               ("]A0", "unknown")])
@pytest.mark.parametrize("digits", [BIN, ARTICLE, wrong("12345678901"), wrong("200000000001"),
                                    wrong("1234567890123"), wrong("12345678901234567")])
def test_digits_with_a_wrong_check_digit_after_a_non_gtin_prefix_are_text(prefix, symbology, digits):
    result = parse(prefix + digits)
    assert (result.kind, result.value, result.gtin, result.symbology, result.aim) == (
        "text", digits, None, symbology, prefix)
    assert result.warnings == (NOT_A_GTIN,) and result.raw == prefix + digits


@pytest.mark.parametrize("code, gtin", [
    ("]C0" + right("9638507"), "000000" + right("9638507")),
    ("]C05901234123457", "05901234123457"),
    ("]d1" + right("1234567890123"), right("1234567890123")),
])
def test_digits_with_a_right_check_digit_after_a_non_gtin_prefix_stay_a_gtin(code, gtin):
    result = parse(code)
    assert (result.kind, result.gtin) == ("gtin", gtin)
    assert NOT_A_GTIN not in result.warnings


@pytest.mark.parametrize("code", [BIN, ARTICLE, wrong("200000000001"), wrong("1234567890123")])
def test_without_a_prefix_a_wrong_check_digit_is_still_refused(code):
    error = refusal(code)
    assert error.code == "bad_check_digit" and error.details["value"] == code
    assert "chiffre de contrôle" in error.fr and "check digit" in error.en


@pytest.mark.parametrize("code", ["]E0" + ARTICLE, "]E4" + BIN, "]I1" + wrong("1234567890123"),
                                  "]C101" + wrong("1234567890123"), "(01)0" + wrong("200000000001")])
def test_an_announced_gtin_or_gs1_code_with_a_wrong_check_digit_is_still_refused(code):
    assert refusal(code).code == "bad_check_digit"


def test_own_code_reading_gives_the_digits_of_an_unprefixed_check_digit_refusal_as_text():
    reading = own_code_reading(f" {BIN}\r\n", refusal(f" {BIN}\r\n"))
    assert (reading.kind, reading.value, reading.raw, reading.aim, reading.gtin) == ("text", BIN, BIN, None, None)
    assert reading.warnings == (NOT_A_GTIN,)


@pytest.mark.parametrize("code", ["]E0" + ARTICLE, "]C101" + wrong("1234567890123"), "(01)0" + wrong("200000000001"),
                                  "(17)271332", "   "])
def test_own_code_reading_is_none_for_any_other_refusal(code):
    assert own_code_reading(code, refusal(code)) is None


@pytest.mark.parametrize("code, text", [
    (right("1234567"), right("1234567")),            # an EAN-8 by chance: its digits as scanned
    ("]C0" + right("1234567"), right("1234567")),
    ("]E0" + right("1234567"), right("1234567")),     # a UPC-E: its GTIN is the UPC-A, the text is what was scanned
    ("&é\"'(-èà", "12345670"),                      # typed through an AZERTY layout, repaired
    ("]C0" + ARTICLE, ARTICLE),
    ("TL:LOC:A-01", None),
    ("]C101" + right("1234567890123") + "10LOT", None),
])
def test_scanned_text_is_what_a_gtin_or_text_reading_carried(code, text):
    assert scanned_text(parse(code)) == text


@pytest.mark.parametrize("code, value, warnings", [
    ("&é\"'(-è_", ARTICLE, (NOT_A_GTIN, "azerty_repaired")),   # 12345678, the digit row unshifted on AZERTY
    ("&ààéà\"à'\r\n", BIN, (NOT_A_GTIN, "azerty_repaired")),
    ("Q)à&", "A-01", ("azerty_repaired",)),                   # a bin's own code with letters
    ("$Cà&é\"'(-è_", ARTICLE, (NOT_A_GTIN, "azerty_repaired")),  # ]C0 12345678: the AIM prefix typed too
])
def test_azerty_text_reading_is_the_repaired_scan_as_text(code, value, warnings):
    assert parse(code).kind == "text"   # what the parser keeps: the text as typed
    reading = azerty_text_reading(code)
    assert (reading.kind, reading.value, reading.raw, reading.warnings) == ("text", value, code.strip(), warnings)


@pytest.mark.parametrize("code", [
    ARTICLE,                 # digits came through no AZERTY digit row
    "]C0" + ARTICLE,
    "&é\"'(-èà",             # repaired: a valid EAN-8, which parse itself keeps
    "TLMLOCMQ)à&",           # repaired: a Tendu label (TL:LOC:A-01), idem
    "BIN",                   # the repair changes nothing
])
def test_azerty_text_reading_is_none_where_it_has_nothing_to_add(code):
    assert azerty_text_reading(code) is None


def test_the_refusal_of_digits_known_nowhere_says_both_and_keeps_the_code_and_details():
    first = refusal("99999999")
    both = refusals.bad_check_digit_nor_known(first, "99999999")
    assert (both.code, both.status, both.field, both.details) == ("bad_check_digit", 422, "code", first.details)
    assert both.en == ("99999999 is no valid EAN-8 (check digit 5 expected, 9 read) and no code known here: scan it "
                       "again; if it is your own code, ask a supervisor to link it.")
    assert both.fr == ("99999999 n'est ni un EAN-8 valide (chiffre de contrôle attendu 5, lu 9) ni un code connu "
                       "ici : scannez-le à nouveau ; si c'est votre propre code, demandez à un responsable de "
                       "l'associer.")
    gs1 = refusals.bad_check_digit_nor_known(refusal("01" + wrong("1234567890123")), "01" + wrong("1234567890123"))
    assert "no valid GS1 code (its (01) GTIN)" in gs1.en and "un code GS1 valide (son GTIN en (01))" in gs1.fr
