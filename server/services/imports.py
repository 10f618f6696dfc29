"""CSV imports of products, barcodes, opening stock, suppliers, customers and locations: every row checked, then
applied in one transaction.

Rows are checked first (their cells, then their references, against the database and against the rows
above them in the file). By default one refused row means nothing is written; with ``partial`` the good
rows are. Checks and writes share one write transaction, so what was checked is what gets written. An
empty cell leaves an existing product's, supplier's or customer's field as it is. Products, suppliers and
customers are created or updated by their key (SKU, code); keys differing only in case are refused, as the API
does. Their cells keep the API's rules (server/domain/master.py).

Opening stock books one OPENING movement per row, whose client_event_id is derived from the row's values
and how many identical rows precede it: importing the same file again books nothing, and so does
importing a corrected file after a partial import (its good rows are unchanged, whatever line they
moved to) — a key on the file's hash would book them twice. A file that no longer has a quantity an earlier
import booked at a place (a row corrected from 3 to 5) has its new rows there refused (``refused_in_file``):
booked, they would add 5 to the 3.

Products and barcodes: a code newly linked that is digits with a wrong GS1 check digit is kept as the company's own
code, as POST /barcodes does (server/services/codes.py), and the report lists it among its warnings: it may be an
EAN mistyped. A code that is a location's code is refused, as the API refuses it. A file not in UTF-8, read as
Windows-1252 (server/services/csv_table.py), is said first among the warnings.
"""
from __future__ import annotations

import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from marshmallow import ValidationError
from marshmallow.validate import Email
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from server.database import write_transaction
from server.domain.barcodes import NOT_A_GTIN
from server.domain import master as rules
from server.domain.errors import Conflict, DomainError, Invalid
from server.domain.movements import MAX_QTY, check_quantity
from server.models import LOCATION_KINDS, Barcode, Customer, Location, Movement, MovementKind, Product, Supplier
from server.models.base import utcnow
from server.services import csv_table, ledger
from server.services.codes import location_clash, product_clash, product_named, read_code, scanned_forms
from server.services.csv_table import Row, boolean, day, decimal, integer, text
from server.services.locks import lock_products
from server.services.stamp import Stamp

KEY = re.compile(rules.KEY_PATTERN)  # the API's CODE
OPENING_IDS = uuid.UUID("6f0b8d2e-4a51-4c1e-9a7e-0c6d1f3b2a90")  # namespace of opening-stock event ids


@dataclass
class Refusal:
    line: int
    error: DomainError


@dataclass
class CodeWarning:
    """A row imported (or that would be) with a code to check: ``warning`` is the parser's (``not_a_gtin``)."""
    line: int
    field: str
    code: str
    warning: str

    @property
    def en(self) -> str:
        return (f"{self.code} is not a valid GTIN (its check digit is wrong): kept as your own code. If it is an "
                "EAN or UPC, correct it.")

    @property
    def fr(self) -> str:
        return (f"{self.code} n'est pas un GTIN valide (son chiffre de contrôle est faux) : gardé comme votre propre "
                "code. Si c'est un EAN ou un UPC, corrigez-le.")

    def message(self, lang: str = "en") -> str:
        return self.fr if lang == "fr" else self.en


@dataclass
class EncodingWarning:
    """The file was not UTF-8 and was read as Windows-1252, what French Excel's "CSV (séparateur : point-virgule)"
    writes: said, as a file that is neither would import with its accents garbled. In the warnings' shape, on the
    line of the first byte that is not UTF-8."""
    line: int
    field: str = "file"
    code: str = "windows-1252"
    warning: str = "read_as_windows_1252"

    @property
    def en(self) -> str:
        return (f"The file is not UTF-8 (from line {self.line}): it was read as Windows-1252, as Excel writes a 'CSV "
                "(semicolon delimited)'. Check the accents of the names imported; 'CSV UTF-8' avoids the guess.")

    @property
    def fr(self) -> str:
        return (f"Le fichier n'est pas en UTF-8 (dès la ligne {self.line}) : il a été lu en Windows-1252, comme Excel "
                "enregistre un « CSV (séparateur : point-virgule) ». Vérifiez les accents des noms importés ; "
                "« CSV UTF-8 » évite de deviner.")

    def message(self, lang: str = "en") -> str:
        return self.fr if lang == "fr" else self.en


