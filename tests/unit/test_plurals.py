"""Counts in the server's messages: "1 row", "2 rows"; "1,5 unité", "2 unités"; never "row(s)" or "demandé(s)"."""
import io
import re
import tokenize
from pathlib import Path

import pytest

from server.domain.words import en_word, fr_word

SERVER = Path(__file__).resolve().parents[2] / "server"
BRACKETED = re.compile(r"[a-zà-ÿ]{2}\((?:s|e|es|x)\)", re.IGNORECASE)  # "row(s)", not "Φ(x)"
STRINGS = {tokenize.STRING} | ({tokenize.FSTRING_MIDDLE} if hasattr(tokenize, "FSTRING_MIDDLE") else set())


def test_no_message_of_the_server_puts_a_plural_in_brackets():
    found = []
    for path in sorted(SERVER.rglob("*.py")):
        for token in tokenize.generate_tokens(io.StringIO(path.read_text()).readline):
            if token.type in STRINGS and BRACKETED.search(token.string):
                found.append(f"{path.relative_to(SERVER)}:{token.start[0]}: {BRACKETED.search(token.string)[0]}")
    assert found == []


@pytest.mark.parametrize("n, en, fr", [(0, "rows", "ligne"), (1, "row", "ligne"), (1.5, "rows", "ligne"),
                                       (2, "rows", "lignes"), (-1, "row", "ligne"), (-3, "rows", "lignes")])
def test_english_says_one_for_one_french_for_anything_below_two(n, en, fr):
    assert (en_word(n, "row", "rows"), fr_word(n, "ligne", "lignes")) == (en, fr)
