"""ABC on consumption value, push or pull per reference, default fill-rate targets (DESIGN §5)."""
from __future__ import annotations

import numpy as np

from .errors import Invalid

ABC_CUTS = (0.80, 0.95)                    # cumulative share of consumption value: A ≤ 80 %, B ≤ 95 %, C rest
VARIABILITY_CLASSES = ("smooth", "erratic", "intermittent", "lumpy")
# Default fill-rate targets. Critical references get a higher one whatever their class.
FILL_RATE_TARGETS = {"A": 0.98, "B": 0.95, "C": 0.90}
CRITICAL_FILL_RATE = 0.995


def abc_classes(consumption_value, cuts=ABC_CUTS) -> np.ndarray:
    """'A' / 'B' / 'C' per item from its consumption value (annual quantity × unit cost).

    Items sorted by value, largest first; an item is A while the cumulative share *before* it is below
    80 % (so the item that crosses 80 % is still A), B below 95 %, C after. Items with no value are C.
    Ties keep their input order.
    """
    v = np.asarray(consumption_value, dtype=float)
    if np.any(~np.isfinite(v)) or np.any(v < 0):
        raise Invalid("consumption_value_invalid", "Consumption values must be finite and not negative.",
                      "Les valeurs de consommation doivent être finies et non négatives.", field="consumption_value")
    out = np.full(v.shape, "C", dtype="<U1")
    total = v.sum()
    if total <= 0:
        return out
    order = np.argsort(-v, kind="stable")
    before = (np.cumsum(v[order]) - v[order]) / total
    ranked = np.where(before < cuts[0], "A", np.where(before < cuts[1], "B", "C"))
    out[order] = np.where(v[order] > 0, ranked, "C")
    return out


PUSH, PULL = "push", "pull"
# Reason code → (mode, English, French). The class rule reads: frequent demand is forecastable and worth
# stocking; rare demand is stocked only when enough value flows through it (A/B); lumpy demand (rare AND
# irregular sizes) would leave stock idle between big orders, so it is bought on order.
REASONS = {
    "critical": (PUSH, "Critical reference: kept in stock whatever its demand pattern.",
                 "Référence critique : tenue en stock quel que soit son profil de demande."),
    "frequent": (PUSH, "Frequent demand ({variability}, class {abc}): forecastable, kept in stock.",
                 "Demande fréquente ({variability}, classe {abc}) : prévisible, tenue en stock."),
    "rare_valuable": (PUSH, "Infrequent demand but class {abc} consumption value: kept in stock to serve it.",
                      "Demande peu fréquente mais valeur consommée de classe {abc} : tenue en stock."),
    "rare_cheap": (PULL, "Infrequent demand and class C consumption value: bought on customer order, "
                         "promised with the measured lead time.",
                   "Demande peu fréquente et valeur consommée de classe C : achetée à la commande client, "
                   "promise avec le délai mesuré."),
    "lumpy": (PULL, "Rare demand of irregular size (lumpy, class {abc}): stock would sit idle between big "
                    "orders; bought on customer order, promised with the measured lead time.",
              "Demande rare et de taille irrégulière (sporadique, classe {abc}) : un stock dormirait entre "
              "deux grosses commandes ; achetée à la commande client, promise avec le délai mesuré."),
}
_VARIABILITY_FR = {"smooth": "régulière", "erratic": "erratique", "intermittent": "intermittente",
                   "lumpy": "sporadique"}


def check_classes(abc: str, variability: str) -> None:
    if abc not in ("A", "B", "C"):
        raise Invalid("abc_class_invalid", "The ABC class must be A, B or C.",
                      "La classe ABC doit être A, B ou C.", field="abc_class")
    if variability not in VARIABILITY_CLASSES:
        raise Invalid("variability_class_invalid", "The variability class must be smooth, erratic, "
                      "intermittent or lumpy.", "La classe de variabilité doit être smooth, erratic, "
                      "intermittent ou lumpy.", field="variability_class")


def push_pull_reason(abc: str, variability: str, critical: bool = False) -> str:
    """Reason code of the push/pull rule (a key of ``REASONS``)."""
    check_classes(abc, variability)
    if critical:
        return "critical"
    if variability in ("smooth", "erratic"):
        return "frequent"
    if variability == "lumpy":
        return "lumpy"
    return "rare_valuable" if abc in ("A", "B") else "rare_cheap"


def push_pull(abc: str, variability: str, critical: bool = False) -> tuple[str, str, str]:
    """(mode, reason in English, reason in French)."""
    mode, en, fr = REASONS[push_pull_reason(abc, variability, critical)]
    return (mode, en.format(abc=abc, variability=variability),
            fr.format(abc=abc, variability=_VARIABILITY_FR[variability]))


def push_pull_modes(abc, variability, critical=False) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised rule: arrays of modes and reason codes (texts via ``REASONS``)."""
    abc, variability, critical = np.broadcast_arrays(np.asarray(abc), np.asarray(variability),
                                                     np.asarray(critical, dtype=bool))
    codes = np.array([push_pull_reason(str(a), str(v), bool(c))
                      for a, v, c in zip(abc.ravel(), variability.ravel(), critical.ravel())],
                     dtype="<U16").reshape(abc.shape)
    modes = np.where(np.isin(codes, ("rare_cheap", "lumpy")), PULL, PUSH)
    return modes, codes


def default_fill_rate(abc: str, critical: bool = False) -> float:
    return CRITICAL_FILL_RATE if critical else FILL_RATE_TARGETS[abc]