@dataclass
class Report:
    imported: int
    unchanged: int
    refused: list[Refusal]
    applied: bool
    warnings: list[CodeWarning | EncodingWarning] = field(default_factory=list)
    dry_run: bool = False


class _RolledBack(Exception):
    """A dry run's end: what it would have written is rolled back, its report kept."""

    def __init__(self, report: Report):
        self.report = report


def run(kind: str, data: bytes, *, partial: bool, user_id: int | None, on_progress=None,
        dry_run: bool = False) -> Report:
    """``on_progress(rows checked, rows)``, if given, follows the checks (the command line's progress bar).
    ``dry_run``: everything is checked and applied as it would be, then rolled back: the report says what the file
    would do (a products file that would overwrite names and costs), and nothing is written."""
    try:
        return _run(kind, data, partial=partial, user_id=user_id, on_progress=on_progress, dry_run=dry_run)
    except _RolledBack as done:
        return done.report


def _run(kind: str, data: bytes, *, partial: bool, user_id: int | None, on_progress, dry_run: bool) -> Report:
    importer_class = IMPORTERS[kind]
    table = csv_table.read(data)
    csv_table.check_columns(table.columns, importer_class.required, importer_class.optional)
    try:
        with write_transaction() as s:
            importer = importer_class(s, user_id)
            accepted, refused = [], []
            warnings = [] if table.cp1252_from is None else [EncodingWarning(table.cp1252_from)]
            lines = []
            for n, row in enumerate(table.rows, 1):
                importer.noted = []
                try:
                    csv_table.refuse_control_characters(row)  # (every importer: before any cell is read)
                    accepted.append(importer.check(row))
                    lines.append(row.line)
                    warnings += [CodeWarning(row.line, *noted) for noted in importer.noted]
                except DomainError as error:
                    refused.append(Refusal(row.line, error))
                if on_progress:
                    on_progress(n, len(table.rows))
            # Rows refused only once the whole file is read (opening stock: a quantity changed since an import).
            late = dict(importer.refused_in_file(list(zip(lines, accepted)))) if hasattr(
                importer, "refused_in_file") else {}
            if late:
                accepted = [item for line, item in zip(lines, accepted) if line not in late]
                refused = sorted(refused + [Refusal(line, error) for line, error in late.items()],
                                 key=lambda r: r.line)
            if refused and not partial:
                return Report(0, 0, refused, applied=False, warnings=warnings, dry_run=dry_run)
            changed = importer.apply(accepted)
            if dry_run:
                raise _RolledBack(Report(changed, len(accepted) - changed, refused, applied=False,
                                         warnings=warnings, dry_run=True))
    except IntegrityError:
        raise Conflict("import_conflict", "Someone changed the same rows meanwhile; nothing was imported, try again.",
                       "Quelqu'un a modifié les mêmes lignes entre-temps ; rien n'a été importé, réessayez.") from None
    return Report(changed, len(accepted) - changed, refused, applied=True, warnings=warnings)


def _sku(cells: dict) -> str:
    return _key(cells, "sku", "bad_sku")


def _key(cells: dict, field: str, code: str) -> str:
    key = text(cells, field, max_length=64, required=True)
    if not KEY.match(key):
        raise Invalid(code, f"{field}: {rules.KEY_RULE_EN}", f"{field} : {rules.KEY_RULE_FR}", field=field)
    return key


def _refuse_extra(row: Row) -> None:
    if row.overflow:
        raise Invalid("too_many_cells", "This row has more cells than the header has columns.",
                      "Cette ligne a plus de cellules que l'en-tête n'a de colonnes.", field=None)


