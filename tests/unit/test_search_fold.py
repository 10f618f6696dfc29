"""Search folding (server/domain/search.py): what a search compares, worked by hand."""
import pytest

from server.domain.search import KEY_MAX, fold, search_key


@pytest.mark.parametrize("text, folded", [
    ("Équerre à 90°", "equerre a 90°"),     # É → e, à → a; the degree sign is no accent: kept
    ("FREIN à disque", "frein a disque"),
    ("ŒUF", "oeuf"),                        # the ligature spelt out (NFKD alone leaves Œ whole)
    ("Cœur d'Æther", "coeur d'aether"),
    ("Straße", "strasse"),                  # casefold, not lower
    ("ﬁltre ½", "filtre 1⁄2"),              # compatibility forms: NFKD's K
    ("Ça coûte 3 €", "ca coute 3 €"),
    ("already plain-42", "already plain-42"),
])
def test_fold_drops_case_accents_and_ligatures(text, folded):
    assert fold(text) == folded


def test_fold_is_idempotent_so_a_typed_key_matches_itself():
    for text in ("Équerre à 90°", "ŒUF", "İstanbul", "ℌello"):
        assert fold(fold(text)) == fold(text)


def test_a_rows_key_is_its_code_and_name_folded_and_fits_its_column():
    assert search_key("EQ-90", "Équerre à 90°") == "eq-90 equerre a 90°"
    assert search_key("C1", None) == "c1"
    assert len(search_key("P1", "ﷺ" * 200)) == KEY_MAX    # (one character that folds into 18)
