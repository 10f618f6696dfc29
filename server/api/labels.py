"""Printable labels: one PNG for a bin, a product or a document, or an A4 sheet of them as PDF."""
from __future__ import annotations

from itertools import repeat

from flask import Response
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from server import labels
from server.api.common import Blueprint
from server.domain.errors import Invalid
from server.queries.labels import KINDS, label_for

blp = Blueprint("labels", __name__, url_prefix="/api/v1/labels", description="Printable labels")


class PngArgs(Schema):
    symbology = fields.String(load_default=None, validate=validate.OneOf(sorted(labels.SYMBOLOGIES)))
    width_mm = fields.Float(load_default=70.0, validate=validate.Range(min=15, max=200))
    height_mm = fields.Float(load_default=37.0, validate=validate.Range(min=15, max=200))
    dpi = fields.Integer(load_default=300, validate=validate.Range(min=72, max=600))


class SheetItem(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    key = fields.String(required=True, validate=validate.Length(min=1, max=64))
    copies = fields.Integer(load_default=1, validate=validate.Range(min=1, max=500))


class SheetIn(Schema):
    items = fields.List(fields.Nested(SheetItem), required=True, validate=validate.Length(min=1, max=500))
    grid = fields.String(load_default="3x8", validate=validate.OneOf(sorted(labels.GRIDS)))
    start_cell = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1000))
    symbology = fields.String(load_default=None, validate=validate.OneOf(sorted(labels.SYMBOLOGIES)))


@blp.route('/<any("locations", "products", "purchase-orders", "sales-orders"):kind>/<string:key>.png')
class Png(MethodView):
    @blp.arguments(PngArgs, location="query")
    @blp.response(200, content_type="image/png")
    def get(self, args, kind, key):
        """One label as a PNG (300 dpi by default), ready for a label printer."""
        png = labels.render_png(label_for(kind, key, args["symbology"]), width_mm=args["width_mm"],
                                height_mm=args["height_mm"], dpi=args["dpi"])
        return Response(png, mimetype="image/png")


@blp.route("/sheet")
class Sheet(MethodView):
    @blp.arguments(SheetIn)
    @blp.response(200, content_type="application/pdf")
    def post(self, data):
        """An A4 sheet (or several) of labels on a common grid, starting at any cell of a used sheet."""
        def specs():  # each item read once; a sheet over the limit is refused as soon as it gets there
            for item in data["items"]:
                yield from repeat(label_for(item["kind"], item["key"], data["symbology"]), item["copies"])
        try:
            pdf = labels.render_sheet(specs(), grid=data["grid"], start_cell=data["start_cell"])
        except Invalid as error:
            _name_the_item(error, data["items"])
            raise
        return Response(pdf, mimetype="application/pdf",
                        headers={"Content-Disposition": 'inline; filename="tendu-labels.pdf"'})


def _name_the_item(error: Invalid, items: list[dict]) -> None:
    """A label the sheet cannot print is known by its place among the labels (copies counted); the one who asked
    knows their items: say which one (``details.item``, 0-based, its kind and key) and name it in the message."""
    index = error.details.get("index")
    if not isinstance(index, int):
        return
    for position, item in enumerate(items):
        if index < item["copies"]:
            error.details.update(item=position, kind=item["kind"], key=item["key"])
            error.en, error.fr = f"{item['key']}: {error.en}", f"{item['key']} : {error.fr}"
            return
        index -= item["copies"]
