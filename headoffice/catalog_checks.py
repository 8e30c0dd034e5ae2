"""Checking one catalogue row (headoffice/catalog_file.py) against the shop's VAT rates and
categories: each problem is a Refusal naming the field, in English and in French."""

import re
from dataclasses import dataclass

from headoffice.admin import CODE_PATTERN
from headoffice.gtin import is_scale_prefix, is_valid_gtin
from headoffice.money import parse_euros

MAX_PRICE_CENTS = 10**11 - 1  # a billion euros: far above any shelf price, far below the column
MAX_NAME = 200
TRUE_WORDS = {"1", "true", "yes", "oui", "vrai"}
FALSE_WORDS = {"0", "false", "no", "non", "faux"}
BARCODE_SEPARATORS = re.compile(r"[\s|,]+")
PLAIN_EUROS = re.compile(r"([0-9]{1,9})(?:[.,]([0-9]{1,2}))?")


@dataclass(frozen=True)
class Refusal:
    field: str
    reason: str
    message: str
    message_fr: str


@dataclass
class Checked:
    """A row's fields, as the product table holds them; only those the row gave."""

    code: str
    fields: dict  # name, category_id, vat_rate_id, price_cents, unit, active
    barcodes: list[str] | None  # None: not given, the product keeps its barcodes


def check_row(values: dict, categories: dict[str, int], vat_rates: dict[str, int], from_csv: bool):
    """(Checked or None, [Refusal])."""
    if "_columns" in values:
        got, expected = values["_columns"]
        return None, [
            Refusal(
                "",
                "wrong_column_count",
                f"{got} values where the header names {expected} columns.",
                f"{got} valeurs alors que l’en-tête nomme {expected} colonnes.",
            )
        ]
    if "_not_object" in values:
        return None, [Refusal("", "not_an_object", "Not a JSON object.", "Pas un objet JSON.")]
    refusals = []
    # A CSV's columns were checked once, with its header.
    unknown = [] if from_csv else sorted(key for key in values if key not in FIELD_READERS and key != "code")
    if unknown:
        refusals.append(
            Refusal(
                unknown[0],
                "unknown_field",
                f"Unknown field(s): {', '.join(unknown)}.",
                f"Champ(s) inconnu(s) : {', '.join(unknown)}.",
            )
        )
    code = values.get("code")
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        refusals.append(
            Refusal(
                "code",
                "bad_code",
                f"Product code {code!r} must be 1 to 32 letters, digits, '.', '_' or '-'.",
                f"Le code produit {code!r} doit faire 1 à 32 lettres, chiffres, « . », « _ » ou « - ».",
            )
        )
    fields, barcodes = {}, None
    for name, value in values.items():
        if name not in FIELD_READERS or (from_csv and value == "" and name != "barcodes"):
            continue  # an empty cell keeps the product's value
        try:
            if name == "barcodes":
                barcodes = _barcodes(value)
            else:
                column, read = FIELD_READERS[name](value, categories, vat_rates)
                fields[column] = read
        except RowProblem as problem:
            refusals.append(problem.refusal)
    if refusals:
        return None, refusals
    return Checked(code, fields, barcodes), []


class RowProblem(Exception):
    def __init__(self, field, reason, message, message_fr):
        super().__init__(message)
        self.refusal = Refusal(field, reason, message, message_fr)


def _name(value, _categories, _vat):
    if not isinstance(value, str) or not value.strip():
        raise RowProblem("name", "missing_name", "The name is empty.", "Le nom est vide.")
    if len(value.strip()) > MAX_NAME:
        raise RowProblem(
            "name",
            "name_too_long",
            f"The name is longer than {MAX_NAME} characters.",
            f"Le nom dépasse {MAX_NAME} caractères.",
        )
    return "name", value.strip()


def _category(value, categories, _vat):
    if value not in categories:
        raise RowProblem(
            "category_code",
            "unknown_category",
            f"Unknown category {value!r} in this shop.",
            f"Catégorie {value!r} inconnue dans cette boutique.",
        )
    return "category_id", categories[value]


def _vat(value, _categories, vat_rates):
    if value not in vat_rates:
        raise RowProblem(
            "vat_code",
            "unknown_vat",
            f"Unknown VAT rate {value!r} in this shop.",
            f"Taux de TVA {value!r} inconnu dans cette boutique.",
        )
    return "vat_rate_id", vat_rates[value]


