"""Counted words in English and French: "1 row", "2 rows"; "1 ligne", "1,5 unité", "2 unités" (French keeps 0 and
anything below 2 in the singular). Never a plural in brackets: a person reads a sentence, not a form. And numbers as
French writes them: a decimal comma, a narrow no-break space before "%"."""
from __future__ import annotations


def en_word(n, one: str, other: str) -> str:
    """``one`` for exactly 1 (or -1), ``other`` otherwise (0 rows, 1.5 units)."""
    return one if abs(n) == 1 else other


def fr_word(n, one: str, other: str) -> str:
    """``one`` below 2 (0 ligne, 1 ligne, 1,5 unité), ``other`` from 2 on."""
    return one if abs(n) < 2 else other


def fr_number(x: float, spec: str = ".3g") -> str:
    """``x`` formatted by ``spec`` with a decimal comma: 7.5 → "7,5"."""
    return format(x, spec).replace(".", ",")


def fr_percent(share: float, spec: str = ".0f") -> str:
    """A share in %, French: 0.62 → "62 %" (a narrow no-break space)."""
    return f"{fr_number(share * 100, spec)}\u202f%"
