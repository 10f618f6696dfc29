"""Barcodes: parse a scan, resolve it to what it names, link a new code, read codes in a photo."""
from __future__ import annotations

from decimal import Decimal

from flask.views import MethodView
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from server import decoding
from server.api.common import Blueprint, CODE, Number
from server.api.security import role
from server.domain.barcodes import parse
from server.domain.errors import DomainError
from server.api.orders import PromiseOut
from server import clock
from server.queries import lookup, promises
from server.services import catalog

blp = Blueprint("barcodes", __name__, url_prefix="/api/v1", description="Barcodes: parse, look up, decode photos")

SCAN = validate.Length(min=1, max=512)


class CodeIn(Schema):
    code = fields.String(required=True, validate=SCAN, metadata={"description": "As typed or scanned, AIM prefix "
                                                                 "and GS separators included"})


class LookupArgs(CodeIn):
    promise = fields.Boolean(load_default=False, metadata={
        "description": "With a product: the date to promise a customer ordering what the scan stands for today "
                       "(DESIGN §5). Off by default: it reads the lead times, and the scanner's look-up is hot."})
    qty = Number(load_default=None, validate=validate.Range(min=0.001, max=1_000_000), metadata={
        "description": "With promise=true: the units the customer asks for (an order line being typed); by default "
                       "what the scan stands for"})


class LinkIn(Schema):
    code = fields.String(required=True, validate=SCAN)
    product = fields.String(required=True, validate=CODE, metadata={"description": "SKU"})
    pack_qty = Number(load_default=1, validate=validate.Range(min=0.001, max=1_000_000))


class LinkOut(Schema):
    code = fields.String()
    product = fields.String()
    pack_qty = Number()
    warnings = fields.List(fields.String(), metadata={
        "description": "not_a_gtin: digits whose GS1 check digit is wrong, linked as the company's own code (check "
                       "it is not a mistyped EAN)"})


class Element(Schema):
    ai = fields.String()
    label_en = fields.String()
    label_fr = fields.String()
    value = fields.String()
    parsed = fields.Raw()


class ParseOut(Schema):
    kind = fields.String()
    value = fields.String()
    raw = fields.String()
    symbology = fields.String()
    aim = fields.String(allow_none=True)
    gtin = fields.String(allow_none=True)
    content_gtin = fields.String(allow_none=True)
    sscc = fields.String(allow_none=True)
    lot = fields.String(allow_none=True)
    serial = fields.String(allow_none=True)
    expiry = fields.String(allow_none=True)
    best_before = fields.String(allow_none=True)
    count = fields.Integer(allow_none=True)
    content_count = fields.Integer(allow_none=True)
    net_weight_kg = fields.String(allow_none=True)
    reference = fields.String(allow_none=True)
    elements = fields.List(fields.Nested(Element))
    warnings = fields.List(fields.String())


class ProductBrief(Schema):
    sku = fields.String()
    name = fields.String()
    unit = fields.String()
    active = fields.Boolean()
    critical = fields.Boolean()


class StockLine(Schema):
    location = fields.String()
    kind = fields.String()
    lot = fields.String(allow_none=True)
    expiry = fields.Date(allow_none=True)
    qty = Number()


class Availability(Schema):
    on_hand = Number()
    reserved = Number()
    in_dispatch = Number(metadata={"description": "Picked for orders, waiting to be shipped"})
    available = Number(metadata={"description": "On hand minus what is picked (in dispatch) and reserved"})
    on_order = Number()
    expected_date = fields.Date(allow_none=True)
    by_location = fields.List(fields.Nested(StockLine))


class BinLine(Schema):
    sku = fields.String()
    name = fields.String()
    lot = fields.String(allow_none=True)
    expiry = fields.Date(allow_none=True)
    qty = Number()


