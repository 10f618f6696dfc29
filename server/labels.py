"""Printable labels for bins, products and documents: single PNGs and A4 PDF sheets.

A label is one symbol (Code 128, GS1-128, QR, DataMatrix or GS1 DataMatrix) with a line of
human-readable text under it and an optional title line above (a product or bin name).

* Symbols come from zxing-cpp's writer (the same library that reads photos in ``server.decoding``).
  Its ``gs1`` option writes FNC1 properly (GS1-128 ``]C1``, GS1 DataMatrix ``]d2``); GS1 content is
  first checked by Tendu's own GS1 parser (AIs, lengths, check digits), then handed to zxing-cpp in
  the ``[AI]data`` form, so a "(" inside a lot number is data, not the start of an AI.
* Sheets are drawn with reportlab, the symbol as vector rectangles: sharp at any printer resolution.
* Text uses Bitstream Vera, which ships inside reportlab: the same font in PNG and PDF, with the
  accents French bin names need ("Allée A, travée 1"), and no system font to install.

Every module is at least ``MIN_MODULE_MM`` wide: content that would need finer bars on the chosen
label size is refused (``label_too_small``) rather than printed unreadable.
"""
from __future__ import annotations

import functools
import io
import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Literal

import numpy as np
import zxingcpp
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm as POINTS_PER_MM
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from server.domain.barcodes import gs1
from server.domain.errors import Invalid

Symbology = Literal["code128", "gs1_128", "qrcode", "datamatrix", "gs1_datamatrix"]

MM_PER_INCH = 25.4
MIN_MODULE_MM = 0.165  # 2 dots at 300 dpi (0.169 mm); one dot of a 203-dpi printer (0.125 mm) reads badly
PDF_DOT_MM = MM_PER_INCH / 600  # modules snap to whole 600-dpi dots, so laser printers keep bar widths even
MAX_LABELS = 2000
MAX_CONTENT_CHARS = 300  # far above any label Tendu prints; bounds the encoder's work per request
MAX_TEXT_CHARS = 120
PNG_DPI_RANGE = (72, 600)
PNG_SIDE_RANGE_MM = (15.0, 200.0)  # 200 mm at 600 dpi: 4724 px a side, 22 MB of greyscale at most

PADDING_MM = 1.5  # inside each label: die-cut sheets shift by about a millimetre in the printer
GAP_MM = 0.8  # between the symbol and a text line
LINE_SHARE = 0.11  # a text line's height as a share of the label's, kept between the two bounds
LINE_MM_RANGE = (2.4, 4.2)
FONT_SHARE = 0.8  # font size as a share of the line height (room for accents and descenders)
MIN_FONT_SCALE = 0.7  # long text shrinks this far before it is cut with an ellipsis

# Vera's licence lets it travel with Tendu's PDFs; reportlab installs it next to its own code.
_FONT_FILES = {False: "Vera.ttf", True: "VeraBd.ttf"}  # by "bold"
_PDF_FONT_NAMES = {False: "TenduVera", True: "TenduVeraBold"}


@dataclass(frozen=True)
class _SymbologyInfo:
    format: zxingcpp.BarcodeFormat
    gs1: bool
    linear: bool


SYMBOLOGIES: dict[str, _SymbologyInfo] = {
    "code128": _SymbologyInfo(zxingcpp.BarcodeFormat.Code128, gs1=False, linear=True),
    "gs1_128": _SymbologyInfo(zxingcpp.BarcodeFormat.Code128, gs1=True, linear=True),
    "qrcode": _SymbologyInfo(zxingcpp.BarcodeFormat.QRCode, gs1=False, linear=False),
    "datamatrix": _SymbologyInfo(zxingcpp.BarcodeFormat.DataMatrix, gs1=False, linear=False),
    "gs1_datamatrix": _SymbologyInfo(zxingcpp.BarcodeFormat.DataMatrix, gs1=True, linear=False),
}


@dataclass(frozen=True)
class Grid:
    """An A4 sheet of identical labels, in millimetres from the sheet's top-left corner."""

    columns: int
    rows: int
    label_width: float
    label_height: float
    left: float  # sheet edge to the first column
    top: float  # sheet edge to the first row
    pitch_x: float  # from one column's left edge to the next one's (label width + gap)
    pitch_y: float

    @property
    def cells(self) -> int:
        return self.columns * self.rows

    def cell_origin(self, cell: int) -> tuple[float, float]:
        """Top-left corner of a cell (0-based, row by row from the top left), in mm."""
        row, column = divmod(cell, self.columns)
        return self.left + column * self.pitch_x, self.top + row * self.pitch_y


