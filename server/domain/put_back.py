"""Where the goods picked for a sales order go when the customer cancels it: back from dispatch to stock.

Each part goes back to the bin it was picked from, or, when the supervisor names a place, all of it there. A part
whose bin can no longer take it (not a bin any more, or no longer in use) needs a place named: it is refused rather
than guessed.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .errors import Conflict


@dataclass(frozen=True)
class Picked:
    """What of one line sits in dispatch: ``qty`` of one lot, taken from one place into one dispatch area."""
    line_id: int
    product_id: int
    sku: str
    lot: str
    source_id: int | None      # the bin it was picked from; None when that bin cannot take it back
    dispatch_id: int
    qty: Decimal


@dataclass(frozen=True)
class PutBack:
    line_id: int
    product_id: int
    lot: str
    from_id: int               # the dispatch area
    to_id: int                 # the bin
    qty: Decimal


def put_backs(picked: list[Picked], named_id: int | None = None) -> list[PutBack]:
    """One movement per part with something in dispatch, to ``named_id`` if given, else to the part's own bin."""
    parts = [p for p in picked if p.qty > 0]
    homeless = sorted({p.sku for p in parts if p.source_id is None})
    if named_id is None and homeless:
        items = ", ".join(homeless)
        raise Conflict("put_back_location_required",
                       f"Picked from a bin no longer in use: {items}. Name the bin to put the goods back in.",
                       f"Prélevé dans un emplacement qui n'est plus utilisé : {items}. Indiquez l'emplacement où "
                       "remettre les articles.", field="put_back_to", details={"skus": homeless})
    return [PutBack(p.line_id, p.product_id, p.lot, p.dispatch_id, named_id if named_id is not None else p.source_id,
                    p.qty) for p in parts]
