"""Reading an uploaded CSV as people make them: Excel in French (``;``, decimal comma, BOM) or not, in UTF-8 or in
Windows-1252 (French Excel's "CSV (séparateur : point-virgule)").

Cells come out as trimmed text keyed by lower-cased column name, with the line number a person sees in a
spreadsheet or editor (the header is line 1). Cell parsers raise ``Invalid`` naming the column.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from server.domain import master
from server.domain.days import day_in_range
from server.domain.errors import BadRequest, Invalid

MAX_ROWS = 100_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # exports prefix these with ' so a spreadsheet shows text
TRUE, FALSE = {"1", "true", "yes", "y", "oui", "vrai", "x"}, {"0", "false", "no", "n", "non", "faux", ""}


@dataclass
class Row:
    line: int
    cells: dict[str, str]
    overflow: bool  # more cells than there are columns: the row is shifted, refuse it


@dataclass
class Table:
    columns: list[str]
    rows: list[Row]
    cp1252_from: int | None = None  # read as Windows-1252: the line of the first byte that is not UTF-8


def read(data: bytes) -> Table:
    text, cp1252_from = _decode(data)
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise Invalid("empty_file", "The file is empty or its first line (the header) is blank.",
                      "Le fichier est vide ou sa première ligne (l'en-tête) est vide.", field="file")
    counts = {mark: first_line.count(mark) for mark in (",", ";", "\t")}  # (a tab: pasted from a spreadsheet)
    separator = max(counts, key=lambda mark: (counts[mark], mark == ","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows, line = [], 0
    try:
        columns = [c.strip().lower() for c in next(reader)]
        line = reader.line_num
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise Invalid("too_many_rows", f"At most {MAX_ROWS} rows per file.",
                              f"Au plus {MAX_ROWS} lignes par fichier.", field="file")
            values = {name: _unescape(cells[i].strip()) if i < len(cells) else "" for i, name in enumerate(columns)}
            rows.append(Row(start, values, len(cells) > len(columns)))
    except csv.Error as exc:  # a cell over the csv module's limit (128 KiB), a NUL byte…
        raise Invalid("bad_csv", f"Line {line + 1} cannot be read as CSV ({exc}).",
                      f"La ligne {line + 1} n'est pas lisible en CSV ({exc}).", field="file",
                      details={"line": line + 1}) from None
    return Table(columns, rows, cp1252_from)


def _not_utf8() -> BadRequest:
    return BadRequest("not_utf8", "The file is not UTF-8: save it as 'CSV UTF-8'.",
                      "Le fichier n'est pas en UTF-8 : enregistrez-le en « CSV UTF-8 ».", field="file")


def _decode(data: bytes) -> tuple[str, int | None]:
    """UTF-8 (BOM or not); else Windows-1252, which French Excel's default CSV is written in, saying from which line.
    Refused: bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D), UTF-16 (Excel's "Unicode text",
    read as cp1252 it would be NULs), and a file mixing UTF-8 accents with other bytes, whose UTF-8 accents would
    come out garbled (« Ã© »)."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    some_utf8 = any(c > "\x7f" and c != "\ufffd" for c in data.decode("utf-8", "replace"))
    if some_utf8 or b"\x00" in data or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise _not_utf8()
    try:
        return data.decode("cp1252"), data.count(b"\n", 0, first_bad) + 1
    except UnicodeDecodeError:
        raise _not_utf8() from None


def check_columns(columns: list[str], required: set[str], optional: set[str]) -> None:
    missing = sorted(required - set(columns))
    unknown = sorted(set(columns) - required - optional)
    if missing or unknown or len(set(columns)) != len(columns):
        known = ", ".join(sorted(required | optional))
        raise Invalid("bad_columns", f"Columns missing: {', '.join(missing) or '-'}; unknown or repeated: "
                      f"{', '.join(unknown) or '-'}. Known columns: {known} (required: {', '.join(sorted(required))}).",
                      f"Colonnes manquantes : {', '.join(missing) or '-'} ; inconnues ou répétées : "
                      f"{', '.join(unknown) or '-'}. Colonnes connues : {known}.", field="file",
                      details={"missing": missing, "unknown": unknown, "known": sorted(required | optional)})


# The export also guards a formula after a ';' (a spreadsheet splitting on ';' starts a cell there): ";'=" → ";=".
_GUARDED_AFTER_SEMICOLON = re.compile(";'(?=[" + re.escape("".join(FORMULA_START)) + "])")


# Excel's way of keeping a code as text (``="00123"``), which the excel-fr export writes (server/queries/exports.py).
_AS_TEXT = re.compile(r'="([^"]*)"')


def _unescape(cell: str) -> str:
    """The export's formula guards and text marks taken off again, so that an exported name imports back as it was."""
    if (as_text := _AS_TEXT.fullmatch(cell)) is not None:
        return as_text[1]
    cell = _GUARDED_AFTER_SEMICOLON.sub(";", cell) if ";'" in cell else cell
    return cell[1:] if cell[:1] == "'" and cell[1:2] in FORMULA_START else cell


