"""Checking a register snapshot against the contract before anything local is touched.

Hand-written rather than a JSON-schema engine: it runs on every import of up to 100,000
products on a Raspberry Pi, and its messages must name the problem for a technician."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l

import nf525
from app.services.errors import HeadOfficeProblem
from app.services.parsing import is_digits
from app.services.scheduled import parse_hour
from app.services.selling.titres import mask_problem
from app.states import Right

_STR, _INT, _BOOL = str, int, bool
_INT_RANGE = range(-(2**63), 2**63)  # SQLite's integers: a JSON number has no size


def _fail(message, **params):
    raise HeadOfficeProblem(
        _l("Données du serveur principal refusées : %(problem)s"),
        problem=str(message) % params if params else str(message),
    )


def _require(obj, where, fields):
    if not isinstance(obj, dict):
        _fail(_l("%(where)s n'est pas un objet"), where=where)
    for name, kind in fields:
        value = obj.get(name)
        if value is None:
            _fail(_l("champ « %(field)s » manquant dans %(where)s"), field=name, where=where)
        # bool is an int in Python: do not accept true as an amount.
        if not isinstance(value, kind) or (
            kind is _INT and (isinstance(value, bool) or value not in _INT_RANGE)
        ):
            _fail(_l("champ « %(field)s » de %(where)s a un mauvais type"), field=name, where=where)


def _list(data, name):
    value = data.get(name)
    if not isinstance(value, list):
        _fail(_l("liste « %(field)s » manquante"), field=name)
    return value


def validate_snapshot(data, register_code: str) -> None:
    """The whole snapshot is checked before anything is written; the first fault found is
    the message (in the order below, which is the order head office writes)."""
    _shop_and_register(data, register_code)
    vat_codes, category_codes = _references(data)
    product_codes = _products(data, vat_codes, category_codes)
    _barcodes(data, product_codes)
    _denominations(data)
    _credit_notes(data)
    _titres_service(data)
    _safe(data)
    _integrity(data)


def _shop_and_register(data, register_code: str) -> None:
    """The snapshot is the one asked for: this register, with its settings."""
    _require(data, "snapshot", [("version", _STR), ("shop", dict), ("register", dict)])
    _require(data["shop"], "shop", [("code", _STR), ("name", _STR), ("timezone", _STR)])
    if not isinstance(data["shop"].get("cashier_sessions", False), bool):  # contract 1.5.0, optional
        _fail(_l("réglage « %(field)s » illisible (vrai ou faux attendu)"), field="shop.cashier_sessions")
    register = data["register"]
    _require(register, "register", [("code", _STR), ("name", _STR), ("settings", dict)])
    if register["code"] != register_code:
        _fail(
            _l("instantané de la caisse %(got)s au lieu de %(want)s"),
            got=register["code"],
            want=register_code,
        )
    _require(
        register["settings"],
        "register.settings",
        [("max_float_cents", _INT), ("counting_mandatory", _BOOL), ("blind_count", _BOOL)],
    )
    if register["settings"]["max_float_cents"] < 0:
        _fail(_l("fonds de caisse maximum négatif"))
    for name in ("auto_close_time", "planned_import_time"):  # contract 1.4.0, optional
        try:
            parse_hour(register["settings"].get(name))
        except ValueError:
            _fail(_l("heure %(name)s illisible (HH:MM attendu)"), name=name)


def _references(data) -> tuple[set, set]:
    """VAT rates, categories, payment methods and people; returns the VAT and category
    codes the products refer to."""
    vat_codes = _codes(
        _list(data, "vat_rates"), "vat_rates", [("code", _STR), ("rate_bp", _INT), ("label", _STR)]
    )
    for rate in data["vat_rates"]:
        if not 0 <= rate["rate_bp"] <= 10000:
            _fail(_l("taux de TVA %(code)s impossible"), code=rate["code"])
    category_codes = _codes(_list(data, "categories"), "categories", [("code", _STR), ("name", _STR)])
    _codes(
        _list(data, "payment_methods"),
        "payment_methods",
        [
            ("code", _STR),
            ("name", _STR),
            ("gives_change", _BOOL),
            ("counted_in_drawer", _BOOL),
            ("goes_to_safe", _BOOL),
            ("counted_as_items", _BOOL),
        ],
    )
    for flag in ("store_credit",):  # optional flags, false when absent
        if any(not isinstance(m.get(flag, False), bool) for m in data["payment_methods"]):
            _fail(
                _l("champ « %(field)s » de %(where)s a un mauvais type"),
                field=flag,
                where="payment_methods",
            )
    for person in _list(data, "staff"):
        _require(person, "staff", [("code", _STR), ("name", _STR), ("password_hash", _STR), ("rights", list)])
        unknown = set(person["rights"]) - set(Right)
        if unknown:
            _fail(_l("droit inconnu %(right)s pour %(code)s"), right=sorted(unknown)[0], code=person["code"])
    _codes(data["staff"], "staff", [])
    return vat_codes, category_codes


def _products(data, vat_codes, category_codes) -> set:
    """Every product once, with a price, a known VAT rate, category and unit; returns their codes."""
    product_codes = set()
    product_fields = [
        ("code", _STR),
        ("name", _STR),
        ("category_code", _STR),
        ("vat_code", _STR),
        ("price_cents", _INT),
        ("unit", _STR),
    ]
    for product in _list(data, "products"):
        # Fast path for the usual, well-formed row; _require explains a bad one.
        try:
            code, price = product["code"], product["price_cents"]
            vat, category = product["vat_code"], product["category_code"]
            well_formed = (
                type(code) is str
                and type(price) is int
                and price in _INT_RANGE
                and type(product["name"]) is str
                and type(vat) is str
                and type(category) is str
                and type(product["unit"]) is str
            )
        except (KeyError, TypeError):
            well_formed = False
        if not well_formed:
            _require(product, "products", product_fields)
            code, price = product["code"], product["price_cents"]
            vat, category = product["vat_code"], product["category_code"]
        if code in product_codes:
            _fail(_l("produit %(code)s en double"), code=code)
        product_codes.add(code)
        if price < 0:
            _fail(_l("prix négatif pour le produit %(code)s"), code=code)
        if vat not in vat_codes:
            _fail(_l("taux de TVA inconnu %(vat)s pour le produit %(code)s"), vat=vat, code=code)
        if category not in category_codes:
            _fail(
                _l("catégorie inconnue %(category)s pour le produit %(code)s"), category=category, code=code
            )
        if product["unit"] not in ("unit", "kg"):
            _fail(_l("unité inconnue pour le produit %(code)s"), code=code)
    return product_codes


def _barcodes(data, product_codes) -> None:
    """Every barcode once, well formed, for a known product."""
    seen = set()
    for barcode in _list(data, "barcodes"):
        try:
            code, product_code = barcode["code"], barcode["product_code"]
            well_formed = type(code) is str and type(product_code) is str
        except (KeyError, TypeError):
            well_formed = False
        if not well_formed:
            _require(barcode, "barcodes", [("code", _STR), ("product_code", _STR)])
        # 8 to 14 digits, or the 7-digit prefix of price or weight labels (docs/selling.md).
        if not is_digits(code) or not (8 <= len(code) <= 14 or (len(code) == 7 and code[0] == "2")):
            _fail(_l("code-barres %(code)s invalide"), code=code[:20])
        if code in seen:
            _fail(_l("code-barres %(code)s en double"), code=code)
        seen.add(code)
        if product_code not in product_codes:
            _fail(_l("code-barres %(code)s pour un produit inconnu"), code=code)


def _denominations(data) -> None:
    values = set()
    for denomination in _list(data, "denominations"):
        _require(denomination, "denominations", [("value_cents", _INT), ("kind", _STR)])
        if denomination["value_cents"] <= 0 or denomination["value_cents"] in values:
            _fail(_l("coupure %(value)s invalide ou en double"), value=denomination["value_cents"])
        values.add(denomination["value_cents"])


def _credit_notes(data) -> None:
    notes = data.get("credit_notes")
    if notes is None:  # older head offices: no credit notes
        return
    if not isinstance(notes, list):
        _fail(_l("liste « %(field)s » manquante"), field="credit_notes")
    for note in notes:
        _require(
            note,
            "credit_notes",
            [("code", _STR), ("balance_cents", _INT), ("issued_at", _STR), ("expires_on", _STR)],
        )
        code = note["code"]
        if len(code) != 13 or not is_digits(code) or note["balance_cents"] < 1:
            _fail(_l("avoir %(code)s invalide"), code=code[:20])
        try:
            date.fromisoformat(note["expires_on"])
        except ValueError:
            _fail(_l("date de fin de l'avoir %(code)s invalide"), code=code)
    _codes(notes, "credit_notes", [])


def _titres_service(data) -> None:
    """Issuers of titre-service methods (contract 1.4.0; absent from older head offices) and
    the numbers already used: a scheme the box cannot read would refuse every voucher."""
    issuers = []
    for method in data["payment_methods"]:
        # is_card: contract 1.5.0, absent from older head offices (no card transactions).
        for flag in ("is_titre_service", "is_card"):
            if not isinstance(method.get(flag, False), bool):
                _fail(
                    _l("champ « %(field)s » de %(where)s a un mauvais type"),
                    field=flag,
                    where="payment_methods",
                )
        listed = method.get("titre_service_issuers") or []
        if not isinstance(listed, list):
            _fail(_l("liste « %(field)s » manquante"), field="titre_service_issuers")
        for issuer in listed:
            _require(
                issuer,
                "titre_service_issuers",
                [("code", _STR), ("name", _STR), ("mask", _STR), ("grace_days", _INT)],
            )
            if mask_problem(issuer["mask"]) or not 0 <= issuer["grace_days"] <= 3660:
                _fail(_l("émetteur de titre-service %(code)s invalide"), code=issuer["code"][:32])
        issuers += listed
    _codes(issuers, "titre_service_issuers", [])
    used = data.get("titres_service_used")
    if used is None:
        return
    if not isinstance(used, list):
        _fail(_l("liste « %(field)s » manquante"), field="titres_service_used")
    numbers = set()
    for titre in used:
        _require(
            titre, "titres_service_used", [("number", _STR), ("issuer_code", _STR), ("valid_until", _STR)]
        )
        number = titre["number"]
        if not is_digits(number) or len(number) > 32 or number in numbers:
            _fail(_l("titre-service %(number)s invalide ou en double"), number=number[:32])
        numbers.add(number)
        try:
            date.fromisoformat(titre["valid_until"])
        except ValueError:
            _fail(_l("date de fin du titre-service %(number)s invalide"), number=number)


def _safe(data) -> None:
    """« Gestion du coffre-fort » (contract 1.5.0; absent = off): the limits and head
    office's figures of the shop's safe per method."""
    safe = data.get("safe")
    if safe is None:
        return
    _require(safe, "safe", [("methods", list)])
    for name in ("limit_cents", "limit_days"):
        value = safe.get(name)
        if value is not None and (type(value) is not int or not 0 < value < 2**53):
            _fail(_l("champ « %(field)s » de %(where)s a un mauvais type"), field=name, where="safe")
    if safe.get("since") is not None:
        try:
            datetime.fromisoformat(str(safe["since"]).replace("Z", "+00:00"))
        except ValueError:
            _fail(_l("champ « %(field)s » de %(where)s a un mauvais type"), field="since", where="safe")
    codes = set()
    for method in safe["methods"]:
        _require(
            method,
            "safe.methods",
            [
                ("method_code", _STR),
                ("operation_count", _INT),
                ("deposits_cents", _INT),
                ("withdrawals_cents", _INT),
            ],
        )
        if (
            method["method_code"] in codes
            or min(method["operation_count"], method["deposits_cents"], method["withdrawals_cents"]) < 0
        ):
            _fail(_l("coffre-fort : mode %(code)s invalide ou en double"), code=method["method_code"][:32])
        codes.add(method["method_code"])


def _codes(items, where, fields) -> set:
    codes = set()
    for item in items:
        _require(item, where, fields + [("code", _STR)])
        if item["code"] in codes:
            _fail(_l("code %(code)s en double dans %(where)s"), code=item["code"], where=where)
        codes.add(item["code"])
    return codes


def _integrity(data) -> None:
    """Where a replacement box continues its chains from (contract 1.3.0; absent for a
    register that never signed): heads, the last ticket number, perpetual totals, keys."""
    part = data.get("integrity")
    if part is None:
        return
    _require(
        part,
        "integrity",
        [
            ("heads", dict),
            ("ticket_number", _INT),
            ("perpetual_cents", _INT),
            ("perpetual_abs_cents", _INT),
            ("keys", list),
        ],
    )
    for chain, head in part["heads"].items():
        if chain not in nf525.CHAINS:
            _fail(_l("chaîne inconnue %(chain)s dans integrity"), chain=str(chain)[:20])
        _require(head, "integrity.heads", [("number", _INT), ("signature", _STR)])
    for key in part["keys"]:
        _require(key, "integrity.keys", [("key_id", _STR), ("public_pem", _STR)])
        try:
            valid = nf525.key_id(nf525.load_public_pem(key["public_pem"])) == key["key_id"]
        except ValueError:
            valid = False
        if not valid:
            _fail(_l("clé publique %(key)s invalide"), key=key["key_id"][:20])
