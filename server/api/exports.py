"""Every table as a CSV download: ``GET /api/v1/exports/<table>.csv`` (supervisor), streamed as it is read;
``?dialect=excel-fr`` for French Excel."""
from __future__ import annotations

from datetime import date

from flask import Response, stream_with_context
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from server.api.common import Blueprint
from server.api.security import role
from server.queries.exports import DIALECTS, EXPORTS, csv_chunks

blp = Blueprint("exports", __name__, url_prefix="/api/v1/exports", description="CSV exports")

TABLES = ", ".join(f'"{name}"' for name in EXPORTS)


class ExportArgs(Schema):
    # Not chosen from Accept-Language: programs read the default whatever their locale, people ask for Excel's.
    dialect = fields.String(load_default="rfc4180", validate=validate.OneOf(list(DIALECTS)), metadata={
        "description": "rfc4180 (default): UTF-8 without BOM, ',' separated, decimal points, for programs. "
                       "excel-fr: what French Excel opens by a double click: UTF-8 with a BOM, ';' separated, "
                       "decimal commas in numbers (quantities, costs, prices, days), codes made of digits written "
                       "=\"03165143007129\" so that Excel keeps them as text. Both end lines with CRLF, and both "
                       "import back unchanged (POST /api/v1/imports/…)."})


@blp.route(f"/<any({TABLES}):table>.csv")
class Export(MethodView):
    @role("supervisor")
    @blp.arguments(ExportArgs, location="query")
    @blp.response(200, content_type="text/csv", description="UTF-8 with a header row, in the dialect asked for")
    def get(self, args, table):
        """One table as CSV: master data, stock, movements, orders and their events, scans."""
        dialect = args["dialect"]
        suffix = "" if dialect == "rfc4180" else f"-{dialect}"
        filename = f"tendu-{table}-{date.today().isoformat()}{suffix}.csv"
        # The rows are read while the response is sent, in the request's transaction: one consistent snapshot.
        return Response(stream_with_context(csv_chunks(table, dialect)), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})