def _code(raw: str, field: str, places: dict[str, str]) -> tuple[str, tuple[str, ...]]:
    """The code as stored and its reading's warnings; refused when it is a location's (``places``: code in capitals
    → code)."""
    try:
        code, warnings = read_code(raw)
    except DomainError as error:
        error.field = field
        raise
    for form in scanned_forms(code):
        if form in places:
            raise location_clash(code, places[form], field)
    return code, warnings


def _places(session) -> dict[str, str]:
    """Every location's code, by its capitals (a product code may be none of them, in any case)."""
    return {code.upper(): code for code in session.scalars(select(Location.code))}


def _taken(code: str, owner: str, field: str) -> Conflict:
    return Conflict("duplicate_barcode", f"{field}: barcode {code} already names product {owner}.",
                    f"{field} : le code {code} désigne déjà le produit {owner}.", field=field, details={"code": code})


def _unknown_product(sku: str) -> Invalid:
    return Invalid("unknown_product", f"sku: no product {sku!r}.", f"sku : aucun produit « {sku} ».", field="sku")


class Products:
    required = {"sku"}
    optional = {"name", "unit", "unit_cost", "supplier", "moq", "pack_multiple", "critical", "active", "barcodes"}

    def __init__(self, session, _user_id):
        self.s = session
        self.products = {p.sku: p for p in session.scalars(select(Product).options(selectinload(Product.barcodes)))}
        self.suppliers = dict(session.execute(select(Supplier.code, Supplier.id)).all())
        self.owners = dict(session.execute(select(Barcode.code, Product.sku).join(Product)).all())
        self.by_upper = {sku.upper(): sku for sku in self.products}  # labels cannot tell 'pad' from 'PAD'
        self.in_file: set[str] = set()
        self.places = _places(session)
        self.noted: list[tuple] = []  # (field, code, warning) of the row checked last

    def check(self, row: Row):
        _refuse_extra(row)
        cells = row.cells
        sku = _sku(cells)
        twin = self.by_upper.get(sku.upper(), sku)
        if sku in self.in_file or (twin != sku and twin in self.in_file):
            raise Invalid("duplicate_in_file", f"Product {twin} is on an earlier line already.",
                          f"Le produit {twin} figure déjà plus haut.", field="sku")
        if twin != sku:
            raise Conflict("duplicate", f"sku: product {twin} exists already; SKUs differing only in case cannot "
                           "be told apart on a label.", f"sku : le produit {twin} existe déjà ; des références qui ne "
                           "diffèrent que par la casse sont indiscernables sur une étiquette.", field="sku")
        values = {column: parse(self, cells) for column, parse in FIELDS.items() if cells.get(column)}
        if sku not in self.products and "name" not in values:
            text(cells, "name", max_length=200, required=True)
        barcodes = self._barcodes(sku, cells["barcodes"]) if cells.get("barcodes") else None
        self.in_file.add(sku)
        self.by_upper.setdefault(sku.upper(), sku)
        for code, _ in barcodes or ():
            self.owners[code] = sku
        return sku, {("supplier_id" if k == "supplier" else k): v for k, v in values.items()}, barcodes

    def _supplier(self, cells: dict) -> int:
        code = cells["supplier"]
        if code not in self.suppliers:
            raise Invalid("unknown_supplier", f"supplier: no supplier {code!r}.",
                          f"supplier : aucun fournisseur « {code} ».", field="supplier")
        return self.suppliers[code]

    def _barcodes(self, sku: str, cell: str) -> set[tuple[str, object]]:
        """``CODE|CODE*PACK|…`` → {(normalised code, pack quantity)}."""
        wanted = {}
        for item in filter(None, (part.strip() for part in cell.split("|"))):
            raw, _, pack = item.partition("*")
            code, warnings = _code(raw.strip(), "barcodes", self.places)
            owner = self.owners.get(code)
            if (owner and owner != sku) or code in wanted:
                raise _taken(code, owner or sku, "barcodes")
            if owner is None:  # (a code linked already was warned of then)
                self.noted += [("barcodes", code, warning) for warning in warnings if warning == NOT_A_GTIN]
            wanted[code] = decimal({"barcodes": pack}, "barcodes", default=1, minimum=rules.PACK[0],
                                   maximum=rules.PACK[1])
        return set(wanted.items())

    def apply(self, accepted) -> int:
        return sum(self._apply_one(*item) for item in accepted)

    def _apply_one(self, sku, values, barcodes) -> bool:
        product = self.products.get(sku)
        if product is None:
            product = self.products[sku] = Product(sku=sku, **values)
            self.s.add(product)
            changed = True
        else:
            changed = any(getattr(product, k) != v for k, v in values.items())
            for name, value in values.items():
                setattr(product, name, value)
        if barcodes is not None and {(b.code, b.pack_qty) for b in product.barcodes} != barcodes:
            if product.barcodes:
                for old in product.barcodes:
                    self.s.delete(old)
                self.s.flush()  # free the codes: the new list may name some of them again
                self.s.expire(product, ["barcodes"])
            product.barcodes.extend(Barcode(code=code, pack_qty=pack) for code, pack in sorted(barcodes))
            changed = True
        return changed


