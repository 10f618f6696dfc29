"""Printable labels: every symbol scans back with the photo decoder, sheets place labels where
they should, and bad requests are refused with a stable code.

PDF pages are rasterised with pypdfium2 (a test-only dependency) so that the sheet's symbols are
proven readable too, not just present.
"""
from __future__ import annotations

import io
import itertools

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from server.decoding import decode_image
from server.domain.barcodes.labels import make_label
from server.domain.errors import Invalid
from server.labels import GRIDS, MAX_LABELS, MIN_MODULE_MM, LabelSpec, render_png, render_sheet

GS = "\x1d"
DPI = 300
GTIN = "03453120000011"
BIN = make_label("location", "A-01-3")
WHITE = 255


# --------------------------------------------------------------------------------------------
# Helpers

def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"))


def as_png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def scanned(png: bytes) -> list[tuple[str, bool, str]]:
    return [(symbol.text, symbol.gs1, symbol.aim) for symbol in decode_image(png)]


def pages(pdf: bytes, dpi: int = DPI) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("L") for page in document]
    finally:
        document.close()


def page_text(pdf: bytes, index: int = 0) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        return document[index].get_textpage().get_text_range()
    finally:
        document.close()


def cell_image(page: Image.Image, grid_name: str, cell: int, dpi: int = DPI) -> Image.Image:
    grid = GRIDS[grid_name]
    left, top = grid.cell_origin(cell)
    box = (left, top, left + grid.label_width, top + grid.label_height)
    return page.crop(tuple(round(mm * dpi / 25.4) for mm in box))


def dark_rows(image: np.ndarray) -> np.ndarray:
    return np.flatnonzero((image < 128).any(axis=1))


def bar_rows(image: np.ndarray) -> np.ndarray:
    """Rows of a 1D label that carry the bars: the many rows identical to the middle one of the symbol."""
    dark = image < 128
    counts = dark.sum(axis=1)
    middle = dark[np.argmax(counts)]
    return np.flatnonzero((dark == middle).all(axis=1))


def mm_to_px(length_mm: float, dpi: int = DPI) -> int:
    return round(length_mm * dpi / 25.4)


# --------------------------------------------------------------------------------------------
# Every symbology scans back

@pytest.mark.parametrize("symbology, aim", [
    ("code128", "]C0"), ("qrcode", "]Q1"), ("datamatrix", "]d1"),
])
@pytest.mark.parametrize("content", [BIN, make_label("purchase_order", "PO-000042"),
                                     make_label("product_ref", "SKU-77/B")])
def test_internal_labels_scan_back_as_written(symbology, aim, content):
    png = render_png(LabelSpec(content, symbology, title="Allée A, travée 1"))
    assert scanned(png) == [(content, False, aim)]


@pytest.mark.parametrize("symbology, aim", [("gs1_128", "]C1"), ("gs1_datamatrix", "]d2")])
def test_gs1_labels_carry_fnc1_and_group_separators(symbology, aim):
    png = render_png(LabelSpec(f"(01){GTIN}(17)261231(10)LOT7(21)S-9", symbology))
    assert scanned(png) == [(f"01{GTIN}17261231" f"10LOT7{GS}21S-9", True, aim)]


@pytest.mark.parametrize("symbology", ["gs1_128", "gs1_datamatrix"])
def test_gs1_raw_content_keeps_brackets_in_data(symbology):
    # "(" is legal in a GS1 lot; it must not be taken for the start of another AI.
    png = render_png(LabelSpec(f"01{GTIN}10AB(C{GS}21X", symbology))
    assert [text for text, _, _ in scanned(png)] == [f"01{GTIN}10AB(C{GS}21X"]


def test_gs1_text_under_the_code_defaults_to_the_readable_form():
    raw = render_png(LabelSpec(f"01{GTIN}10LOT7", "gs1_128"))
    spelled_out = render_png(LabelSpec(f"01{GTIN}10LOT7", "gs1_128", text=f"(01){GTIN}(10)LOT7"))
    assert raw == spelled_out


def test_a_plain_datamatrix_stays_square():
    # Left alone, the encoder picks an 8x64 DMRE for this content, which older scanners cannot read.
    png = render_png(LabelSpec(f"(01){GTIN}(17)261231(10)LOT7", "datamatrix", text=""))
    image = pixels(png)
    rows, columns = dark_rows(image), dark_rows(image.T)
    assert abs((rows[-1] - rows[0]) - (columns[-1] - columns[0])) <= 1
    assert scanned(png)[0][0] == f"(01){GTIN}(17)261231(10)LOT7"


# --------------------------------------------------------------------------------------------
# PNG: size, text under the code, title above

