"""Server-side barcode decoding of photos (DESIGN.md §6).

``decode_image(data)`` takes the bytes of an uploaded JPEG, PNG or WebP and returns the barcodes it
reads as :class:`Symbol` values, trying passes in turn until one reads something or the time budget
is spent, so an easy photo costs one zxing-cpp call:

1. zxing-cpp on the photo at ``FAST_SIDE`` px at most, upright only, then turned 90°;
2. a big photo: zxing-cpp at ``WORK_SIDE`` px, for codes too small at the fast size;
3. a small photo: zxing-cpp on it enlarged ×2, then enlarged and sharpened (too few px per bar);
4. zbar (pyzbar), a second engine, when libzbar0 is installed;
5. zxing-cpp on the photo turned ±30° (1D codes held at 15°-75° escape zxing-cpp's own search).

Every pass and the order come from ``bench/decode.py`` on the test photos (bench/README.md).
zxing-cpp's retries go before zbar: alone, zbar misreads 2 of the 198 photos and zxing-cpp none;
with zbar second, the engine returned zbar's misread of a photo the sharpened pass reads right.
On those photos zbar reads nothing the zxing-cpp passes miss; it stays, as DESIGN.md §6 wants,
as a second opinion from a different detector.

Limits, all checked before any pixel is decoded (the dimensions come from the file header):

* ``max_bytes`` (10 MiB) on the upload → ``image_too_large`` (413);
* ``MAX_PIXELS`` on width × height, per type (JPEG 50 MP, PNG 16 MP, WebP 8.5 MP, chosen by the
  memory each decode takes) → ``image_too_many_pixels`` (413). A JPEG is decoded straight at
  reduced scale (``Image.draft``); Pillow's own bomb check (179 MP) is caught the same way;
* only JPEG, PNG and WebP, recognised by their magic bytes (never by the file name):
  ``not_an_image`` or ``unsupported_image_type`` (415);
* a damaged file → ``image_truncated`` or ``image_corrupt`` (400).

Photos are decoded at most ``WORK_SIDE`` pixels on their longest side and read first at
``FAST_SIDE``: zxing-cpp's time grows with the pixel count (4000 × 3000: 0.4-0.9 s a pass) while a
barcode that fills a fair part of a phone photo keeps enough pixels per module at those sizes.

Retail codes follow what a hardware scanner transmits after its AIM identifier ``]E0``/``]E4``:
EAN-13, UPC-A and UPC-E are 13 digits (UPC-A with its leading ``0``, UPC-E expanded to its
GTIN-12 form with a leading ``0``), EAN-8 is 8 digits. ``format`` still says which symbology was
printed: an EAN-13 starting with ``0`` *is* a UPC-A (same bars), so both engines' ``ean13`` reads
starting with ``0`` are reported as ``upca``. Padding ``text`` with zeros to 14 digits gives the GTIN-14.
"""
from __future__ import annotations

import ctypes
import importlib
import io
import math
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata

import zxingcpp
from PIL import Image, ImageFilter

from server.domain.errors import BadRequest, DomainError, TooLarge, Unsupported

MAX_BYTES = 10 * 1024 * 1024
# Per type, by the memory a decode takes (measured peak, bytes per pixel of the photo): a JPEG is
# decoded at 1/2-1/8 scale (50 MP: 22 MB); a PNG whole (5.4-6.7 B/px: 16 MP ≈ 110 MB); a WebP
# whole and dearer (15.5 B/px: 8.5 MP ≈ 130 MB). 50 MP covers phone cameras in full-resolution
# mode (iPhones save 24 MP); PNG and WebP uploads are screenshots and browser frames (4K = 8.3 MP).
MAX_PIXELS = {"jpeg": 50_000_000, "png": 16_000_000, "webp": 8_500_000}
DEFAULT_BUDGET_MS = 300.0
WORK_SIDE = 2048  # longest side of the decoded working image (a 12 MP JPEG decoded at 1/2 scale)
FAST_SIDE = 1024  # longest side of the first, fast view
SMALL_SIDE = 800  # views at most this long get an upscaled retry
ZBAR_SLOWDOWN = 4  # zbar vs an upright-only zxing-cpp pass on the same image: median 3.3×, 9 in 10 ≤ 5.3×
UPSCALE = 2
ROTATIONS = (30, -30)  # with zxing-cpp's own 90° search, a 1D code at any angle comes within ±15°
SHARPEN = ImageFilter.UnsharpMask(radius=3, percent=200, threshold=2)  # best of 9 settings tried

