"""The catalogue version: raised by every change to what the boxes import, so that a box's
next import carries the change and an unchanged snapshot is answered 304 without being built.

A snapshot has two parts (headoffice/snapshot.py). The small one (shop, register, staff, VAT
rates, payment methods, categories, denominations, credit notes, titres-service, chains) is
read and hashed on every request, so it needs nothing from here. The large one, products and
barcodes (100 000 rows in a big shop), is not read to answer a 304: its state is this number
instead. So **whoever writes products or barcodes calls bump_catalog_version in the same
transaction** (the CLI, the bulk import, head office's screens); calling it for any other
change of the catalogue is harmless (a box's next import costs head office one rebuild, never
a download: the version hashes the content).
"""

from sqlalchemy.orm import Session

from headoffice.counters import CATALOG, current_value, next_value


def bump_catalog_version(session: Session, shop_id: int | None = None) -> int:
    """Raise the catalogue version in the caller's transaction; it counts once that commits.
    One counter for every shop (`shop_id`, which the screens name, changes nothing): another
    shop's boxes then pay one rebuild at their next import, never a download.

    The counter's row stays locked until then (headoffice/counters.py): catalogue writers
    take turns, which is what a bulk import wants anyway."""
    return next_value(session, CATALOG)


def catalog_version(session: Session, shop_id: int | None = None) -> int:
    return current_value(session, CATALOG)