def test_png_has_the_requested_size_and_dpi():
    png = render_png(LabelSpec(BIN, "qrcode"), width_mm=50, height_mm=30, dpi=203)
    image = Image.open(io.BytesIO(png))
    assert image.size == (mm_to_px(50, 203), mm_to_px(30, 203))
    assert image.info["dpi"] == pytest.approx((203, 203), abs=0.01)


def test_text_is_printed_under_the_bars_and_the_title_above():
    with_lines = pixels(render_png(LabelSpec(BIN, "code128", title="Allée A")))
    bare = pixels(render_png(LabelSpec(BIN, "code128", text="")))
    bars = bar_rows(with_lines)
    ink = dark_rows(with_lines)
    assert ink[-1] > bars[-1] + mm_to_px(1)  # the text line, below the last bar row
    assert ink[0] < bars[0] - mm_to_px(1)  # the title, above the first one
    bare_bars = bar_rows(bare)
    assert dark_rows(bare)[-1] == bare_bars[-1]  # no text: nothing below the bars...
    assert len(bare_bars) > len(bars)  # ...which take the room instead


def test_long_text_shrinks_or_is_cut_but_stays_inside_the_label():
    png = render_png(LabelSpec(BIN, "qrcode", title="Étagère " * 14, text="Réserve " * 14))
    columns_with_ink = dark_rows(pixels(png).T)
    padding = mm_to_px(1.5) - 1
    assert columns_with_ink[0] >= padding
    assert columns_with_ink[-1] <= mm_to_px(70) - padding
    assert scanned(png)[0][0] == BIN


def test_accented_letters_have_real_glyphs():
    def title_of(title: str) -> np.ndarray:
        return pixels(render_png(LabelSpec(BIN, "qrcode", title=title)))

    missing_a, missing_b = title_of("中"), title_of("文")
    assert (missing_a == missing_b).all()  # both drawn as the font's "no glyph" box
    for letter in "éèàçÉŒ€":
        assert not (title_of(letter) == missing_a).all(), letter


# --------------------------------------------------------------------------------------------
# PDF sheets

def specs_for(count: int, symbology: str = "qrcode") -> list[LabelSpec]:
    return [LabelSpec(make_label("location", f"A-{n:02d}"), symbology, title=f"Allée A, travée {n}")
            for n in range(count)]


def test_thirty_labels_on_3x8_take_two_pages():
    pdf = render_sheet(specs_for(30), grid="3x8")
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    images = pages(pdf)
    assert len(images) == 2
    for image in images:  # A4, to the pixel the rasteriser rounds to
        assert image.size == pytest.approx((mm_to_px(210), mm_to_px(297)), abs=1)


@pytest.mark.parametrize("grid, count, start_cell, expected_pages", [
    ("3x8", 24, 1, 1), ("3x8", 25, 1, 2), ("3x8", 30, 20, 3), ("3x8", 5, 20, 1), ("3x8", 6, 20, 2),
    ("2x7", 14, 1, 1), ("4x10", 41, 1, 2), ("3x7", 1, 21, 1),
])
def test_page_count_follows_the_grid_and_the_start_cell(grid, count, start_cell, expected_pages):
    pdf = render_sheet(specs_for(count), grid=grid, start_cell=start_cell)
    assert len(pages(pdf, dpi=20)) == expected_pages


def test_every_label_of_a_sheet_scans_back_from_its_own_cell():
    pdf = render_sheet(specs_for(24, "code128"), grid="3x8")
    page = pages(pdf)[0]
    for cell in range(24):
        assert scanned(as_png(cell_image(page, "3x8", cell))) == [
            (make_label("location", f"A-{cell:02d}"), False, "]C0")], cell


@pytest.mark.parametrize("grid", ["2x7", "4x10"])
def test_start_cell_leaves_used_cells_blank_and_fills_the_next_page_from_its_first(grid):
    cells = GRIDS[grid].cells
    start = cells  # two labels: the last cell of page 1, then the first cell of page 2
    first, second = pages(render_sheet(specs_for(2, "datamatrix"), grid=grid, start_cell=start))
    assert all((np.asarray(cell_image(first, grid, cell)) == WHITE).all() for cell in range(start - 1))
    assert scanned(as_png(cell_image(first, grid, start - 1)))[0][0] == make_label("location", "A-00")
    assert scanned(as_png(cell_image(second, grid, 0)))[0][0] == make_label("location", "A-01")
    assert (np.asarray(cell_image(second, grid, 1)) == WHITE).all()


def test_gs1_datamatrix_on_the_smallest_grid_scans_back():
    pdf = render_sheet([LabelSpec(f"(01){GTIN}(10)LOT7", "gs1_datamatrix", title="Vis M6")], grid="4x10")
    cell = cell_image(pages(pdf)[0], "4x10", 0)
    assert scanned(as_png(cell)) == [(f"01{GTIN}10LOT7", True, "]d2")]