MIN_ITF_DIGITS = 6
ACCEPTED_TYPES = ("jpeg", "png", "webp")

# What Tendu reads (DESIGN.md §6 plus the common industrial and transport codes). Fewer formats
# also means a faster, less error-prone first pass.
_ZXING_FORMATS = zxingcpp.BarcodeFormats([
    zxingcpp.EANUPC, zxingcpp.ITF, zxingcpp.Code128, zxingcpp.Code39,
    zxingcpp.DataBar, zxingcpp.DataBarExp, zxingcpp.DataBarLtd,
    zxingcpp.QRCode, zxingcpp.MicroQRCode, zxingcpp.DataMatrix, zxingcpp.PDF417, zxingcpp.Aztec,
])

_ZXING_FORMAT_NAMES = {
    "EAN13": "ean13", "ISBN": "ean13", "EAN8": "ean8", "UPCA": "upca", "UPCE": "upce",
    "ITF": "itf", "ITF14": "itf", "Code128": "code128",
    "Code39": "code39", "Code39Std": "code39", "Code39Ext": "code39", "Code32": "code39", "PZN": "code39",
    "DataBar": "databar", "DataBarOmni": "databar", "DataBarStk": "databar", "DataBarStkOmni": "databar",
    "DataBarLtd": "databar_limited", "DataBarExp": "databar_expanded", "DataBarExpStk": "databar_expanded",
    "QRCode": "qrcode", "QRCodeModel1": "qrcode", "QRCodeModel2": "qrcode", "MicroQRCode": "microqr",
    "DataMatrix": "datamatrix", "PDF417": "pdf417", "CompactPDF417": "pdf417", "Aztec": "aztec",
}


@dataclass(frozen=True)
class Symbol:
    """One barcode read in a photo.

    ``text`` is the raw content (GS1 field separators kept as ASCII 29), ``aim`` the AIM symbology
    identifier it was read under, ``position`` its four corners (top-left, top-right, bottom-right,
    bottom-left as read) in the uploaded photo's pixels, EXIF orientation applied.
    """

    text: str
    format: str
    aim: str
    gs1: bool
    position: tuple[tuple[int, int], ...]
    engine: str

    def to_dict(self) -> dict:
        return {"text": self.text, "format": self.format, "aim": self.aim, "gs1": self.gs1,
                "position": [list(point) for point in self.position], "engine": self.engine}


# --------------------------------------------------------------------------------------------
# Engines

def _load_zbar():
    """pyzbar's ctypes bindings, or None with the reason: libzbar0 is an optional system library."""
    try:
        wrapper = importlib.import_module("pyzbar.wrapper")
        return _ZbarApi(wrapper), ""
    except (ImportError, OSError, AttributeError) as exc:
        return None, f"{type(exc).__name__}: {exc}"