FIELDS = {
    "name": lambda _, c: text(c, "name", max_length=rules.NAME_MAX),
    "unit": lambda _, c: text(c, "unit", max_length=rules.UNIT_MAX),
    "unit_cost": lambda _, c: decimal(c, "unit_cost", places=rules.UNIT_COST_PLACES, minimum=rules.UNIT_COST[0],
                                      maximum=rules.UNIT_COST[1]),
    "supplier": Products._supplier,
    "moq": lambda _, c: decimal(c, "moq", minimum=rules.MOQ[0], maximum=rules.MOQ[1]),
    "pack_multiple": lambda _, c: decimal(c, "pack_multiple", minimum=rules.PACK[0], maximum=rules.PACK[1]),
    "critical": lambda _, c: boolean(c, "critical", False),
    "active": lambda _, c: boolean(c, "active", True),
}


class Barcodes:
    required = {"sku", "code"}
    optional = {"pack_qty", "name"}  # name: ignored, so a products export can be trimmed into this file

    def __init__(self, session, _user_id):
        self.s = session
        self.product_ids = dict(session.execute(select(Product.sku, Product.id)).all())
        self.existing = {b.code: (sku, b) for b, sku in session.execute(select(Barcode, Product.sku).join(Product))}
        self.in_file: dict[str, str] = {}
        self.places = _places(session)
        self.noted: list[tuple] = []  # (field, code, warning) of the row checked last

    def check(self, row: Row):
        _refuse_extra(row)
        sku = _sku(row.cells)
        if sku not in self.product_ids:
            raise _unknown_product(sku)
        code, warnings = _code(text(row.cells, "code", max_length=128, required=True), "code", self.places)
        owner = self.in_file.get(code) or self.existing.get(code, (None,))[0]
        if (owner and owner != sku) or code in self.in_file:
            raise _taken(code, owner, "code")
        pack = decimal(row.cells, "pack_qty", default=1, minimum=rules.PACK[0], maximum=rules.PACK[1])
        self.in_file[code] = sku
        if owner is None:  # (a code linked already was warned of then)
            self.noted = [("code", code, warning) for warning in warnings if warning == NOT_A_GTIN]
        return self.product_ids[sku], code, pack

    def apply(self, accepted) -> int:
        changed = 0
        for product_id, code, pack in accepted:
            known = self.existing.get(code, (None, None))[1]
            if known is None:
                self.s.add(Barcode(code=code, product_id=product_id, pack_qty=pack))
            elif known.pack_qty != pack:
                known.pack_qty = pack
            else:
                continue
            changed += 1
        return changed


