"""A video file for Chromium's fake camera (--use-file-for-fake-video-capture) showing one barcode.

Y4M is raw frames behind a one-line header: the luma plane is the greyscale picture, the two chroma planes
a flat 128 (no colour). Written by hand, so no ffmpeg is needed.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import zxingcpp
from PIL import Image

WIDTH, HEIGHT, FPS, FRAMES = 640, 480, 10, 10


def barcode_image(content: str, fmt, *, gs1: bool = False, scale: int = 4) -> Image.Image:
    options = {"gs1": True, "force_square": True} if gs1 else {}
    symbol = zxingcpp.create_barcode(content, fmt, **options)
    return Image.fromarray(np.asarray(zxingcpp.write_barcode_to_image(symbol, scale=scale))).convert("L")


def write_y4m(picture: Image.Image, path: Path) -> Path:
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    picture.thumbnail((WIDTH - 80, HEIGHT - 80))
    frame.paste(picture, ((WIDTH - picture.width) // 2, (HEIGHT - picture.height) // 2))
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2 * 2)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(FRAMES):
            out.write(b"FRAME\n" + frame.tobytes() + chroma)
    return path