def decimal(cells: dict, name: str, *, default=None, minimum=Decimal(0), positive=False, maximum=10 ** 9,
            places: int | None = 3) -> Decimal | None:
    """A number cell; ``places``: the decimals its column keeps (more would be stored rounded, 0.0004 as 0); None
    for a floating-point column, which keeps what it is given."""
    typed = cells.get(name, "").strip()
    # Thousands as spreadsheets space them (a space, a no-break or a narrow no-break one) and a euro sign go.
    raw = re.sub(r"\s", "", typed).removesuffix("€")   # (\s takes the no-break ones too)
    if not raw:
        if default is None:
            raise _invalid(name, "required", "is required", "est obligatoire")
        return Decimal(default)
    if "," in raw and "." not in raw:
        raw = raw.replace(",", ".")  # a decimal comma
    try:
        value = Decimal(raw)
    except InvalidOperation:  # (said as typed: "'1.050.00' is not a number" named a cell nobody wrote)
        raise _invalid(name, "not_a_number", f"{typed!r} is not a number",
                       f"« {typed} » n'est pas un nombre") from None
    if not value.is_finite() or value < minimum or (positive and value <= 0) or value > maximum:
        rule = "above 0" if positive else f"at least {minimum}"
        raise _invalid(name, "out_of_range", f"{raw} must be {rule} and at most {maximum:,}",
                       f"{raw} doit être {'supérieur à 0' if positive else f'au moins {minimum}'} "
                       f"et au plus {maximum:,}".replace(",", " "))
    if places is not None and value != value.quantize(Decimal(1).scaleb(-places)):
        raise _invalid(name, "too_many_decimals", f"{raw} has more than {places} decimals",
                       f"{raw} a plus de {places} décimales")
    return value


def integer(cells: dict, name: str, *, minimum: int, maximum: int) -> int:
    """A whole-number cell (``7`` or ``7,0``), required."""
    value = decimal(cells, name, minimum=Decimal(minimum), maximum=maximum, places=None)
    if value != value.to_integral_value():
        raw = cells[name]
        raise _invalid(name, "not_a_whole_number", f"{raw} is not a whole number",
                       f"{raw} n'est pas un nombre entier")
    return int(value)


def boolean(cells: dict, name: str, default: bool) -> bool:
    raw = cells.get(name, "").lower()
    if name not in cells or raw == "":
        return default
    if raw in TRUE | FALSE:
        return raw in TRUE
    raise _invalid(name, "not_a_boolean", f"{raw!r} is not true/false", f"{raw!r} n'est pas vrai/faux")


def day(cells: dict, name: str) -> date | None:
    raw = cells.get(name, "")
    if not raw:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            value = datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
        if not day_in_range(value):  # the API's rule (server/domain/days.py): 0001-01-01 is a typo, not an expiry
            raise _invalid(name, "out_of_range", f"{raw} is not between 2000-01-01 and 2099-12-31",
                           f"{raw} n'est pas entre le 01/01/2000 et le 31/12/2099")
        return value
    raise _invalid(name, "not_a_date", f"{raw!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)",
                   f"{raw!r} n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA)")


def text(cells: dict, name: str, *, max_length: int, required: bool = False) -> str:
    value = cells.get(name, "")
    if required and not value:
        raise _invalid(name, "required", "is required", "est obligatoire")
    if len(value) > max_length:
        raise _invalid(name, "too_long", f"has more than {max_length} characters",
                       f"a plus de {max_length} caractères")
    return value


# C0 controls and DEL. NUL is refused by PostgreSQL (a 500) and kept unseen by SQLite, as the JSON routes refuse it;
# the others are invisible in a spreadsheet, a label or a screen. A tab, CR or LF inside a cell too (at its edges they
# are trimmed): a spreadsheet's separator or a line end pasted into a name, never typed on purpose.
_CONTROL = master.CONTROL_CHARACTERS


def refuse_control_characters(row: Row) -> None:
    """Refuse the row (naming the first column at fault) when a cell holds a control character."""
    for name, value in row.cells.items():
        if (found := _CONTROL.search(value)) is not None:
            char = f"U+{ord(found[0]):04X}"
            raise Invalid("control_character", f"{name}: holds an invisible control character ({char}, character "
                          f"{found.start() + 1}): retype the cell.",
                          f"{name} : contient un caractère de contrôle invisible ({char}, caractère "
                          f"{found.start() + 1}) : ressaisissez la cellule.", field=name,
                          details={"character": char})


def _invalid(name: str, code: str, en: str, fr: str) -> Invalid:
    return Invalid(code, f"{name}: {en}.", f"{name} : {fr}.", field=name)
