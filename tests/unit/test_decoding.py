"""The photo decoding engine: what it reads, how it names it, and how it refuses hostile uploads.

Barcodes are generated here with zxing-cpp's writer; the pinned read counts use the project's test
photos in ../shared/data/barcodes (skipped when absent).
"""
from __future__ import annotations

import io
import json
import math
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
import zxingcpp
from PIL import Image

from server import decoding
from server.decoding import Symbol, decode_image, engines
from server.domain.errors import BadRequest, TooLarge, Unsupported

GS = "\x1d"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
PHOTOS = PROJECT_ROOT.parent / "shared" / "data" / "barcodes"
needs_zbar = pytest.mark.skipif(not engines()["zbar"]["available"],
                                reason="libzbar0 is not installed (apt-get install libzbar0): zbar pass untestable")


# --------------------------------------------------------------------------------------------
# Helpers: images made here

def barcode(content: str, fmt, *, scale: int = 4, **options) -> Image.Image:
    """A generated barcode on white paper, with a margin like a label in a photo."""
    symbol = zxingcpp.create_barcode(content, fmt, **options)
    bars = Image.fromarray(np.asarray(zxingcpp.write_barcode_to_image(symbol, scale=scale)))
    return on_paper(bars, (bars.width + 120, bars.height + 120))


