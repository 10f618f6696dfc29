"""What master data may hold, whichever way it comes in: the API's schemas (server/api) and the CSV imports
(server/services/imports.py) both read their rules here, so a value one of them takes the other takes too."""
from __future__ import annotations

import re
from decimal import Decimal

# A business key: a product's SKU, a location's, a supplier's or a customer's code.
KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$"
KEY_RULE_EN = "1-64 letters without accents (A-Z), digits, '.', '_' or '-', starting with a letter or digit."
KEY_RULE_FR = ("1 à 64 lettres sans accents (A-Z), chiffres, « . », « _ » ou « - », commençant par une lettre ou un "
               "chiffre.")

# No name or unit may hold a C0 control character or DEL: invisible on a screen, a label or in a spreadsheet (a tab
# or a line end pasted into a name, never typed on purpose), and PostgreSQL refuses a NUL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
PLAIN_TEXT_RULE_EN = "No invisible control character (a tab, a line break…): retype it."

# Suppliers and customers (partners).
NAME_MAX = 200
EMAIL_MAX = 200
LEAD_TIME_DAYS = (0, 365)            # a supplier's declared lead time, both ends included
DEFAULT_LEAD_TIME_DAYS = 7.0
REVIEW_PERIOD_DAYS = (1, 365)        # ordered from every R days, a whole number
ORDERING_COST = (Decimal("0.01"), Decimal(1_000_000))
ORDERING_COST_PLACES = 4             # the column keeps four decimals (Money)

# Products.
UNIT_MAX = 16
UNIT_COST = (Decimal(0), Decimal(10_000_000))
UNIT_COST_PLACES = 4
MOQ = (Decimal(0), Decimal(1_000_000))
PACK = (Decimal("0.001"), Decimal(1_000_000))    # a pack multiple, or the quantity a barcode stands for
