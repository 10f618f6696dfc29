"""Short English and French labels for the GS1 AIs a small warehouse meets every day.

Other AIs keep biip's English description in both languages: rare enough not to need a translation.
Families whose last digit is the decimal point position (310n...) are keyed with a trailing "n".
"""
from __future__ import annotations

from biip.gs1_application_identifiers import GS1ApplicationIdentifier

_COMMON = {
    "00": ("SSCC (logistic unit)", "SSCC (unité logistique)"),
    "01": ("GTIN", "GTIN (article)"),
    "02": ("GTIN of contained items", "GTIN des articles contenus"),
    "10": ("Batch/lot", "Lot"),
    "11": ("Production date", "Date de fabrication"),
    "12": ("Due date", "Date d'échéance"),
    "13": ("Packaging date", "Date d'emballage"),
    "15": ("Best before", "À consommer de préférence avant"),
    "16": ("Sell by", "Date limite de vente"),
    "17": ("Expiry date", "Date de péremption"),
    "20": ("Variant", "Variante"),
    "21": ("Serial number", "Numéro de série"),
    "30": ("Variable count", "Quantité variable"),
    "37": ("Count of contained items", "Nombre d'articles contenus"),
    "310n": ("Net weight (kg)", "Poids net (kg)"),
    "330n": ("Gross weight (kg)", "Poids brut (kg)"),
    "400": ("Customer's order number", "N° de commande client"),
    "410": ("Ship to (GLN)", "Livrer à (GLN)"),
    "414": ("Location (GLN)", "Emplacement (GLN)"),
    "422": ("Country of origin", "Pays d'origine"),
    **{f"9{d}": ("Company internal information", "Information interne") for d in "123456789"},
}


def labels_for(ai: GS1ApplicationIdentifier) -> tuple[str, str]:
    """(English, French) label of an AI."""
    family = f"{ai.ai[:3]}n" if len(ai.ai) == 4 else ai.ai
    return _COMMON.get(ai.ai) or _COMMON.get(family) or (ai.description, ai.description)