def on_paper(image: Image.Image, size: tuple[int, int], centre: tuple[int, int] | None = None) -> Image.Image:
    paper = Image.new("L", size, 255)
    cx, cy = centre or (size[0] // 2, size[1] // 2)
    paper.paste(image, (cx - image.width // 2, cy - image.height // 2))
    return paper


def encoded(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def blank_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of any size in a few KB: a decompression bomb, built without the pixels."""
    row = bytes(1 + (width + 7) // 8)  # filter byte + packed bits
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", idat)
            + png_chunk(b"IEND", b""))


def read(data: bytes) -> list[Symbol]:
    """decode_image with time for every pass: what is read must not depend on the machine's load."""
    return decode_image(data, budget_ms=10_000)


def centre_of(symbol: Symbol) -> tuple[float, float]:
    xs, ys = zip(*symbol.position)
    return sum(xs) / len(xs), sum(ys) / len(ys)


def only(symbols: list[Symbol]) -> Symbol:
    assert len(symbols) == 1, symbols
    return symbols[0]


# --------------------------------------------------------------------------------------------
# What is read, and how it is named

GS1_DATAMATRIX = "(01)09506000134352(10)LOT42(21)SN7"  # square: a DMRE one reads as ]d8
GS1_128 = "(00)095060001343528015(37)12(10)B-9(21)77"


@pytest.mark.parametrize("content, fmt, options, text, format_, aim, gs1", [
    ("9780764544200", zxingcpp.EAN13, {}, "9780764544200", "ean13", "]E0", False),
    ("036000291452", zxingcpp.UPCA, {}, "0036000291452", "upca", "]E0", False),
    ("01234565", zxingcpp.UPCE, {}, "0012345000065", "upce", "]E0", False),
    ("12345670", zxingcpp.EAN8, {}, "12345670", "ean8", "]E4", False),
    ("00012345678905", zxingcpp.ITF, {}, "00012345678905", "itf", "]I1", False),
    ("TENDU-Bin A-01", zxingcpp.Code128, {}, "TENDU-Bin A-01", "code128", "]C0", False),
    (GS1_128, zxingcpp.Code128, {"gs1": True},
     "00095060001343528015" "3712" + GS + "10B-9" + GS + "2177", "code128", "]C1", True),
    ("https://tendu.example/bin/A-01", zxingcpp.QRCode, {}, "https://tendu.example/bin/A-01", "qrcode", "]Q1", False),
    (GS1_DATAMATRIX, zxingcpp.DataMatrix, {"gs1": True},
     "0109506000134352" "10LOT42" + GS + "21SN7", "datamatrix", "]d2", True),
], ids=["ean13", "upca", "upce", "ean8", "itf14", "code128", "gs1-128", "qrcode", "gs1-datamatrix"])
def test_reads_generated_codes_with_raw_text_format_and_aim(content, fmt, options, text, format_, aim, gs1):
    image = barcode(content, fmt, **options)

    symbol = only(read(encoded(image)))

    assert (symbol.text, symbol.format, symbol.aim, symbol.gs1, symbol.engine) == (text, format_, aim, gs1, "zxing")
    assert all(0 <= x < image.width and 0 <= y < image.height for x, y in symbol.position)


def test_symbol_to_dict_is_plain_json():
    symbol = only(read(encoded(barcode(GS1_DATAMATRIX, zxingcpp.DataMatrix, gs1=True))))

    as_dict = json.loads(json.dumps(symbol.to_dict()))

    assert as_dict["text"].count(GS) == 1 and as_dict["gs1"] is True
    assert len(as_dict["position"]) == 4 and all(len(point) == 2 for point in as_dict["position"])


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP"])
def test_jpeg_and_webp_are_read_too(fmt):
    image = barcode("9780764544200", zxingcpp.EAN13)

    assert only(read(encoded(image, fmt, quality=90))).text == "9780764544200"


def test_transparent_png_is_read_on_white_paper():
    bars = barcode("TENDU-42", zxingcpp.Code128)
    transparent = Image.new("RGBA", bars.size, (0, 0, 0, 0))
    transparent.putalpha(bars.point(lambda value: 255 - value))  # black ink, no background

    assert only(read(encoded(transparent))).text == "TENDU-42"


def test_16_bit_png_is_scaled_not_clipped():
    bars = np.asarray(barcode("TENDU-42", zxingcpp.Code128)).astype(np.uint16) * 257  # 0 or 65535

    assert only(read(encoded(Image.fromarray(bars)))).text == "TENDU-42"


@pytest.mark.parametrize("angle", [0, 20, 45, 60, 90, 135, 180, 250])
def test_rotated_code128_is_read_and_located(angle):
    turned = barcode("TENDU-12345", zxingcpp.Code128, scale=3).rotate(angle, expand=True, fillcolor=255)
    photo = on_paper(turned, (1000, 900), centre=(520, 430))

    symbol = only(read(encoded(photo)))

    assert symbol.text == "TENDU-12345"
    assert math.dist(centre_of(symbol), (520, 430)) < 40


def test_big_photo_is_read_and_located_in_its_own_pixels():
    label = barcode("9780764544200", zxingcpp.EAN13, scale=8)
    photo = on_paper(label, (4000, 3000), centre=(2900, 900))

    started = time.perf_counter()
    symbol = only(read(encoded(photo, "JPEG", quality=85)))

    assert time.perf_counter() - started < 1.0
    assert symbol.text == "9780764544200"
    assert math.dist(centre_of(symbol), (2900, 900)) < 60


def test_exif_orientation_is_applied_to_positions():
    stored = on_paper(barcode("TENDU-42", zxingcpp.Code128, scale=2), (800, 400), centre=(250, 150))
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: shown turned 90° clockwise, 400 wide and 800 high

    symbol = only(read(encoded(stored, "JPEG", quality=90, exif=exif.tobytes())))

    shown_centre = (400 - 150, 250)  # (x, y) stored → (stored height - y, x) shown
    assert math.dist(centre_of(symbol), shown_centre) < 30


def test_noise_photo_reads_nothing_within_its_budget():
    """Noise is zxing-cpp's worst case (edges everywhere): the retries must not pile up."""
    noise = encoded(Image.effect_noise((3000, 2000), 40), "JPEG")

    started = time.perf_counter()
    assert decode_image(noise, budget_ms=300) == []
    assert time.perf_counter() - started < 1.0


# --------------------------------------------------------------------------------------------
# Hostile uploads: a clear refusal, fast, before any big allocation

def text_renamed_jpg(tmp_path: Path) -> bytes:
    path = tmp_path / "label.jpg"
    path.write_text("GTIN 09506000134352, lot 42\n")
    return path.read_bytes()


def truncated_png(_tmp_path: Path) -> bytes:
    data = encoded(barcode("9780764544200", zxingcpp.EAN13))
    return data[: len(data) // 2]


def truncated_jpeg(_tmp_path: Path) -> bytes:
    data = encoded(Image.effect_noise((400, 300), 40), "JPEG")
    return data[: len(data) // 2]


def truncated_webp(_tmp_path: Path) -> bytes:
    data = encoded(barcode("9780764544200", zxingcpp.EAN13), "WEBP")
    return data[: len(data) // 2]


def corrupt_png(_tmp_path: Path) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", bytes(13))[:-4] + b"bad!"  # 0 × 0, wrong CRC


HOSTILE = {
    "20k x 20k png bomb": (lambda _: blank_png(20_000, 20_000), TooLarge, "image_too_many_pixels"),
    "8k x 4k png over the limit": (lambda _: blank_png(8_000, 4_000), TooLarge, "image_too_many_pixels"),
    "11 MB upload": (lambda _: b"\xff\xd8\xff\xe0" + bytes(11 * 1024 * 1024), TooLarge, "image_too_large"),
    "text renamed .jpg": (text_renamed_jpg, Unsupported, "not_an_image"),
    "empty upload": (lambda _: b"", Unsupported, "not_an_image"),
    "gif": (lambda _: encoded(Image.new("L", (10, 10)), "GIF"), Unsupported, "unsupported_image_type"),
    "heic": (lambda _: b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", Unsupported, "unsupported_image_type"),
    "truncated png": (truncated_png, BadRequest, "image_truncated"),
    "truncated jpeg": (truncated_jpeg, BadRequest, "image_truncated"),
    "truncated webp": (truncated_webp, BadRequest, "image_truncated"),
    "corrupt png": (corrupt_png, BadRequest, "image_corrupt"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_upload_is_refused_quickly_with_its_code(name, tmp_path):
    build, error, code = HOSTILE[name]
    data = build(tmp_path)

    started = time.perf_counter()
    with pytest.raises(error) as refused:
        decode_image(data)

    assert time.perf_counter() - started < 1.0
    assert refused.value.code == code
    assert refused.value.field == "image" and refused.value.en and refused.value.fr


def test_webp_pixel_limit_is_read_from_its_header():
    """WebP is decoded whole at ~15 B/px, hence the lowest default limit (8.5 MP)."""
    data = encoded(Image.new("L", (3000, 3000), 255), "WEBP", lossless=True)

    with pytest.raises(TooLarge) as refused:
        decode_image(data)

    assert refused.value.code == "image_too_many_pixels"
    assert refused.value.details == {"width": 3000, "height": 3000, "max_pixels": 8_500_000}


def test_max_pixels_argument_replaces_the_default_limits():
    data = encoded(barcode("TENDU-42", zxingcpp.Code128), "JPEG")

    with pytest.raises(TooLarge):
        decode_image(data, max_pixels=10_000)


_MEMORY_PROBE = """
import resource, sys
from pathlib import Path
from server.decoding import decode_image
from server.domain.errors import DomainError

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

decode_image(Path(sys.argv[1], "warm-up").read_bytes())
before = peak_mb()
for path in sorted(Path(sys.argv[1]).glob("hostile-*")):
    try:
        decode_image(path.read_bytes())
    except DomainError:
        pass
print(peak_mb() - before)
"""


def test_hostile_uploads_never_allocate_their_pixels(tmp_path):
    """Peak memory of a fresh interpreter: decoding the 20k × 20k bomb alone would take 400 MB."""
    (tmp_path / "warm-up").write_bytes(encoded(barcode("TENDU-42", zxingcpp.Code128)))
    for index, name in enumerate(HOSTILE):
        (tmp_path / f"hostile-{index:02}").write_bytes(HOSTILE[name][0](tmp_path))

    probe = subprocess.run([sys.executable, "-c", _MEMORY_PROBE, str(tmp_path)], cwd=PROJECT_ROOT,
                           capture_output=True, text=True, timeout=60, check=True)

    assert float(probe.stdout) < 40, f"peak memory grew by {probe.stdout.strip()} MB"


# --------------------------------------------------------------------------------------------
# Engines: zbar is optional

def test_engines_reports_both_engines():
    report = engines()

    assert report["zxing"]["available"] is True and report["zxing"]["version"]
    assert isinstance(report["zbar"]["available"], bool)


def test_missing_pyzbar_is_reported_and_zxing_reads_alone(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyzbar.wrapper", None)  # as if pyzbar or libzbar0 were absent
    zbar, reason = decoding._load_zbar()
    assert zbar is None and "pyzbar.wrapper" in reason
    monkeypatch.setattr(decoding, "_ZBAR", zbar)
    monkeypatch.setattr(decoding, "_ZBAR_MISSING", reason)

    assert engines()["zbar"] == {"available": False, "reason": reason}
    assert only(read(encoded(barcode("TENDU-42", zxingcpp.Code128)))).text == "TENDU-42"


def test_module_imports_without_pyzbar():
    blocked = ("import sys; sys.modules['pyzbar'] = None; "
               "from server.decoding import engines; print(engines()['zbar']['available'])")
    run = subprocess.run([sys.executable, "-c", blocked], cwd=PROJECT_ROOT,
                         capture_output=True, text=True, timeout=60, check=True)
    assert run.stdout.strip() == "False"


@needs_zbar
@pytest.mark.parametrize("content, fmt, options, text, format_, aim, gs1", [
    (GS1_128, zxingcpp.Code128, {"gs1": True}, "00095060001343528015" "3712" + GS + "10B-9" + GS + "2177",
     "code128", "]C1", True),
    ("036000291452", zxingcpp.UPCA, {}, "0036000291452", "upca", "]E0", False),
    ("01234565", zxingcpp.UPCE, {}, "0012345000065", "upce", "]E0", False),
], ids=["gs1-128", "upca", "upce"])
def test_zbar_pass_names_codes_like_zxing(monkeypatch, content, fmt, options, text, format_, aim, gs1):
    monkeypatch.setattr(decoding, "_read_zxing", lambda view, **options: [])  # only zbar can answer

    symbol = only(read(encoded(barcode(content, fmt, **options))))

    assert (symbol.text, symbol.format, symbol.aim, symbol.gs1, symbol.engine) == (text, format_, aim, gs1, "zbar")


# --------------------------------------------------------------------------------------------
# The test photos: read counts pinned so that a change cannot lower them unnoticed

PINNED_READS = {  # folder: (correct reads, wrong reads) — raise them when the engine improves
    "code128-1": (7, 0), "code128-3": (2, 0), "datamatrix-2": (18, 0), "ean13-3": (55, 0),
    "ean8-1": (8, 0), "itf-2": (14, 0), "qrcode-3": (42, 0), "upca-2": (46, 0),
}


def gtin14(text: str) -> str:
    return text.zfill(14) if text.isdigit() and len(text) in (8, 12, 13, 14) else text


def folder_reads(folder: Path) -> tuple[int, int]:
    correct = wrong = 0
    for image in sorted(folder.glob("*.png")):
        expected = gtin14(image.with_suffix(".txt").read_bytes().decode("utf-8"))
        texts = {gtin14(symbol.text) for symbol in read(image.read_bytes())}
        correct += expected in texts
        wrong += bool(texts) and expected not in texts
    return correct, wrong


@pytest.mark.skipif(not PHOTOS.is_dir(), reason=f"test photos not found at {PHOTOS}")
def test_read_counts_on_the_test_photos_are_pinned():
    counts = {folder.name: folder_reads(folder) for folder in sorted(PHOTOS.iterdir()) if folder.is_dir()}

    assert counts == PINNED_READS
