"""All tables, imported here so Alembic and create_all see them."""
from .base import Base, utcnow, new_uuid  # noqa: F401
from .shop import Shop, Register, Box  # noqa: F401
from .people import Staff, StaffRight, LoginFailure  # noqa: F401
from .catalog import VatRate, PaymentMethod, Category, Product, Barcode, Denomination  # noqa: F401
from .day import RegisterDay, ClosingLine, SellerSession, Sequence  # noqa: F401
from .ticket import Ticket, TicketLine, Payment, TicketTax  # noqa: F401
from .cash import CashMovement, CashCount, CashCountLine, SafeMovement  # noqa: F401
from .sync import ExportBatch, KnownRegister, SyncRun  # noqa: F401
from .journal import JournalEntry  # noqa: F401
from .printing import DeviceStatus, PrintJob, VirtualPrint  # noqa: F401
from .credit import CreditNote  # noqa: F401
from .signed import SignedRecord, ChainStart, SigningKey  # noqa: F401
from .archive import Archive  # noqa: F401
from .anchor import ChainAck, IntegrityAlert  # noqa: F401
