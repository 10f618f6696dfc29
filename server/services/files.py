"""Files that appear whole or not at all: written under a temporary name next to the target and renamed
once complete (a rename within a directory is atomic); an interrupted job removes its temporary file."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


def fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def replaced_on_success(target: Path):
    """A temporary path next to ``target``; renamed to ``target`` if the block succeeds, removed otherwise.
    The file is private to its owner (0600, from mkstemp): a backup holds the password hashes."""
    target = target.resolve()
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        fsync(tmp)
        os.replace(tmp, target)
        fsync(target.parent)  # the rename itself survives a power cut
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)