class OrderLineBrief(Schema):
    sku = fields.String()
    name = fields.String()
    ordered = Number()
    received = Number(metadata={"description": "A purchase order's line"})
    picked = Number(metadata={"description": "A sales order's line"})
    short = Number(metadata={"description": "A sales order's line: found missing on the shelf"})
    shipped = Number(metadata={"description": "A sales order's line: gone to the customer (all its shipments)"})
    left = Number(metadata={"description": "A sales order's line: still to deliver (ordered − shipped − short)"})


class LookupOut(Schema):
    kind = fields.String(metadata={"description": "product, location, purchase_order or sales_order"})
    parse = fields.Nested(ParseOut)
    product = fields.Nested(ProductBrief, allow_none=True)
    pack_qty = Number(allow_none=True)
    quantity = Number(allow_none=True, metadata={"description": "Units this scan stands for"})
    lot = fields.String(allow_none=True)
    expiry = fields.Date(allow_none=True)
    stock = fields.Nested(Availability, allow_none=True)
    location = fields.Dict(allow_none=True)
    contents = fields.List(fields.Nested(BinLine))
    order = fields.Dict(allow_none=True)
    lines = fields.List(fields.Nested(OrderLineBrief), metadata={"description": "An order's lines, how far each is"})
    promise = fields.Nested(PromiseOut, allow_none=True, metadata={"description": "Asked with promise=true"})


class ImageIn(Schema):
    image = Upload(required=True, metadata={"description": "JPEG, PNG or WebP, 10 MB at most"})


class SymbolOut(Schema):
    text = fields.String()
    format = fields.String()
    aim = fields.String(allow_none=True)
    gs1 = fields.Boolean()
    position = fields.List(fields.List(fields.Integer()))
    engine = fields.String()
    parse = fields.Nested(ParseOut, allow_none=True)
    error = fields.Dict(allow_none=True)


class DecodeOut(Schema):
    symbols = fields.List(fields.Nested(SymbolOut))


@blp.route("/barcodes/parse")
class Parse(MethodView):
    @blp.arguments(CodeIn)
    @blp.response(200, ParseOut)
    def post(self, data):
        """What a scan means: symbology, GTIN, GS1 fields with their AI, warnings; 422 with a precise code."""
        return parse(data["code"]).to_dict()


@blp.route("/lookup")
class Lookup(MethodView):
    @blp.arguments(LookupArgs, location="query")
    @blp.response(200, LookupOut)
    def get(self, args):
        """The product, location or document a code names, with the stock that matters."""
        found = lookup.look_up(args["code"])
        if args["promise"] and found["kind"] == "product":
            asked = args["qty"] or Decimal(found["quantity"] or 1)
            found["promise"] = promises.if_ordered_today(found["product"]["sku"], asked, found["stock"],
                                                         clock.today())
        return found


@blp.route("/barcodes")
class Link(MethodView):
    @role("supervisor")
    @blp.arguments(LinkIn)
    @blp.response(201, LinkOut)
    def post(self, data):
        """Link a code (a new GTIN, a supplier's own code) to a product."""
        barcode, warnings = catalog.link_barcode(data["code"], data["product"], data["pack_qty"])
        return {"code": barcode.code, "product": data["product"], "pack_qty": barcode.pack_qty,
                "warnings": list(warnings)}


def _symbol(symbol: decoding.Symbol) -> dict:
    out = symbol.to_dict()
    try:
        code = f"{symbol.aim}{symbol.text}" if symbol.aim else symbol.text
        out["parse"], out["error"] = parse(code).to_dict(), None
    except DomainError as exc:  # a refusal is shown next to the symbol, not as a failed request
        out["parse"], out["error"] = None, {"code": exc.code, "message": exc.en, "message_fr": exc.fr}
    return out


@blp.route("/barcodes/decode")
class Decode(MethodView):
    @blp.arguments(ImageIn, location="files")
    @blp.response(200, DecodeOut)
    def post(self, files):
        """Every barcode found in a photo, each with its parse result."""
        data = files["image"].read(decoding.MAX_BYTES + 1)
        return {"symbols": [_symbol(s) for s in decoding.decode_image(data)]}