class _ZbarApi:
    """The few zbar calls we need; pyzbar.decode() hides the GS1 flag and the symbol type we want."""

    # ZBAR_* constants from zbar.h
    Y800 = int.from_bytes(b"Y800", "little")
    MOD_GS1 = 1 << 0
    CFG_ENABLE = 0
    ALL_SYMBOLOGIES = 0
    NAMES = {13: "ean13", 8: "ean8", 9: "upce", 25: "itf", 39: "code39", 128: "code128",
             34: "databar", 35: "databar_expanded", 64: "qrcode"}
    AIMS = {"ean13": "]E0", "upca": "]E0", "upce": "]E0", "ean8": "]E4", "itf": "]I0", "code39": "]A0",
            "code128": "]C0", "databar": "]e0", "databar_expanded": "]e0", "qrcode": "]Q1"}
    GS1_AIMS = {"code128": "]C1", "qrcode": "]Q3"}

    def __init__(self, wrapper):
        self.w = wrapper
        symbol_p = ctypes.POINTER(wrapper.zbar_symbol)
        self.get_type = wrapper.zbar_function("zbar_symbol_get_type", ctypes.c_int, symbol_p)
        self.get_modifiers = wrapper.zbar_function("zbar_symbol_get_modifiers", ctypes.c_uint, symbol_p)
        major, minor = ctypes.c_uint(), ctypes.c_uint()
        wrapper.zbar_version(ctypes.byref(major), ctypes.byref(minor))
        self.version = f"{major.value}.{minor.value}"

    def scan(self, grey: Image.Image) -> list[tuple[str, bytes, bool, list[tuple[int, int]]]]:
        """(zbar type name, data, gs1, location points) for each symbol zbar finds in an 'L' image."""
        w = self.w
        pixels = grey.tobytes()
        scanner = w.zbar_image_scanner_create()
        image = w.zbar_image_create()
        try:
            self._enable_our_symbologies(scanner)
            w.zbar_image_set_format(image, self.Y800)
            w.zbar_image_set_size(image, grey.width, grey.height)
            w.zbar_image_set_data(image, ctypes.cast(pixels, ctypes.c_void_p), len(pixels), None)
            if w.zbar_scan_image(scanner, image) <= 0:
                return []
            return [self._describe(symbol) for symbol in self._symbols(image)]
        finally:
            w.zbar_image_destroy(image)
            w.zbar_image_scanner_destroy(scanner)

    def _enable_our_symbologies(self, scanner) -> None:
        # UPC-A stays off: zbar then reports it as the EAN-13 it also is; UPC-E on, to name it.
        self.w.zbar_image_scanner_set_config(scanner, self.ALL_SYMBOLOGIES, self.CFG_ENABLE, 0)
        for zbar_type in self.NAMES:
            self.w.zbar_image_scanner_set_config(scanner, zbar_type, self.CFG_ENABLE, 1)

    def _symbols(self, image):
        symbol = self.w.zbar_image_first_symbol(image)
        while symbol:
            yield symbol
            symbol = self.w.zbar_symbol_next(symbol)

    def _describe(self, symbol):
        w = self.w
        data = ctypes.string_at(w.zbar_symbol_get_data(symbol), w.zbar_symbol_get_data_length(symbol))
        points = [(w.zbar_symbol_get_loc_x(symbol, i), w.zbar_symbol_get_loc_y(symbol, i))
                  for i in range(w.zbar_symbol_get_loc_size(symbol))]
        name = self.NAMES.get(self.get_type(symbol), "unknown")
        return name, data, bool(self.get_modifiers(symbol) & self.MOD_GS1), points


_ZBAR, _ZBAR_MISSING = _load_zbar()


def engines() -> dict:
    """Which decoding engines this process can use, for start-up logs and /healthz."""
    zbar = ({"available": True, "version": _ZBAR.version} if _ZBAR
            else {"available": False, "reason": _ZBAR_MISSING})
    return {"zxing": {"available": True, "version": metadata.version("zxing-cpp")}, "zbar": zbar}


# --------------------------------------------------------------------------------------------
# Public entry point

def decode_image(data: bytes, *, budget_ms: float = DEFAULT_BUDGET_MS, max_bytes: int = MAX_BYTES,
                 max_pixels: int | None = None) -> list[Symbol]:
    """Barcodes read in an uploaded photo; [] when none. Raises a DomainError for unusable input.

    ``max_pixels`` replaces the per-type limits of ``MAX_PIXELS`` when given.

    The first pass always runs; a retry runs only if, at the speed the engine showed on this very
    photo, it should end before ``budget_ms`` (counted from the call, loading included) runs out.
    """
    budget = _Budget(time.perf_counter() + budget_ms / 1000)
    work, scale = _load_image(data, max_bytes=max_bytes, max_pixels=max_pixels)
    for engine, view, options in _passes(work, scale):
        if budget.affords(engine, view, options):
            symbols = budget.timed(engine, view, options)
            if symbols:
                return symbols
    return []


@dataclass
class _Budget:
    """The deadline, and each engine's seconds per scanned pixel as measured on the current photo."""

    deadline: float
    seconds_per_pixel: dict[str, float] = field(default_factory=dict)

    def affords(self, engine: str, view: _View, options: dict) -> bool:
        rate = self.seconds_per_pixel.get(engine)
        if rate is None:  # zbar not run yet: guess from zxing-cpp
            rate = self.seconds_per_pixel.get("zxing", 0.0) * (ZBAR_SLOWDOWN if engine == "zbar" else 1)
        return time.perf_counter() + rate * _scanned_pixels(engine, view, options) <= self.deadline

    def timed(self, engine: str, view: _View, options: dict) -> list[Symbol]:
        started = time.perf_counter()
        symbols = _read_zbar(view) if engine == "zbar" else _read_zxing(view, **options)
        rate = (time.perf_counter() - started) / _scanned_pixels(engine, view, options)
        self.seconds_per_pixel[engine] = max(rate, self.seconds_per_pixel.get(engine, 0.0))
        return symbols


