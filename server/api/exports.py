"""Every table as a CSV download: ``GET /api/v1/exports/<table>.csv`` (supervisor), streamed as it is read."""
from __future__ import annotations

from datetime import date

from flask import Response, stream_with_context
from flask.views import MethodView

from server.api.common import Blueprint
from server.api.security import role
from server.queries.exports import EXPORTS, csv_chunks

blp = Blueprint("exports", __name__, url_prefix="/api/v1/exports", description="CSV exports")

TABLES = ", ".join(f'"{name}"' for name in EXPORTS)


@blp.route(f"/<any({TABLES}):table>.csv")
class Export(MethodView):
    @role("supervisor")
    @blp.response(200, content_type="text/csv", description="UTF-8, comma-separated, with a header row")
    def get(self, table):
        """One table as CSV: master data, stock, movements, orders and their events, scans."""
        filename = f"tendu-{table}-{date.today().isoformat()}.csv"
        # The rows are read while the response is sent, in the request's transaction: one consistent snapshot.
        return Response(stream_with_context(csv_chunks(table)), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})
