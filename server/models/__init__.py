"""SQLAlchemy models: columns, keys, constraints and indexes; behaviour lives in services."""
from .audit import AuditEntry
from .base import Base
from .catalog import Barcode, Product
from .ledger import Movement, MovementKind, StockLevel
from .orders import (PO_EVENTS, SO_EVENTS, PurchaseOrder, PurchaseOrderEvent, PurchaseOrderLine,
                     SalesOrder, SalesOrderEvent, SalesOrderLine)
from .partners import Customer, Supplier
from .places import LOCATION_KINDS, Location
from .scans import ScanEvent
from .users import ROLES, ApiToken, User

__all__ = [
    "AuditEntry", "Base", "Barcode", "Product", "Movement", "MovementKind", "StockLevel", "PO_EVENTS", "SO_EVENTS",
    "PurchaseOrder", "PurchaseOrderEvent", "PurchaseOrderLine", "SalesOrder", "SalesOrderEvent",
    "SalesOrderLine", "Customer", "Supplier", "LOCATION_KINDS", "Location", "ScanEvent", "ROLES",
    "ApiToken", "User",
]