def _scanned_pixels(engine: str, view: _View, options: dict) -> int:
    """The work a pass does: zxing-cpp's 90° search scans the image a second time (~1.8× slower)."""
    both_ways = engine == "zxing" and options.get("try_rotate", True)
    return view.pixels * (2 if both_ways else 1)


# --------------------------------------------------------------------------------------------
# Loading: sniff, check, decode small

def sniff_image_type(data: bytes) -> str:
    """'jpeg', 'png' or 'webp' from the magic bytes; a domain error for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    other = _other_image_type(data)
    if other:
        raise Unsupported("unsupported_image_type",
                          f"{other.upper()} images are not accepted; send a JPEG, PNG or WebP.",
                          f"Les images {other.upper()} ne sont pas acceptées ; envoyez un JPEG, PNG ou WebP.",
                          field="image", details={"type": other, "accepted": list(ACCEPTED_TYPES)})
    raise Unsupported("not_an_image", "The file is not an image.", "Le fichier n'est pas une image.",
                      field="image", details={"accepted": list(ACCEPTED_TYPES)})


def _other_image_type(data: bytes) -> str | None:
    """Recognise common images we refuse, to say so rather than 'not an image'."""
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:2] == b"BM":
        return "bmp"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if data[4:8] == b"ftyp":  # ISO media: iPhone HEIC, AVIF (an MP4 video is not an image)
        return _ISO_IMAGE_BRANDS.get(data[8:12])
    return None


_ISO_IMAGE_BRANDS = {b"avif": "avif", b"avis": "avif", b"heic": "heic", b"heix": "heic",
                     b"hevc": "heic", b"heim": "heic", b"heis": "heic", b"mif1": "heic", b"msf1": "heic"}


def _load_image(data: bytes, *, max_bytes: int = MAX_BYTES,
               max_pixels: int | None = None) -> tuple[Image.Image, float]:
    """The upload as an upright greyscale image of at most WORK_SIDE px, and its pixels per photo pixel."""
    _check_bytes(data, max_bytes)
    kind = sniff_image_type(data)
    max_pixels = max_pixels or MAX_PIXELS[kind]
    with _pillow_errors(kind, data, max_pixels):
        image = Image.open(io.BytesIO(data), formats=[kind.upper()])
        photo_size = image.size
        _check_pixels(photo_size, max_pixels)
        orientation = image.getexif().get(_EXIF_ORIENTATION, 1)
        if kind == "jpeg":  # libjpeg decodes at 1/2, 1/4 or 1/8 scale, straight to grey
            image.draft("L", _fit(photo_size, WORK_SIDE))
        image.load()
        grey = _upright(_shrink(_to_grey(image), WORK_SIDE), orientation)
    return grey, grey.width / _upright_size(photo_size, orientation)[0]


def _check_bytes(data: bytes, max_bytes: int) -> None:
    if len(data) > max_bytes:
        mib = max_bytes / 1048576
        raise TooLarge("image_too_large", f"The image is larger than {mib:g} MB.", f"L'image dépasse {mib:g} Mo.",
                       field="image", details={"bytes": len(data), "max_bytes": max_bytes})


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width * height > max_pixels:
        raise _too_many_pixels(max_pixels, {"width": width, "height": height})


def _too_many_pixels(max_pixels: int, details: dict) -> TooLarge:
    megapixels = max_pixels / 1e6
    return TooLarge("image_too_many_pixels", f"The image has more than {megapixels:g} megapixels.",
                    f"L'image dépasse {megapixels:g} mégapixels.", field="image",
                    details={**details, "max_pixels": max_pixels})


@contextmanager
def _pillow_errors(kind: str, data: bytes, max_pixels: int):
    """Turn whatever Pillow raises on a hostile or damaged file into a domain error."""
    try:
        yield
    except (DomainError, MemoryError):
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own, looser, limit
        raise _too_many_pixels(max_pixels, {"reason": str(exc)}) from exc
    except Exception as exc:  # noqa: BLE001 - any parser failure on untrusted bytes is the file's fault
        if "truncat" in str(exc).lower() or _riff_cut_short(kind, data):
            raise BadRequest("image_truncated", "The image file is incomplete; send it again.",
                             "Le fichier image est incomplet ; renvoyez-le.", field="image",
                             details={"type": kind}) from exc
        raise BadRequest("image_corrupt", "The image file is damaged and cannot be read.",
                         "Le fichier image est endommagé et illisible.", field="image",
                         details={"type": kind}) from exc


def _riff_cut_short(kind: str, data: bytes) -> bool:
    """A WebP declares its length in its RIFF header; libwebp only says 'could not decode'."""
    return kind == "webp" and int.from_bytes(data[4:8], "little") + 8 > len(data)


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    """`size` scaled down (never up) so that its longest side is at most `side`."""
    ratio = min(1.0, side / max(size))
    return max(1, round(size[0] * ratio)), max(1, round(size[1] * ratio))


def _shrink(image: Image.Image, side: int) -> Image.Image:
    size = _fit(image.size, side)
    return image if size == image.size else image.resize(size, Image.Resampling.BOX)


def _to_grey(image: Image.Image) -> Image.Image:
    """8-bit luminance; transparent pixels become white paper, not black."""
    if image.mode == "L":
        return image
    if image.mode.startswith("I"):  # 16-bit PNG: convert('L') would clip, not scale
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        return _on_white_paper(image)
    return image.convert("L")


def _on_white_paper(image: Image.Image) -> Image.Image:
    if image.mode not in ("RGBA", "LA"):  # palette transparency
        image = image.convert("RGBA")
    paper = Image.new("L", image.size, 255)
    paper.paste(image.convert("L"), mask=image.getchannel("A"))
    return paper


_EXIF_ORIENTATION = 0x0112
_EXIF_TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
                   4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
                   6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_90}


def _upright(image: Image.Image, orientation: int) -> Image.Image:
    """As the photo is displayed, so that positions match what the user sees."""
    method = _EXIF_TRANSPOSE.get(orientation)
    return image.transpose(method) if method is not None else image


def _upright_size(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    return (size[1], size[0]) if orientation in (5, 6, 7, 8) else size


# --------------------------------------------------------------------------------------------
# Passes: cheapest first; each one only if the previous found nothing

def _passes(work: Image.Image, scale: float) -> Iterator[tuple[str, _View, dict]]:
    """(engine, view, zxing-cpp options) of each pass in turn, views made only when reached."""
    fast = _View(work, scale).shrunk(FAST_SIDE)
    # zxing-cpp's own 90° search doubles its time: most codes are upright, so it waits its turn
    yield "zxing", fast, {"try_rotate": False}
    yield "zxing", fast.rotated(90), {"try_rotate": False}
    if max(work.size) > FAST_SIDE:  # a big photo: the code may be too small at the fast size
        yield "zxing", _View(work, scale), {}
    if max(fast.image.size) <= SMALL_SIDE:  # too few pixels per bar: interpolate some, then sharpen
        enlarged = fast.enlarged(UPSCALE)
        yield "zxing", enlarged, {"try_downscale": False}
        yield "zxing", enlarged.sharpened(), {"try_downscale": False}
    if _ZBAR is not None:
        yield "zbar", fast, {}
    for angle in ROTATIONS:  # 1D codes tilted 15°-75°
        yield "zxing", fast.rotated(angle), {}


@dataclass(frozen=True)
class _View:
    """An image handed to an engine, and how to map its pixels back to the photo's."""

    image: Image.Image
    scale: float  # view pixels per photo pixel (before any rotation)
    angle: float = 0.0  # degrees turned counter-clockwise about the centre, canvas expanded
    unrotated_size: tuple[int, int] | None = None

    @property
    def pixels(self) -> int:
        return self.image.width * self.image.height

    def shrunk(self, side: int) -> _View:
        image = _shrink(self.image, side)
        return _View(image, self.scale * image.width / self.image.width)

    def enlarged(self, factor: int) -> _View:
        size = (self.image.width * factor, self.image.height * factor)
        return _View(self.image.resize(size, Image.Resampling.LANCZOS), self.scale * factor)

    def sharpened(self) -> _View:
        return _View(self.image.filter(SHARPEN), self.scale)

    def rotated(self, angle: float) -> _View:
        turned = self.image.rotate(angle, Image.Resampling.BILINEAR, expand=True, fillcolor=255)
        return _View(turned, self.scale, angle, self.image.size)

    def to_photo(self, x: float, y: float) -> tuple[int, int]:
        if self.angle:
            x, y = self._unrotate(x, y)
        return round(x / self.scale), round(y / self.scale)

    def _unrotate(self, x: float, y: float) -> tuple[float, float]:
        theta = math.radians(self.angle)
        dx, dy = x - self.image.width / 2, y - self.image.height / 2
        width, height = self.unrotated_size
        return (width / 2 + dx * math.cos(theta) - dy * math.sin(theta),
                height / 2 + dx * math.sin(theta) + dy * math.cos(theta))