class OpeningStock:
    required = {"sku", "location", "qty"}
    optional = {"lot", "expiry", "unit_cost", "name"}  # name: ignored, so a stock export reads back

    def __init__(self, session, user_id):
        self.s, self.user_id = session, user_id
        self.products = {row.sku: row for row in session.execute(
            select(Product.id, Product.sku, Product.unit, Product.unit_cost))}
        self.locations = dict(session.execute(select(Location.code, Location.id)).all())
        spelt: dict[str, list[str]] = {}
        for code in self.locations:
            spelt.setdefault(code.upper(), []).append(code)
        self.locations_upper = {upper: codes[0] for upper, codes in spelt.items() if len(codes) == 1}
        self.seen: Counter = Counter()
        self.now = utcnow()

    def check(self, row: Row) -> ledger.MovementRequest:
        _refuse_extra(row)
        cells = row.cells
        sku = _sku(cells)
        if sku not in self.products:
            raise _unknown_product(sku)
        where = text(cells, "location", max_length=64, required=True)
        where = where if where in self.locations else self.locations_upper.get(where.upper(), where)  # as scans read
        if where not in self.locations:
            raise Invalid("unknown_location", f"location: no location {where!r}.",
                          f"location : aucun emplacement « {where} ».", field="location")
        product = self.products[sku]
        product_id, cost = product.id, product.unit_cost
        qty = decimal(cells, "qty", positive=True, maximum=MAX_QTY)  # what the ledger takes in one movement
        check_quantity(qty, field="qty", of=product)
        lot, expiry = text(cells, "lot", max_length=64), day(cells, "expiry")
        unit_cost = decimal(cells, "unit_cost", default=cost, places=4)
        identity = f"{sku}|{where}|{qty.normalize()}|{lot}|{expiry}|{unit_cost.normalize()}"
        self.seen[identity] += 1
        event_id = str(uuid.uuid5(OPENING_IDS, f"{identity}#{self.seen[identity]}"))
        return ledger.MovementRequest(
            stamp=Stamp(event_id, self.now, self.user_id, "csv-import"), kind=MovementKind.OPENING,
            product_id=product_id, qty=qty, to_location_id=self.locations[where], lot=lot, expiry=expiry,
            unit_cost=unit_cost, reason=f"Opening stock (CSV line {row.line})")

    def refused_in_file(self, rows: list[tuple[int, ledger.MovementRequest]]) -> list[tuple[int, DomainError]]:
        """Rows at a place (product, location, lot, expiry) where an earlier import booked a quantity this file no
        longer has: the file corrects a row (3 → 5) rather than adding one (a row refused before, now fixed). Such
        a row would add 5 to the 3 booked; an import does not take back stock that may have moved since either."""
        def place(m) -> tuple:
            return m.product_id, m.to_location_id, m.lot or "", m.expiry
        in_file: dict[tuple, Counter] = {}
        for _, request in rows:
            in_file.setdefault(place(request), Counter())[request.qty] += 1
        booked: dict[tuple, Counter] = {}
        for m in self.s.execute(select(Movement.product_id, Movement.to_location_id, Movement.lot, Movement.expiry,
                                       Movement.qty)
                                .where(Movement.kind == int(MovementKind.OPENING), Movement.device == "csv-import",
                                       Movement.product_id.in_({request.product_id for _, request in rows}))):
            if place(m) in in_file:
                booked.setdefault(place(m), Counter())[m.qty] += 1
        skus = {row.id: row.sku for row in self.products.values()}
        codes = {location_id: code for code, location_id in self.locations.items()}
        out = []
        for line, request in rows:
            key = place(request)
            gone = booked.get(key, Counter()) - in_file[key]
            if gone and in_file[key][request.qty] > booked.get(key, Counter())[request.qty]:
                before = " + ".join(f"{qty.normalize():f}" for qty in sorted(gone.elements()))
                sku, where = skus[request.product_id], codes[request.to_location_id]
                out.append((line, Conflict(
                    "opening_stock_booked",
                    f"qty: an earlier import booked {before} of {sku} in {where}, which this file no longer has; "
                    "opening stock once booked is not changed by an import (this row would add to it). To correct "
                    "the stock, count that location (Count, on the scanner).",
                    f"qty : un import précédent a enregistré {before} de {sku} en {where}, que ce fichier n'a "
                    "plus ; un stock d'ouverture enregistré n'est pas modifié par un import (cette ligne s'y "
                    "ajouterait). Pour corriger le stock, comptez cet emplacement (Inventaire, sur le scanner).",
                    field="qty", details={"booked": [float(q) for q in sorted(gone.elements())]})))
        return out

    def apply(self, accepted: list[ledger.MovementRequest]) -> int:
        ids = [r.stamp.client_event_id for r in accepted]
        booked = set()
        for i in range(0, len(ids), 500):
            booked |= set(self.s.scalars(select(Movement.client_event_id).where(
                Movement.client_event_id.in_(ids[i:i + 500]))))
        fresh = [r for r in accepted if r.stamp.client_event_id not in booked]
        lock_products(self.s, [r.product_id for r in fresh])
        for request in fresh:
            ledger.append(self.s, request)
        return len(fresh)


