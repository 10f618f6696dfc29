"""Rules every stock movement obeys, whatever use case records it."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from .errors import Invalid

# A single movement of more than this is a typo or an attack, not a delivery.
MAX_QTY = Decimal(1_000_000)
QTY_STEP = Decimal("0.001")


def fmt_qty(qty: Decimal) -> str:
    """12.500 → '12.5', 10.000 → '10' (never '1E+1')."""
    return format(Decimal(qty).normalize(), "f")


def fr_qty(qty: Decimal) -> str:
    """The same as French writes it: '12,5'."""
    return fmt_qty(qty).replace(".", ",")


def check_number(qty: Decimal, *, field: str = "qty") -> Decimal:
    """A finite number no larger than MAX_QTY either way: safe for the arithmetic that follows (sNaN or
    1e999999999 would raise in it)."""
    if not qty.is_finite():
        raise Invalid("invalid_quantity", "The quantity is not a number.", "La quantité n'est pas un nombre.", field=field)
    if qty.copy_abs() > MAX_QTY:  # (abs() would round, and overflow, an exponent beyond the context)
        raise Invalid("absurd_quantity", f"A quantity above {MAX_QTY:,} is refused.",
                      f"Une quantité supérieure à {MAX_QTY:,} est refusée.".replace(",", "\u202f"), field=field)
    return qty


# Units counted in whole items (``products.unit`` is free text, 'pce' by default): a fraction of one is never
# right. Other units (kg, l, m, …) are measured and may take decimals.
COUNTED_UNITS = frozenset({"pce", "pc", "pcs", "piece", "pieces", "pièce", "pièces", "u", "un", "unit", "units",
                           "unité", "unités", "ea", "each", "c62", "h87", "box", "boîte", "carton", "pack", "pair",
                           "paire", "set", "jeu", "jeux", "kit", "kits", "lot", "lots", "sachet", "boite", "bidon",
                           "flacon", "rouleau", "palette", "pal", "colis"})


def check_quantity(qty: Decimal, *, field: str = "qty", allow_negative: bool = False, of=None) -> Decimal:
    """A quantity a movement or an order line may carry; ``of`` a product (its sku and unit), whole if the product
    is counted in pieces."""
    check_number(qty, field=field)
    if qty == 0 or (qty < 0 and not allow_negative):
        raise Invalid("quantity_not_positive", "The quantity must be greater than zero.",
                      "La quantité doit être supérieure à zéro.", field=field)
    if qty != qty.quantize(QTY_STEP):
        raise Invalid("quantity_precision", "Quantities have at most three decimals.",
                      "Les quantités ont au plus trois décimales.", field=field)
    if of is not None and qty != qty.to_integral_value() and of.unit.strip().lower() in COUNTED_UNITS:
        raise Invalid("whole_units_required", f"{of.sku} is counted in whole pieces ({of.unit}): {fmt_qty(qty)} is "
                      "not a whole number.", f"{of.sku} se compte en pièces entières ({of.unit}) : "
                      f"{fr_qty(qty)} n'est pas un nombre entier.", field=field,
                      details={"sku": of.sku, "unit": of.unit, "qty": fmt_qty(qty)})
    return qty


def check_occurred_at(occurred_at: datetime, now: datetime, skew_seconds: int) -> datetime:
    """The device's clock is trusted for the past (offline queues replay late) but not for the future."""
    if occurred_at.tzinfo is None:
        raise Invalid("time_without_zone", "The time must include its time zone (e.g. 2026-03-01T08:00:00Z).",
                      "L'heure doit préciser son fuseau (ex. 2026-03-01T08:00:00Z).", field="occurred_at")
    if occurred_at > now + timedelta(seconds=skew_seconds):
        raise Invalid("future_time", "This time is in the future: check the device's clock.",
                      "Cette heure est dans le futur : vérifiez l'horloge de l'appareil.", field="occurred_at",
                      details={"server_time": now.isoformat()})
    return occurred_at


def level_deltas(qty: Decimal, from_location_id: int | None, to_location_id: int | None) -> list[tuple[int, Decimal]]:
    """How a movement changes on-hand: it leaves one side and arrives on the other (either may be outside)."""
    if from_location_id is None and to_location_id is None:
        raise Invalid("no_location", "A movement needs a source or a destination.",
                      "Un mouvement a besoin d'une origine ou d'une destination.", field="location")
    if from_location_id == to_location_id:
        raise Invalid("same_location", "Source and destination are the same.",
                      "L'origine et la destination sont identiques.", field="to_location")
    deltas = []
    if from_location_id is not None:
        deltas.append((from_location_id, -qty))
    if to_location_id is not None:
        deltas.append((to_location_id, qty))
    return deltas
