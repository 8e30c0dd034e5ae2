"""Every head-office table; importing this module registers them all on the metadata."""

from headoffice.models.base import Base, UtcDateTime
from headoffice.models.catalog import Barcode, Category, Product, VatRate
from headoffice.models.contact import RegisterContact
from headoffice.models.counter import Counter
from headoffice.models.credit import CreditNote
from headoffice.models.export import ReceivedBatch, ReceivedDay
from headoffice.models.figures import FIGURES, DayFigures
from headoffice.models.integrity import ChainRecord, IntegrityEvent, RegisterKey
from headoffice.models.payment import Denomination, PaymentMethod
from headoffice.models.people import AuditEntry, HeadofficeUser
from headoffice.models.safe import SafeBalance
from headoffice.models.shop import Register, Shop
from headoffice.models.snapshot_version import SnapshotVersion
from headoffice.models.staff import Staff, StaffRight
from headoffice.models.titres import TitreServiceIssuer, TitreServiceUse
from headoffice.models.token import TOKEN_KINDS, ApiToken

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Barcode",
    "Base",
    "Category",
    "ChainRecord",
    "Counter",
    "DayFigures",
    "CreditNote",
    "Denomination",
    "FIGURES",
    "HeadofficeUser",
    "IntegrityEvent",
    "PaymentMethod",
    "Product",
    "ReceivedBatch",
    "ReceivedDay",
    "SafeBalance",
    "Register",
    "RegisterContact",
    "RegisterKey",
    "Shop",
    "SnapshotVersion",
    "Staff",
    "StaffRight",
    "TitreServiceIssuer",
    "TitreServiceUse",
    "TOKEN_KINDS",
    "UtcDateTime",
    "VatRate",
]