class Partners:
    """Suppliers or customers, by code, in the columns their export writes: an export imports back unchanged."""
    model: type
    noun: tuple[str, str]  # English, French
    required = {"code"}
    optional = {"name", "email", "active"}

    def __init__(self, session, _user_id):
        self.s = session
        self.rows = {p.code: p for p in session.scalars(select(self.model))}
        self.by_upper = {code.upper(): code for code in self.rows}
        self.in_file: set[str] = set()
        self.parsers = self.fields()

    def fields(self) -> dict:
        """column → its cell's parser (a cell left empty is not parsed: the field stays as it is)."""
        return {"name": lambda c: text(c, "name", max_length=rules.NAME_MAX),
                "email": _email,
                "active": lambda c: boolean(c, "active", True)}

    name_required = True  # for a new one

    def check(self, row: Row):
        _refuse_extra(row)
        cells = row.cells
        code = _key(cells, "code", "bad_code")
        en, fr = self.noun
        twin = self.by_upper.get(code.upper(), code)
        if code in self.in_file or twin in self.in_file:
            raise Invalid("duplicate_in_file", f"code: {en} {twin} is on an earlier line already.",
                          f"code : le {fr} {twin} figure déjà plus haut.", field="code")
        if twin != code:
            raise Conflict("duplicate", f"code: {en} {twin} exists already; codes differing only in case are "
                           "refused.", f"code : le {fr} {twin} existe déjà ; des codes qui ne diffèrent que par la "
                           "casse sont refusés.", field="code", details={"existing": twin})
        values = {column: parse(cells) for column, parse in self.parsers.items() if cells.get(column)}
        if code not in self.rows and "name" not in values and self.name_required:
            text(cells, "name", max_length=rules.NAME_MAX, required=True)
        self.in_file.add(code)
        self.by_upper.setdefault(code.upper(), code)
        return code, values

    def apply(self, accepted) -> int:
        changed = 0
        for code, values in accepted:
            partner = self.rows.get(code)
            if partner is None:
                self.s.add(self.model(code=code, **{**self.defaults(), **values}))
            elif any(getattr(partner, k) != v for k, v in values.items()):
                for name, value in values.items():
                    setattr(partner, name, value)
            else:
                continue
            changed += 1
        return changed

    def defaults(self) -> dict:
        return {"active": True}


class Customers(Partners):
    model = Customer
    noun = ("customer", "client")