def _read_zxing(view: _View, **options) -> list[Symbol]:
    barcodes = zxingcpp.read_barcodes(view.image, formats=_ZXING_FORMATS,
                                      text_mode=zxingcpp.TextMode.Plain, **options)
    return _cleaned(_from_zxing(barcode, view) for barcode in barcodes)


def _from_zxing(barcode, view: _View) -> Symbol:
    name = barcode.format.name
    format_ = _retail_format(_ZXING_FORMAT_NAMES.get(name, name.lower()), barcode.text)
    corners = barcode.position
    position = tuple(view.to_photo(point.x, point.y) for point in
                     (corners.top_left, corners.top_right, corners.bottom_right, corners.bottom_left))
    return Symbol(barcode.text, format_, barcode.symbology_identifier,
                  barcode.content_type == zxingcpp.ContentType.GS1, position, "zxing")


def _read_zbar(view: _View) -> list[Symbol]:
    return _cleaned(_from_zbar(*found, view) for found in _ZBAR.scan(view.image))


def _from_zbar(name: str, data: bytes, gs1: bool, points: list[tuple[int, int]], view: _View) -> Symbol:
    text = _zbar_text(data)
    if name == "upce" and len(text) == 8:  # zbar gives the printed digits, zxing-cpp the GTIN-12 form
        text = "0" + _expand_upce(text)
    format_ = _retail_format(name, text)
    aim = (_ZbarApi.GS1_AIMS.get(format_) if gs1 else None) or _ZbarApi.AIMS.get(format_, "")
    xs, ys = [x for x, _ in points] or [0], [y for _, y in points] or [0]
    box = ((min(xs), min(ys)), (max(xs), min(ys)), (max(xs), max(ys)), (min(xs), max(ys)))
    return Symbol(text, format_, aim, gs1 or format_.startswith("databar"),
                  tuple(view.to_photo(x, y) for x, y in box), "zbar")


