"""CSV imports (supervisor): ``POST /api/v1/imports/<products|barcodes|opening-stock|suppliers|customers|locations>``
with a ``file`` part.

The answer is a report: how many rows were imported or already there, each refused row with its line
and reason, each row with a code to check (``warnings``: an all-digit code kept as the company's own, not a
GTIN; first, a file read as Windows-1252 as it was not UTF-8), and whether anything was applied. 200 when
applied; 422, with the same report and an ``error``, when refused rows stopped the whole file (unless
``?partial=true``).
"""
from __future__ import annotations

from flask import g, request
from flask.views import MethodView
from flask_smorest.fields import Upload
from marshmallow import Schema, fields

from server.api.common import Blueprint
from server.api.security import role
from server.domain.errors import NotFound
from server.domain.words import en_word, fr_word
from server.errors import language
from server.services import imports

blp = Blueprint("imports", __name__, url_prefix="/api/v1/imports", description="CSV imports")

KINDS = list(imports.IMPORTERS)


class ImportArgs(Schema):
    partial = fields.Boolean(load_default=False, metadata={"description": "Import the good rows even if some are "
                                                           "refused (default: all or nothing)"})
    dry_run = fields.Boolean(load_default=False, metadata={"description": "Check the file and say what it would "
                                                           "import, change or refuse; write nothing"})


class ImportFile(Schema):
    file = Upload(required=True, metadata={"description": "UTF-8 (BOM or not) or else Windows-1252 (a warning says "
                                                          "so), ';' or ',' separated, header row"})


class RefusedRow(Schema):
    line = fields.Integer(metadata={"description": "Line in the file; the header is line 1"})
    field = fields.String(allow_none=True)
    code = fields.String()
    message = fields.String()


class ImportWarning(Schema):
    line = fields.Integer(metadata={"description": "Line in the file; the header is line 1"})
    field = fields.String(metadata={"description": "The column; file for read_as_windows_1252"})
    code = fields.String(metadata={"description": "The code as it is stored; for read_as_windows_1252, the encoding "
                                                  "the file was read in (windows-1252)"})
    warning = fields.String(metadata={"description": "not_a_gtin: digits whose GS1 check digit is wrong, kept as "
                                                     "the company's own code (check it is not a mistyped EAN). "
                                                     "read_as_windows_1252: the file is not UTF-8 from this line on "
                                                     "and was read as Windows-1252 (check its accents)"})
    message = fields.String()


class ImportReport(Schema):
    imported = fields.Integer(metadata={"description": "Rows that created or changed something"})
    unchanged = fields.Integer(metadata={"description": "Good rows already imported (same values)"})
    refused = fields.List(fields.Nested(RefusedRow))
    warnings = fields.List(fields.Nested(ImportWarning), metadata={"description": "Rows imported, or that would "
                                                                   "be, with a code to check; first, the file's "
                                                                   "encoding when it was not UTF-8"})
    applied = fields.Boolean()
    dry_run = fields.Boolean(metadata={"description": "A check only: the counts say what the file would do"})
    error = fields.Dict(metadata={"description": "Present when rows were refused and nothing was applied"})


def render(report: imports.Report) -> dict:
    lang = language()
    body = {"imported": report.imported, "unchanged": report.unchanged, "applied": report.applied,
            "dry_run": report.dry_run,
            "refused": [{"line": r.line, "field": r.error.field, "code": r.error.code,
                         "message": r.error.message(lang)} for r in report.refused],
            "warnings": [{"line": w.line, "field": w.field, "code": w.code, "warning": w.warning,
                          "message": w.message(lang)} for w in report.warnings]}
    if not report.applied and report.refused:
        n = len(report.refused)
        body["error"] = {"code": "rows_refused",
                         "message": f"{n} {fr_word(n, 'ligne refusée', 'lignes refusées')} : rien n'a été importé."
                         if lang == "fr" else f"{n} {en_word(n, 'row', 'rows')} refused: nothing was imported."}
    return body


@blp.before_request
def known_kind():
    """An unknown kind is a 404 naming the known ones, before the file is read (it was a 405: only the app's static
    files matched the path)."""
    kind = (request.view_args or {}).get("kind")
    if kind is not None and kind not in imports.IMPORTERS:
        raise NotFound("unknown_import", f"Nothing imports {kind!r}: choose one of {', '.join(KINDS)}.",
                       f"Aucun import « {kind} » : choisissez parmi {', '.join(KINDS)}.", field="kind",
                       details={"known": KINDS})


@blp.route("/<string:kind>", parameters=[{"in": "path", "name": "kind", "required": True,
                                           "schema": {"type": "string", "enum": KINDS}}])
class Import(MethodView):
    @role("supervisor")
    @blp.arguments(ImportArgs, location="query")
    @blp.arguments(ImportFile, location="files")
    @blp.response(200, ImportReport)
    @blp.alt_response(422, schema=ImportReport, description="Rows refused: nothing was imported")
    def post(self, args, files, kind):
        """Import products (by SKU, with barcodes), barcodes, opening stock, suppliers or customers (by code), row by
        row with a report. Suppliers and customers take the columns of their export."""
        report = imports.run(kind, files["file"].read(), partial=args["partial"], user_id=g.user.id,
                             dry_run=args["dry_run"])
        return render(report), 422 if report.refused and not report.applied and not args["partial"] else 200