# The common A4 sheets (sold as e.g. Avery 3474, L7163, L7160, 3657).
GRIDS: dict[str, Grid] = {
    # No sheet margin: on printers with a wide unprintable border the outer labels lose their edge.
    "3x8": Grid(3, 8, 70.0, 37.0, left=0.0, top=0.5, pitch_x=70.0, pitch_y=37.0),
    "2x7": Grid(2, 7, 99.1, 38.1, left=4.65, top=15.15, pitch_x=101.6, pitch_y=38.1),
    "3x7": Grid(3, 7, 63.5, 38.1, left=7.25, top=15.15, pitch_x=66.0, pitch_y=38.1),
    "4x10": Grid(4, 10, 48.5, 25.4, left=8.0, top=21.5, pitch_x=48.5, pitch_y=25.4),
}


@dataclass(frozen=True)
class LabelSpec:
    """What one label shows.

    ``content`` is what the symbol encodes: any text (e.g. ``make_label("location", "A-01")``) or,
    for ``gs1_128`` and ``gs1_datamatrix``, a GS1 element string, human-readable
    (``(01)03453120000011(10)ABC``) or raw (ASCII 29 after variable-length fields).
    ``text`` goes under the symbol: None prints the content (the ``(AI)`` form for GS1), "" nothing.
    ``title`` goes above it, in bold.
    """

    content: str
    symbology: Symbology = "code128"
    text: str | None = None
    title: str | None = None


# --------------------------------------------------------------------------------------------
# Public entry points

def render_png(spec: LabelSpec, *, width_mm: float = 70.0, height_mm: float = 37.0,
               dpi: int = 300) -> bytes:
    """One label as a greyscale PNG of ``width_mm`` × ``height_mm`` at ``dpi`` (recorded in the file)."""
    _check_png_size(width_mm, height_mm, dpi)
    label = _prepare(spec)
    dot_mm = MM_PER_INCH / dpi
    layout = _layout(width_mm, height_mm, title=bool(label.title), text=bool(label.text))
    image = Image.new("L", (_dots(width_mm, dot_mm), _dots(height_mm, dot_mm)), 255)
    _paste_symbol(image, label.symbol, layout.symbol, dot_mm)
    draw = ImageDraw.Draw(image)
    for line, box, bold in label.lines(layout):
        _draw_png_text(draw, line, box, layout.font_mm, dot_mm, bold)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()


def render_sheet(specs: Iterable[LabelSpec], *, grid: str = "3x8", start_cell: int = 1) -> bytes:
    """A4 PDF of the labels in reading order, on as many pages as needed.

    ``start_cell`` (1-based, row by row) skips the cells already peeled off a used first sheet.
    """
    template = _grid(grid)
    _check_start_cell(start_cell, template)
    labels = _prepare_all(_listed(specs))
    out = io.BytesIO()
    # invariant: no creation date or random ID in the file, so the same labels give the same bytes
    pdf = Canvas(out, pagesize=A4, invariant=1, pageCompression=1)
    pdf.setTitle("Tendu labels")
    first = start_cell - 1
    for index, label in enumerate(labels):
        cell = (first + index) % template.cells
        if index and cell == 0:
            pdf.showPage()
        with _about_label(index):
            _draw_pdf_label(pdf, label, template, cell)
    pdf.save()
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# Symbols and their text

@dataclass(frozen=True)
class _Symbol:
    modules: np.ndarray  # True = dark; quiet zones included; one row for a linear symbol
    linear: bool


@dataclass(frozen=True)
class _Label:
    symbol: _Symbol
    text: str
    title: str

    def lines(self, layout: _Layout) -> Iterator[tuple[str, _Box, bool]]:
        """(text, where, bold) for each line of text the label prints."""
        if layout.title:
            yield self.title, layout.title, True
        if layout.text:
            yield self.text, layout.text, False


def _prepare_all(specs: list[LabelSpec]) -> list[_Label]:
    labels = []
    for index, spec in enumerate(specs):
        with _about_label(index):
            labels.append(_prepare(spec))
    return labels


def _prepare(spec: LabelSpec) -> _Label:
    info = SYMBOLOGIES.get(spec.symbology)
    if info is None:
        raise _unknown_symbology(spec.symbology)
    _check_content(spec.content)
    title = spec.title or ""
    _check_text(title, "title")
    if info.gs1:
        encoded, readable = _gs1_forms(spec.content)
    else:
        encoded, readable = spec.content, spec.content
    text = readable if spec.text is None else spec.text
    _check_text(text, "text")
    return _Label(_encode(encoded, info), text, title)