def _zbar_text(data: bytes) -> str:
    # zbar hands over QR text as UTF-8 and 1D data as bytes; Latin-1 never fails on the rest
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _retail_format(format_: str, text: str) -> str:
    """An EAN-13 whose first digit is 0 is a UPC-A: the bars are identical."""
    return "upca" if format_ == "ean13" and len(text) == 13 and text.startswith("0") else format_


def _expand_upce(code: str) -> str:
    """The GTIN-12 (UPC-A) a UPC-E stands for: '01234565' → '012345000065'."""
    system, d, check = code[0], code[1:7], code[7]
    last = d[5]
    if last in "012":
        body = d[0:2] + last + "0000" + d[2:5]
    elif last == "3":
        body = d[0:3] + "00000" + d[3:5]
    elif last == "4":
        body = d[0:4] + "00000" + d[4]
    else:
        body = d[0:5] + "0000" + last
    return system + body + check


def _cleaned(symbols: Iterable[Symbol]) -> list[Symbol]:
    """Without noise, and one symbol per (format, text): an engine may find a code at two scales."""
    kept: dict[tuple[str, str], Symbol] = {}
    for symbol in symbols:
        if _plausible(symbol):
            kept.setdefault((symbol.format, symbol.text), symbol)
    return list(kept.values())


def _plausible(symbol: Symbol) -> bool:
    """ITF has no start pattern worth the name: a slanted Code 128 can pass for a 4-digit ITF.
    Below 6 digits, as ZXing's own default, it is noise (ITF-14 cartons have 14)."""
    return symbol.format != "itf" or len(symbol.text) >= MIN_ITF_DIGITS