class Suppliers(Partners):
    model = Supplier
    noun = ("supplier", "fournisseur")
    optional = Partners.optional | {"declared_lead_time_days", "review_period_days", "ordering_cost"}

    def fields(self) -> dict:
        low, high = rules.LEAD_TIME_DAYS
        first, last = rules.REVIEW_PERIOD_DAYS
        cheapest, dearest = rules.ORDERING_COST
        return {**super().fields(),
                "declared_lead_time_days": lambda c: float(decimal(c, "declared_lead_time_days", minimum=Decimal(low),
                                                                   maximum=high, places=None)),
                "review_period_days": lambda c: integer(c, "review_period_days", minimum=first, maximum=last),
                "ordering_cost": lambda c: decimal(c, "ordering_cost", minimum=cheapest, maximum=dearest,
                                                   places=rules.ORDERING_COST_PLACES)}

    def defaults(self) -> dict:
        return {**super().defaults(), "declared_lead_time_days": rules.DEFAULT_LEAD_TIME_DAYS}


class Locations(Partners):
    """Bins, docks, dispatch areas and zones, by code, in the columns locations.csv exports: a new warehouse's
    bins before its opening stock. A parent is a location already there or on a line above."""
    model = Location
    noun = ("location", "emplacement")
    optional = {"name", "kind", "parent", "walk_order", "active"}
    name_required = False

    def fields(self) -> dict:
        return {"name": lambda c: text(c, "name", max_length=rules.NAME_MAX),
                "kind": _location_kind,
                "parent": lambda c: _key(c, "parent", "bad_code"),
                "walk_order": lambda c: integer(c, "walk_order", minimum=0, maximum=10_000_000),
                "active": lambda c: boolean(c, "active", True)}

    def check(self, row: Row):
        code, values = super().check(row)
        try:
            return code, self._placed(code, values)
        except DomainError:
            self.in_file.discard(code)  # refused: no parent of the lines below (a partial import would miss it)
            raise

    def _placed(self, code: str, values: dict) -> dict:
        if code not in self.rows and (named := product_named(self.s, code)) is not None:
            raise product_clash(code, *named)
        parent = values.get("parent")
        if parent is not None:
            known = self.by_upper.get(parent.upper())
            if known is None or (known not in self.rows and known not in self.in_file):
                raise Invalid("unknown_location", f"parent: no location {parent!r} (put it on a line above).",
                              f"parent : aucun emplacement « {parent} » (mettez-le sur une ligne au-dessus).",
                              field="parent")
            if known == code:
                raise Invalid("own_parent", "parent: a location cannot contain itself.",
                              "parent : un emplacement ne peut se contenir.", field="parent")
            values["parent"] = known
        return values

    def apply(self, accepted) -> int:
        changed = 0
        for code, values in accepted:
            parent = values.pop("parent", None)
            location = self.rows.get(code)
            if parent is not None:
                values["parent_id"] = self.rows[parent].id
            if location is None:
                location = self.rows[code] = Location(code=code, **{**self.defaults(), **values})
                self.s.add(location)
                self.s.flush()  # (its id, for the rows below that name it as their parent)
            elif any(getattr(location, k) != v for k, v in values.items()):
                for name, value in values.items():
                    setattr(location, name, value)
            else:
                continue
            changed += 1
        return changed

    def defaults(self) -> dict:
        return {"active": True, "name": "", "kind": "bin", "walk_order": 0}


def _location_kind(cells: dict) -> str:
    kind = text(cells, "kind", max_length=16)
    if kind not in LOCATION_KINDS:
        raise Invalid("bad_kind", f"kind: {kind!r} is none of {', '.join(LOCATION_KINDS)}.",
                      f"kind : « {kind} » n'est pas l'un de {', '.join(LOCATION_KINDS)}.", field="kind")
    return kind


_EMAIL = Email()  # the check of the API's email fields (marshmallow's fields.Email)


def _email(cells: dict) -> str:
    value = text(cells, "email", max_length=rules.EMAIL_MAX)
    try:
        _EMAIL(value)
    except ValidationError:
        raise Invalid("not_an_email", f"email: {value!r} is not an email address.",
                      f"email : « {value} » n'est pas une adresse e-mail.", field="email") from None
    return value


IMPORTERS = {"products": Products, "barcodes": Barcodes, "opening-stock": OpeningStock, "suppliers": Suppliers,
             "customers": Customers, "locations": Locations}