def _gs1_forms(content: str) -> tuple[str, str]:
    """(what zxing-cpp encodes, what people read) for a GS1 element string, after Tendu's checks."""
    read = gs1.read_hri if gs1.looks_like_hri(content) else gs1.read_element_string
    try:
        parsed = read(content)
    except Invalid as error:
        error.field = "content"  # the parser's refusals name the scanned "code"; here it is typed content
        raise
    # Square brackets are outside GS1's character set, so unlike "(" they cannot occur in the data.
    encoded = "".join(f"[{element.ai}]{element.value}" for element in parsed.elements)
    return encoded, parsed.value


def _encode(content: str, info: _SymbologyInfo) -> _Symbol:
    options = {"gs1": True} if info.gs1 else {}
    if info.format == zxingcpp.BarcodeFormat.DataMatrix:
        # Else zint may pick a rectangular DMRE size (e.g. 8x64), which older scanners do not read.
        options["force_square"] = True
    try:
        barcode = zxingcpp.create_barcode(content, info.format, **options)
    except ValueError as error:
        raise _not_encodable(content, str(error)) from None
    # Scale 1 gives one pixel per module; the renderers choose the real size.
    modules = np.asarray(barcode.to_image(scale=1, add_quiet_zones=True)) < 128
    if info.linear:
        modules = modules[modules.shape[0] // 2:][:1]  # all rows of a 1D symbol are the same
    return _Symbol(modules, info.linear)


def _dark_runs(row: np.ndarray) -> Iterator[tuple[int, int]]:
    """(start, length) of each run of dark modules in a row: one rectangle each in the PDF."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], row.astype(np.int8), [0]))))
    for start, end in zip(edges[::2], edges[1::2]):
        yield int(start), int(end - start)


# --------------------------------------------------------------------------------------------
# Layout, in mm from the label's top-left corner

@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    width: float
    height: float

    def moved(self, dx: float, dy: float) -> _Box:
        return _Box(self.x + dx, self.y + dy, self.width, self.height)


@dataclass(frozen=True)
class _Layout:
    symbol: _Box
    title: _Box | None
    text: _Box | None
    font_mm: float


def _layout(width: float, height: float, *, title: bool, text: bool) -> _Layout:
    line = min(max(height * LINE_SHARE, LINE_MM_RANGE[0]), LINE_MM_RANGE[1])
    left, top = PADDING_MM, PADDING_MM
    inner_width, bottom = width - 2 * PADDING_MM, height - PADDING_MM
    title_box = text_box = None
    if title:
        title_box = _Box(left, top, inner_width, line)
        top += line + GAP_MM
    if text:
        bottom -= line
        text_box = _Box(left, bottom, inner_width, line)
        bottom -= GAP_MM
    symbol_box = _Box(left, top, inner_width, bottom - top)
    return _Layout(symbol_box, title_box, text_box, font_mm=line * FONT_SHARE)


def _module_mm(symbol: _Symbol, box: _Box, dot_mm: float) -> float:
    """The largest module, in whole printer dots, that fits the symbol in the box."""
    rows, columns = symbol.modules.shape
    size = box.width / columns if symbol.linear else min(box.width / columns, box.height / rows)
    module = math.floor(size / dot_mm + 1e-9) * dot_mm
    if module < MIN_MODULE_MM:
        raise _too_small(module)
    return module


def _fitted_text(text: str, width: float, size: float,
                 measure: Callable[[str, float], float]) -> tuple[str, float]:
    """Shrink the font to fit ``width``, down to a floor; past it, cut the text with an ellipsis."""
    natural = measure(text, size)
    if natural > width:
        size = max(size * MIN_FONT_SCALE, size * width / natural)
    whole, cut = text, len(text)
    while cut and measure(text, size) > width:
        cut -= 1
        text = whole[:cut].rstrip() + "…"
    return text, size


# --------------------------------------------------------------------------------------------
# PNG

def _dots(length_mm: float, dot_mm: float) -> int:
    return round(length_mm / dot_mm)


def _paste_symbol(image: Image.Image, symbol: _Symbol, box: _Box, dot_mm: float) -> None:
    module = _dots(_module_mm(symbol, box, dot_mm), dot_mm)
    rows, columns = symbol.modules.shape
    width = columns * module
    height = _dots(box.height, dot_mm) if symbol.linear else rows * module
    pixels = np.where(symbol.modules, 0, 255).astype(np.uint8)
    drawn = Image.fromarray(pixels, "L").resize((width, height), Image.Resampling.NEAREST)
    left = _dots(box.x, dot_mm) + (_dots(box.width, dot_mm) - width) // 2
    top = _dots(box.y, dot_mm) + (_dots(box.height, dot_mm) - height) // 2
    image.paste(drawn, (left, top))


def _draw_png_text(draw: ImageDraw.ImageDraw, text: str, box: _Box, font_mm: float,
                   dot_mm: float, bold: bool) -> None:
    def measure(candidate: str, size: float) -> float:
        return _png_font(bold, size).getlength(candidate)

    line, size = _fitted_text(text, box.width / dot_mm, font_mm / dot_mm, measure)
    centre = ((box.x + box.width / 2) / dot_mm, (box.y + box.height / 2) / dot_mm)
    draw.text(centre, line, font=_png_font(bold, size), fill=0, anchor="mm")


@functools.lru_cache(maxsize=64)
def _png_font(bold: bool, size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(_font_path(bold)), size)


def _font_path(bold: bool) -> Traversable:
    return resources.files("reportlab") / "fonts" / _FONT_FILES[bold]


# --------------------------------------------------------------------------------------------
# PDF (reportlab: points, origin at the page's bottom left)

def _page_point(x_mm: float, y_mm: float) -> tuple[float, float]:
    return x_mm * POINTS_PER_MM, A4[1] - y_mm * POINTS_PER_MM


def _draw_pdf_label(pdf: Canvas, label: _Label, grid: Grid, cell: int) -> None:
    x, y = grid.cell_origin(cell)
    layout = _layout(grid.label_width, grid.label_height, title=bool(label.title), text=bool(label.text))
    _draw_pdf_symbol(pdf, label.symbol, layout.symbol.moved(x, y))
    for line, box, bold in label.lines(layout):
        _draw_pdf_text(pdf, line, box.moved(x, y), layout.font_mm, bold)


def _draw_pdf_symbol(pdf: Canvas, symbol: _Symbol, box: _Box) -> None:
    module = _module_mm(symbol, box, PDF_DOT_MM)
    rows, columns = symbol.modules.shape
    row_height = box.height if symbol.linear else module
    left = box.x + (box.width - columns * module) / 2
    top = box.y + (box.height - rows * row_height) / 2
    path = pdf.beginPath()
    for row_index, row in enumerate(symbol.modules):
        bottom = top + (row_index + 1) * row_height
        for start, length in _dark_runs(row):
            x, y = _page_point(left + start * module, bottom)
            path.rect(x, y, length * module * POINTS_PER_MM, row_height * POINTS_PER_MM)
    pdf.drawPath(path, stroke=0, fill=1)


def _draw_pdf_text(pdf: Canvas, text: str, box: _Box, font_mm: float, bold: bool) -> None:
    font = _pdf_font(bold)

    def measure(candidate: str, size: float) -> float:
        return pdfmetrics.stringWidth(candidate, font, size)

    line, size = _fitted_text(text, box.width * POINTS_PER_MM, font_mm * POINTS_PER_MM, measure)
    ascent, descent = pdfmetrics.getAscentDescent(font, size)
    centre_x, centre_y = _page_point(box.x + box.width / 2, box.y + box.height / 2)
    pdf.setFont(font, size)
    pdf.drawCentredString(centre_x, centre_y - (ascent + descent) / 2, line)


@functools.cache
def _pdf_font(bold: bool) -> str:
    name = _PDF_FONT_NAMES[bold]
    pdfmetrics.registerFont(TTFont(name, str(_font_path(bold))))  # embedded as a subset
    return name


# --------------------------------------------------------------------------------------------
# Checks and refusals

def _listed(specs: Iterable[LabelSpec]) -> list[LabelSpec]:
    listed = []
    for spec in specs:
        listed.append(spec)
        if len(listed) > MAX_LABELS:  # stop reading a huge or endless iterable early
            raise Invalid("too_many_labels",
                          f"At most {MAX_LABELS} labels can be printed at once.",
                          f"On ne peut pas imprimer plus de {MAX_LABELS} étiquettes à la fois.",
                          field="labels", details={"max": MAX_LABELS})
    if not listed:
        raise Invalid("no_labels", "There are no labels to print.",
                      "Il n'y a aucune étiquette à imprimer.", field="labels")
    return listed


@contextmanager
def _about_label(index: int) -> Iterator[None]:
    """Say which label of a sheet a refusal is about."""
    try:
        yield
    except Invalid as error:
        error.details.setdefault("index", index)
        raise


def _grid(name: str) -> Grid:
    if name not in GRIDS:
        known = ", ".join(GRIDS)
        raise Invalid("unknown_grid", f"Unknown label sheet “{name}”; choose one of {known}.",
                      f"Planche d'étiquettes « {name} » inconnue ; choisissez parmi {known}.",
                      field="grid", details={"known": list(GRIDS)})
    return GRIDS[name]


def _check_start_cell(start_cell: int, grid: Grid) -> None:
    if isinstance(start_cell, bool) or not isinstance(start_cell, int) or not 1 <= start_cell <= grid.cells:
        raise Invalid("bad_start_cell",
                      f"The first label must go in a cell from 1 to {grid.cells}.",
                      f"La première étiquette doit aller dans une case de 1 à {grid.cells}.",
                      field="start_cell", details={"max": grid.cells})


def _check_png_size(width_mm: float, height_mm: float, dpi: int) -> None:
    low, high = PNG_SIDE_RANGE_MM
    if not all(low <= side <= high for side in (width_mm, height_mm)):
        raise Invalid("bad_label_size",
                      f"A label must be {low:g} to {high:g} mm wide and high.",
                      f"Une étiquette doit mesurer de {low:g} à {high:g} mm en largeur et en hauteur.",
                      field="size", details={"min_mm": low, "max_mm": high})
    low_dpi, high_dpi = PNG_DPI_RANGE
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not low_dpi <= dpi <= high_dpi:
        raise Invalid("bad_dpi", f"The resolution must be {low_dpi} to {high_dpi} dpi.",
                      f"La résolution doit être de {low_dpi} à {high_dpi} ppp.",
                      field="dpi", details={"min": low_dpi, "max": high_dpi})


def _check_content(content: str) -> None:
    if not content:
        raise Invalid("empty_label_content", "The label has nothing to encode.",
                      "L'étiquette n'a rien à encoder.", field="content")
    if len(content) > MAX_CONTENT_CHARS:
        raise Invalid("label_content_too_long",
                      f"A label encodes at most {MAX_CONTENT_CHARS} characters.",
                      f"Une étiquette encode au plus {MAX_CONTENT_CHARS} caractères.",
                      field="content", details={"max": MAX_CONTENT_CHARS, "length": len(content)})


def _check_text(text: str, field: str) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise Invalid("label_text_too_long",
                      f"The label's {field} has more than {MAX_TEXT_CHARS} characters.",
                      f"Le {'titre' if field == 'title' else 'texte'} de l'étiquette dépasse "
                      f"{MAX_TEXT_CHARS} caractères.",
                      field=field, details={"max": MAX_TEXT_CHARS, "length": len(text)})


def _unknown_symbology(symbology: str) -> Invalid:
    known = ", ".join(SYMBOLOGIES)
    return Invalid("unknown_symbology", f"Unknown symbology “{symbology}”; choose one of {known}.",
                   f"Symbologie « {symbology} » inconnue ; choisissez parmi {known}.",
                   field="symbology", details={"known": list(SYMBOLOGIES)})


def _not_encodable(content: str, reason: str) -> Invalid:
    return Invalid("label_content_not_encodable",
                   "This symbology cannot encode the label's content (too long, or characters "
                   "it does not carry); shorten it or choose a QR code or DataMatrix.",
                   "Cette symbologie ne peut pas encoder le contenu de l'étiquette (trop long, ou "
                   "caractères qu'elle ne porte pas) ; raccourcissez-le ou choisissez un QR code "
                   "ou un DataMatrix.",
                   field="content", details={"reason": reason, "length": len(content)})


def _too_small(module_mm: float) -> Invalid:
    return Invalid("label_too_small",
                   "The content is too long for this symbology at this label size: its bars would "
                   f"be thinner than {MIN_MODULE_MM} mm. Use a larger label, shorter content, or a "
                   "QR code or DataMatrix.",
                   "Le contenu est trop long pour cette symbologie à cette taille d'étiquette : ses "
                   f"barres feraient moins de {MIN_MODULE_MM} mm. Prenez une étiquette plus grande, "
                   "un contenu plus court, ou un QR code ou un DataMatrix.",
                   field="content",
                   details={"module_mm": round(module_mm, 3), "min_module_mm": MIN_MODULE_MM})
