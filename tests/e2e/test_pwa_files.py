"""Static checks of pwa/ that need no browser: the service worker precaches the whole shell under the
same version as the app, the shell stays small, and nothing inline or foreign would trip a strict CSP."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

PWA = Path(__file__).resolve().parents[2] / "pwa"
SHELL_DIRS = ("js", "css", "icons")
MAX_SHELL_GZIPPED = 150 * 1024


def precached() -> set[str]:
    listing = re.search(r"const SHELL = \[(.*?)\];", (PWA / "sw.js").read_text(), re.S).group(1)
    return set(re.findall(r'"([^"]+)"', listing))


def shell_files() -> list[Path]:
    files = [PWA / "index.html", PWA / "manifest.webmanifest"]
    return files + sorted(p for d in SHELL_DIRS for p in (PWA / d).rglob("*") if p.is_file())


def test_the_service_worker_precaches_every_shell_file_and_nothing_missing():
    expected = {"/"} | {"/" + str(p.relative_to(PWA)) for p in shell_files() if p.name != "index.html"}
    assert precached() == expected


def test_the_service_worker_and_the_app_carry_the_same_version():
    sw = re.search(r'const VERSION = "([^"]+)"', (PWA / "sw.js").read_text()).group(1)
    app = re.search(r'SHELL_VERSION = "([^"]+)"', (PWA / "js" / "version.js").read_text()).group(1)
    assert sw == app


def test_the_shell_stays_under_150_kb_gzipped():
    size = sum(len(gzip.compress(p.read_bytes())) for p in shell_files() + [PWA / "sw.js"])
    assert size <= MAX_SHELL_GZIPPED, f"{size} bytes gzipped"


def test_no_inline_script_style_or_handler_and_nothing_from_another_origin():
    html = (PWA / "index.html").read_text()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [], "inline <script>"
    assert not re.search(r"<style|\sstyle=|\son[a-z]+=", html), "inline style or event handler"
    for path in shell_files() + [PWA / "sw.js"]:
        if path.suffix in (".png",):
            continue
        text = path.read_text()
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", text), f"absolute URL in {path.name}"
        assert "eval(" not in text and "new Function(" not in text, path.name


def test_the_operators_and_the_supervisors_words_have_no_plural_in_brackets():
    """"scan(s)", "refusé(s)", "ligne(s)": each count has its singular and plural forms (i18n.js: key_one, key_other)."""
    for path in [PWA / "js" / "i18n.js", *sorted((PWA / "js" / "screens").glob("*.js")),
                 *sorted((PWA / "js" / "supervisor").glob("*.js"))]:
        found = re.findall(r"\w+\((?:s|e|es|x)\)", path.read_text())
        assert found == [], f"{path.name}: {found}"


KEY = re.compile(r'(?:^\s*|[{,]\s*)([a-z][a-z0-9_]*):\s*["`]', re.M)
PLURAL_FORM = re.compile(r"_(?:zero|one|two|few|many|other)$")


def string_keys(text: str) -> dict[str, set[str]]:
    """The keys of every `en: {…}` and `fr: {…}` dictionary in a file, plural forms folded into their key."""
    keys: dict[str, set[str]] = {"en": set(), "fr": set()}
    for start in re.finditer(r"\b(en|fr): \{", text):
        depth, i, quote = 1, start.end(), None
        while depth:
            c = text[i]
            if quote:
                i += c == "\\"
                quote = None if c == quote else quote
            elif c in "\"'`":
                quote = c
            elif text.startswith("//", i):      # a comment ("an order's status") opens no string
                i = text.index("\n", i)
            else:
                depth += {"{": 1, "}": -1}.get(c, 0)
            i += 1
        keys[start.group(1)] |= {PLURAL_FORM.sub("", k) for k in KEY.findall(text[start.end():i - 1])}
    return keys


def test_every_string_has_its_english_and_its_french():
    """count_ambiguous had no French: a French reader would have met English in the middle of the app."""
    for path in (PWA / "js" / "i18n.js", PWA / "js" / "supervisor" / "strings.js"):
        keys = string_keys(path.read_text())
        assert len(keys["en"]) > 100, path.name
        assert (sorted(keys["en"] - keys["fr"]), sorted(keys["fr"] - keys["en"])) == ([], []), path.name
