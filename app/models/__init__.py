"""All tables, imported here so Alembic and create_all see them."""

from .anchor import ChainAck, IntegrityAlert  # noqa: F401
from .archive import Archive  # noqa: F401
from .base import Base, new_uuid, utcnow  # noqa: F401
from .card import CardTransaction  # noqa: F401
from .cash import CashCount, CashCountLine, CashMovement, SafeBalance, SafeMovement  # noqa: F401
from .cashier_session import CashierSession, CashierSessionLine  # noqa: F401
from .catalog import Barcode, Category, Denomination, PaymentMethod, Product, VatRate  # noqa: F401
from .credit import CreditNote  # noqa: F401
from .day import ClosingLine, OpeningLine, RegisterDay, SellerSession, Sequence  # noqa: F401
from .journal import JournalEntry  # noqa: F401
from .people import LoginFailure, Staff, StaffRight  # noqa: F401
from .printing import DeviceStatus, PrintJob, VirtualPrint  # noqa: F401
from .schedule import ScheduledTask  # noqa: F401
from .shop import Box, Register, Shop  # noqa: F401
from .signed import ChainStart, SignedRecord, SigningKey  # noqa: F401
from .sync import ExportBatch, KnownRegister, SyncRun  # noqa: F401
from .ticket import Payment, Ticket, TicketLine, TicketTax  # noqa: F401
from .titres import TitreServiceIssuer, TitreServiceUsed  # noqa: F401
