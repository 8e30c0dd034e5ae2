"""Reading a catalogue file an ERP sends (CSV or JSON) into rows, before any check.

A row keeps its place in the file (the CSV line, the JSON item from 1) so every refusal names
it, and which fields it gave: a field left out keeps the product's current value, so an ERP
may send prices alone. Whole-file problems (not UTF-8, no header, not JSON, too many rows)
raise CatalogFileError: nothing is read further and nothing changes.
"""

import csv
import io
import json
from dataclasses import dataclass

FIELDS = ("code", "name", "category_code", "vat_code", "price_cents", "price", "unit", "active", "barcodes")
REQUIRED_COLUMNS = ("code",)
MAX_ROWS = 200_000


class CatalogFileError(ValueError):
    """The file as a whole cannot be read: `code` for programs, a sentence in each language."""

    def __init__(self, code: str, message: str, message_fr: str):
        super().__init__(message)
        self.code = code
        self.message = message
        self.message_fr = message_fr


@dataclass
class RawRow:
    row: int  # CSV: the line in the file (the header is line 1); JSON: the item, from 1
    values: dict  # field → value as given (text from CSV, JSON types from JSON)


def read_catalog(data: bytes, kind: str) -> list[RawRow]:
    """kind: "csv" or "json"."""
    text = _utf8(data)
    rows = _csv_rows(text) if kind == "csv" else _json_rows(text)
    if not rows:
        raise CatalogFileError(
            "empty_file", "The file holds no product.", "Le fichier ne contient aucun produit."
        )
    if len(rows) > MAX_ROWS:
        raise CatalogFileError(
            "too_many_rows",
            f"The file holds {len(rows)} products; at most {MAX_ROWS} at a time.",
            f"Le fichier contient {len(rows)} produits ; {MAX_ROWS} au plus par envoi.",
        )
    return rows


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8").removeprefix("\ufeff")  # a BOM, as spreadsheets write it
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        raise CatalogFileError(
            "invalid_encoding",
            f"The file is not UTF-8: line {line} holds the byte 0x{byte:02x}, which UTF-8 does not allow"
            " (a file saved as Latin-1 or Windows-1252?). Save it as UTF-8 (“CSV UTF-8”) and send it"
            " again; nothing was changed.",
            f"Le fichier n’est pas en UTF-8 : la ligne {line} contient l’octet 0x{byte:02x}, impossible"
            " en UTF-8 (fichier enregistré en Latin-1 ou Windows-1252 ?). Enregistrez-le en UTF-8"
            " (« CSV UTF-8 ») et envoyez-le de nouveau ; rien n’a été modifié.",
        ) from None


def _csv_rows(text: str) -> list[RawRow]:
    first_line = text.split("\n", 1)[0]
    # French spreadsheets write ';' (the comma is the decimal separator); tabs and commas too.
    delimiter = ";" if ";" in first_line else "\t" if "\t" in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        _check_header(header)
        rows = []
        for values in reader:
            if not "".join(values).strip():
                continue  # blank lines, often at the end
            rows.append(_csv_row(reader.line_num, header, values))
    except csv.Error as error:
        raise CatalogFileError(
            "invalid_csv",
            f"The CSV cannot be read at line {reader.line_num}: {error}.",
            f"Le CSV est illisible à la ligne {reader.line_num} : {error}.",
        ) from None
    return rows


def _check_header(header: list[str]) -> None:
    unknown = [name for name in header if name not in FIELDS]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    doubled = sorted({name for name in header if header.count(name) > 1})
    if unknown or missing or doubled or ("price" in header and "price_cents" in header):
        raise CatalogFileError(
            "invalid_header",
            f"The first line names the columns: code (required), then any of {', '.join(FIELDS[1:])};"
            f" price in euros (2,50) or price_cents, not both. Found: {', '.join(header) or 'nothing'}.",
            f"La première ligne nomme les colonnes : code (obligatoire), puis {', '.join(FIELDS[1:])} au"
            f" choix ; price en euros (2,50) ou price_cents, pas les deux. Trouvé : {', '.join(header) or 'rien'}.",
        )


def _csv_row(line: int, header: list[str], values: list[str]) -> RawRow:
    if len(values) != len(header):
        # Kept as a row so the report names it with the others; the checks refuse it.
        return RawRow(line, {"_columns": (len(values), len(header))})
    return RawRow(line, dict(zip(header, [value.strip() for value in values])))


def _json_rows(text: str) -> list[RawRow]:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise CatalogFileError(
            "invalid_json", f"The file is not JSON: {error}.", f"Le fichier n’est pas du JSON : {error}."
        ) from None
    items = data.get("products") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise CatalogFileError(
            "invalid_json",
            'The JSON must be a list of products, or {"products": [...]}.',
            'Le JSON doit être une liste de produits, ou {"products": [...]}.',
        )
    rows = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            rows.append(RawRow(number, {"_not_object": True}))
            continue
        rows.append(RawRow(number, {key: value for key, value in item.items()}))
    return rows
