"""Draw Tendu's app icons (a barcode on the brand green) as SVG and PNG, for the web app manifest.

Run from the repository root with the project's Python: ``.venv/bin/python pwa/tools/make_icons.py``.
The PNGs are committed; run this again only to change the design.
"""
from pathlib import Path

from PIL import Image, ImageDraw

GREEN, WHITE = "#0b6e4f", "#ffffff"
# Bar widths (in units of a 100-unit canvas) alternating bar/space: a stylised barcode, not a real one.
BARS = (4, 3, 2, 2, 6, 3, 2, 4, 4, 2, 2, 3, 6, 2, 3, 3, 2)
ICONS = Path(__file__).resolve().parent.parent / "icons"


def bars(safe: float):
    """(x, width) of each bar on a 100-unit canvas, centred in the part that stays visible."""
    total = sum(BARS)
    scale = (100 - 2 * safe) * 0.7 / total
    x = 50 - total * scale / 2
    for index, width in enumerate(BARS):
        if index % 2 == 0:
            yield x, width * scale
        x += width * scale


def svg(safe: float = 10) -> str:
    rects = "".join(f'<rect x="{x:.2f}" y="30" width="{w:.2f}" height="40" fill="{WHITE}"/>' for x, w in bars(safe))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
            f'<rect width="100" height="100" rx="18" fill="{GREEN}"/>{rects}</svg>\n')


def png(size: int, *, maskable: bool) -> Image.Image:
    # A maskable icon is cropped to a circle of 80 % diameter by some launchers: keep the bars inside it.
    safe = 20 if maskable else 10
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    unit = size / 100
    if maskable:
        draw.rectangle((0, 0, size, size), fill=GREEN)
    else:
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=18 * unit, fill=GREEN)
    top, bottom = (36, 64) if maskable else (30, 70)
    for x, width in bars(safe):
        draw.rectangle((x * unit, top * unit, (x + width) * unit - 1, bottom * unit), fill=WHITE)
    return image


def main() -> None:
    ICONS.mkdir(exist_ok=True)
    (ICONS / "icon.svg").write_text(svg())
    for size in (192, 512):
        png(size, maskable=False).save(ICONS / f"icon-{size}.png", optimize=True)
    png(512, maskable=True).save(ICONS / "icon-maskable-512.png", optimize=True)
    png(180, maskable=True).convert("RGB").save(ICONS / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
