"""Benchmark Tendu's photo decoder against zxing-cpp and pyzbar alone, on the same photos, same run.

    python bench/decode.py [DATA_DIR] [--repeat N] [--check]

DATA_DIR defaults to ../shared/data/barcodes next to the project root; each sub-folder holds images
(N.png, .jpg, .webp) and their expected texts (N.txt, compared byte for byte; N.metadata.txt is
ignored). A read is correct when the expected text is among the decoded texts; retail codes are
compared as GTIN-14 (zxing-cpp gives UPC-A as 13 digits, the files as 12). Times cover the whole
job from the file's bytes: opening the image, converting it, decoding. With --check the exit status
is 1 unless, on every folder, Tendu reads at least as many images as the better engine alone at a
median of at most 15 ms.
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

import zxingcpp  # noqa: E402
from PIL import Image  # noqa: E402

from server import decoding  # noqa: E402

DEFAULT_DATA = PROJECT_ROOT.parent / "shared" / "data" / "barcodes"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp"}
TARGET_MEDIAN_MS = 15.0


def tendu(data: bytes) -> list[str]:
    return [symbol.text for symbol in decoding.decode_image(data)]


def zxing_alone(data: bytes) -> list[str]:
    image = Image.open(io.BytesIO(data))
    return [barcode.text for barcode in zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain)]


def pyzbar_alone(data: bytes) -> list[str]:
    from pyzbar import pyzbar
    return [found.data.decode("utf-8", "replace") for found in pyzbar.decode(Image.open(io.BytesIO(data)))]


def decoders() -> dict:
    available = {"tendu": tendu, "zxing-cpp": zxing_alone}
    if decoding.engines()["zbar"]["available"]:
        available["pyzbar"] = pyzbar_alone
    return available


def gtin14(text: str) -> str:
    """Retail codes in one form: EAN-8, UPC-A (12), EAN-13, ITF-14 padded to 14 digits."""
    return text.zfill(14) if text.isdigit() and len(text) in (8, 12, 13, 14) else text


def cases(folder: Path) -> list[tuple[Path, str]]:
    """(image, expected text) pairs of a folder; images without an expected text are skipped."""
    found = []
    for image in sorted(path for path in folder.iterdir() if path.suffix.lower() in IMAGE_SUFFIXES):
        expected = image.with_suffix(".txt")
        if expected.is_file():
            found.append((image, expected.read_bytes().decode("utf-8")))
    return found


@dataclass
class Score:
    correct: int = 0
    wrong: int = 0  # decoded something, but not the expected text
    times_ms: list[float] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.correct += other.correct
        self.wrong += other.wrong
        self.times_ms += other.times_ms

    def cell(self, images: int) -> str:
        median = statistics.median(self.times_ms) if self.times_ms else float("nan")
        rate = 100 * self.correct / max(images, 1)
        return f"{self.correct:>3}/{images:<3} {rate:5.1f}% {median:6.1f} {self.wrong:>5}"


def measure(decode, data: bytes, expected: str, repeat: int) -> tuple[bool, bool, float]:
    """(correct, wrong, median ms) of one decoder on one image."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        texts = decode(data)
        times.append((time.perf_counter() - started) * 1000)
    correct = gtin14(expected) in {gtin14(text) for text in texts}
    return correct, bool(texts) and not correct, statistics.median(times)


def score_folder(folder: Path, named_decoders: dict, repeat: int) -> tuple[int, dict[str, Score]]:
    scores = {name: Score() for name in named_decoders}
    pairs = cases(folder)
    for image, expected in pairs:
        data = image.read_bytes()
        for name, decode in named_decoders.items():
            correct, wrong, ms = measure(decode, data, expected, repeat)
            scores[name].correct += correct
            scores[name].wrong += wrong
            scores[name].times_ms.append(ms)
    return len(pairs), scores


CELL = 27


def header(names) -> str:
    engines = " " * 21 + "".join(f" | {name:<{CELL}}" for name in names)
    columns = f"{'folder':<14} {'images':>6}" + f" | {'read':>7} {'rate':>6} {'med ms':>6} {'wrong':>5}" * len(names)
    return f"{engines.rstrip()}\n{columns}"


def row(label: str, images: int, scores: dict[str, Score]) -> str:
    return f"{label:<14} {images:>6}" + "".join(f" | {score.cell(images):<{CELL}}" for score in scores.values())


def meets_target(scores: dict[str, Score]) -> bool:
    best_alone = max(score.correct for name, score in scores.items() if name != "tendu")
    engine = scores["tendu"]
    return engine.correct >= best_alone and statistics.median(engine.times_ms) <= TARGET_MEDIAN_MS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=1, help="decode each image N times, keep the median")
    parser.add_argument("--check", action="store_true", help="exit 1 if the acceptance target is missed")
    args = parser.parse_args(argv)
    if not args.data_dir.is_dir():
        print(f"skipped: no test photos at {args.data_dir} (pass the folder as an argument)")
        return 0
    named = decoders()
    engines = decoding.engines()
    print(f"zxing-cpp {engines['zxing']['version']}, zbar: {engines['zbar'].get('version') or 'missing'}; "
          f"data: {args.data_dir}")
    for decode in named.values():  # warm up: library loading is not decoding
        decode(cases(next(p for p in sorted(args.data_dir.iterdir()) if p.is_dir()))[0][0].read_bytes())
    print(header(named))
    totals, total_images, all_met = {name: Score() for name in named}, 0, True
    for folder in sorted(path for path in args.data_dir.iterdir() if path.is_dir()):
        images, scores = score_folder(folder, named, args.repeat)
        if not images:
            continue
        print(row(folder.name, images, scores))
        all_met &= meets_target(scores)
        total_images += images
        for name, score in scores.items():
            totals[name].add(score)
    print(row("TOTAL", total_images, totals))
    print(f"target (every folder: tendu reads >= best engine alone, median <= {TARGET_MEDIAN_MS:g} ms): "
          f"{'met' if all_met else 'MISSED'}")
    return 0 if all_met or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