def _negative(field, value):
    return RowProblem(
        field,
        "negative_price",
        f"The price must not be negative: {value!r}.",
        f"Le prix ne peut pas être négatif : {value!r}.",
    )


def _price(value, _categories, _vat):
    """Euros as typed (2,50 / 2.50 / 1 000,00)."""
    text = str(value).strip()
    plain = PLAIN_EUROS.fullmatch(text)
    if plain:  # the usual "12,50": read here, 100 000 times in an import
        euros, cents = plain.groups()
        return "price_cents", _bounded(int(euros) * 100 + int((cents or "0").ljust(2, "0")), "price", value)
    if text.startswith("-"):
        raise _negative("price", value)
    try:
        cents = parse_euros(text)
    except ValueError:
        raise RowProblem(
            "price",
            "bad_price",
            f"Not a price in euros (at most two decimals, such as 2,50): {value!r}.",
            f"Pas un prix en euros (deux décimales au plus, comme 2,50) : {value!r}.",
        ) from None
    return "price_cents", _bounded(cents, "price", value)


def _price_cents(value, _categories, _vat):
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,15}", value.strip()):
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise RowProblem(
            "price_cents",
            "bad_price",
            f"price_cents must be a whole number of cents: {value!r}.",
            f"price_cents doit être un nombre entier de centimes : {value!r}.",
        )
    if value < 0:
        raise _negative("price_cents", value)
    return "price_cents", _bounded(value, "price_cents", value)


def _bounded(cents: int, field: str, value) -> int:
    if cents > MAX_PRICE_CENTS:
        raise RowProblem(
            field, "bad_price", f"The price is too large: {value!r}.", f"Le prix est trop élevé : {value!r}."
        )
    return cents


def _unit(value, _categories, _vat):
    if value not in ("unit", "kg"):
        raise RowProblem(
            "unit",
            "bad_unit",
            f"unit must be 'unit' or 'kg', not {value!r}.",
            f"unit doit valoir « unit » ou « kg », pas {value!r}.",
        )
    return "unit", value


def _active(value, _categories, _vat):
    if isinstance(value, bool):
        return "active", value
    word = str(value).strip().lower()
    if word in TRUE_WORDS | FALSE_WORDS and not isinstance(value, int):
        return "active", word in TRUE_WORDS
    raise RowProblem(
        "active",
        "bad_active",
        f"active must be true or false (1/0, oui/non), not {value!r}.",
        f"active doit valoir vrai ou faux (1/0, oui/non), pas {value!r}.",
    )


def _barcodes(value) -> list[str]:
    if isinstance(value, str):
        codes = (
            [value] if value.isdigit() else [code for code in BARCODE_SEPARATORS.split(value.strip()) if code]
        )
    elif isinstance(value, list) and all(isinstance(code, str) for code in value):
        codes = [code.strip() for code in value]
    else:
        raise RowProblem(
            "barcodes",
            "bad_barcode",
            "barcodes must be a list of codes.",
            "barcodes doit être une liste de codes.",
        )
    for code in codes:
        if not (is_valid_gtin(code) or is_scale_prefix(code)):
            raise RowProblem(
                "barcodes",
                "bad_barcode",
                f"Barcode {code!r} is not a valid EAN/GTIN (8, 12, 13 or 14 digits with a correct check"
                " digit) nor a scale label prefix (7 digits starting with 2).",
                f"Le code-barres {code!r} n’est ni un EAN/GTIN valide (8, 12, 13 ou 14 chiffres avec la"
                " bonne clé) ni un préfixe d’étiquette de balance (7 chiffres commençant par 2).",
            )
    if len(set(codes)) != len(codes):
        raise RowProblem(
            "barcodes",
            "duplicate_barcode",
            "The same barcode is given twice for this product.",
            "Le même code-barres est donné deux fois pour ce produit.",
        )
    return codes


FIELD_READERS = {
    "name": _name,
    "category_code": _category,
    "vat_code": _vat,
    "price": _price,
    "price_cents": _price_cents,
    "unit": _unit,
    "active": _active,
    "barcodes": None,  # read by _barcodes: it is a list, not a column
}