def test_sheet_text_is_real_text_with_accents():
    text = page_text(render_sheet(specs_for(2), grid="2x7"))
    assert "Allée A, travée 0" in text
    assert "TL:LOC:A-01" in text


def test_same_labels_give_the_same_bytes():
    assert render_sheet(specs_for(3)) == render_sheet(specs_for(3))


def test_sheet_accepts_any_iterable():
    assert len(pages(render_sheet(iter(specs_for(25))), dpi=20)) == 2


# --------------------------------------------------------------------------------------------
# Refusals

def refusal(call, *args, **kwargs) -> Invalid:
    with pytest.raises(Invalid) as caught:
        call(*args, **kwargs)
    return caught.value


@pytest.mark.parametrize("kwargs, code, field", [
    ({"grid": "5x13"}, "unknown_grid", "grid"),
    ({"start_cell": 0}, "bad_start_cell", "start_cell"),
    ({"start_cell": 25}, "bad_start_cell", "start_cell"),
    ({"start_cell": True}, "bad_start_cell", "start_cell"),
    ({"grid": "4x10", "start_cell": 41}, "bad_start_cell", "start_cell"),
])
def test_bad_sheet_options_are_refused(kwargs, code, field):
    error = refusal(render_sheet, specs_for(1), **kwargs)
    assert (error.code, error.field) == (code, field)
    assert error.en and error.fr and error.fr != error.en


def test_a_full_last_cell_is_a_valid_start():
    assert len(pages(render_sheet(specs_for(1), grid="3x8", start_cell=24), dpi=20)) == 1


def test_no_labels_is_refused():
    assert refusal(render_sheet, []).code == "no_labels"


def test_too_many_labels_is_refused_without_reading_everything():
    endless = itertools.repeat(LabelSpec(BIN, "qrcode"))
    error = refusal(render_sheet, endless)
    assert (error.code, error.details["max"]) == ("too_many_labels", MAX_LABELS)


def test_exactly_the_maximum_is_accepted():
    assert render_sheet([LabelSpec(BIN, "qrcode")] * MAX_LABELS, grid="4x10").startswith(b"%PDF")


@pytest.mark.parametrize("spec, code, field", [
    (LabelSpec(BIN, "ean13"), "unknown_symbology", "symbology"),
    (LabelSpec("", "qrcode"), "empty_label_content", "content"),
    (LabelSpec("A" * 301, "qrcode"), "label_content_too_long", "content"),
    (LabelSpec("Œuvre", "code128"), "label_content_not_encodable", "content"),
    (LabelSpec(BIN, "gs1_128"), "unknown_ai", "content"),
    (LabelSpec("(01)03453120000012", "gs1_datamatrix"), "bad_check_digit", "content"),
    (LabelSpec(BIN, "qrcode", title="T" * 121), "label_text_too_long", "title"),
    (LabelSpec(BIN, "qrcode", text="T" * 121), "label_text_too_long", "text"),
])
def test_bad_labels_are_refused_with_their_field(spec, code, field):
    for render in (render_png, lambda one: render_sheet([LabelSpec(BIN, "qrcode"), one])):
        error = refusal(render, spec)
        assert (error.code, error.field) == (code, field)


def test_a_sheet_refusal_says_which_label():
    specs = specs_for(3) + [LabelSpec("", "qrcode")]
    assert refusal(render_sheet, specs).details["index"] == 3


def test_content_too_long_for_the_label_size_is_refused():
    long_bin = make_label("location", "A" * 30)  # 37 characters: ~440 modules of Code 128
    error = refusal(render_sheet, [LabelSpec(long_bin, "code128")], grid="4x10")
    assert (error.code, error.field) == ("label_too_small", "content")
    assert error.details["module_mm"] < MIN_MODULE_MM
    # The same content fits as a QR code, or as Code 128 on a wide enough PNG.
    assert render_sheet([LabelSpec(long_bin, "qrcode")], grid="4x10").startswith(b"%PDF")
    assert scanned(render_png(LabelSpec(long_bin, "code128"), width_mm=100))[0][0] == long_bin


@pytest.mark.parametrize("kwargs, code", [
    ({"width_mm": 10}, "bad_label_size"), ({"height_mm": 250}, "bad_label_size"),
    ({"dpi": 50}, "bad_dpi"), ({"dpi": 1200}, "bad_dpi"), ({"dpi": 300.5}, "bad_dpi"),
])
def test_bad_png_options_are_refused(kwargs, code):
    assert refusal(render_png, LabelSpec(BIN, "qrcode"), **kwargs).code == code
