"""The manual's words for each figure (« Rapports de caisse », « Récapitulatif du point de
vente »), in one place for the screen and the paper: each tab is a list of (label, value)
rows, the value already written out, the label translated where it is read (the screen in
its language, the printer in French)."""

from flask_babel import lazy_gettext as _l

from app.money import format_euros

FONDS_COLUMNS = (_l("Nombre de paiements"), _l("Dépôts"), _l("Retraits"), _l("Total"))
# « Les colonnes masquées par défaut ».
FONDS_OPTIONAL_COLUMNS = (_l("Dépôts manuels"), _l("Retraits manuels"), _l("Retours"), _l("Ventes"))


def _decimal(value_milli: int | None, places: int = 2) -> str:
    if value_milli is None:
        return "—"
    return f"{value_milli / 1000:.{places}f}".replace(".", ",")


def _count(value_milli: int) -> str:
    return str(value_milli // 1000) if value_milli % 1000 == 0 else _decimal(value_milli, 3)


def _money(cents: int | None) -> str:
    return "—" if cents is None else format_euros(cents)


def percent(bp: int | None) -> str:
    return "—" if bp is None else f"{bp / 100:.2f} %".replace(".", ",")


def cash_rows(cash) -> list[tuple]:
    """Paiements en espèces."""
    return [
        (_l("Fonds de caisse initial"), _money(cash.initial_float_cents)),
        (_l("Différence à l'ouverture de la journée"), _money(cash.opening_difference_cents)),
        (_l("Dépôt à l'ouverture de la journée"), _money(cash.opening_deposit_cents)),
        (_l("Dépôts manuels"), _money(cash.manual_in_cents)),
        (_l("Dépôts résultant des ventes"), _money(cash.sales_in_cents)),
        (_l("Retraits manuels"), _money(cash.manual_out_cents)),
        (_l("dont retrait à la fermeture"), _money(cash.closing_out_cents)),
        (_l("Retraits résultant des retours"), _money(cash.returns_out_cents)),
        (_l("Espèces en caisse"), _money(cash.balance_cents)),
    ]


def sales_rows(sales) -> list[tuple]:
    """Récapitulatif de ventes, in the manual's order."""
    return [
        (_l("Vente au total"), _money(sales.total_cents)),
        (_l("Vente à un prix appliqué"), _money(sales.list_price_cents)),
        (_l("Montant de remises accordées"), _money(sales.discounts_cents)),
        (_l("Pourcentage des remises accordées"), percent(sales.discount_percent_bp)),
        (_l("Valeur des bons d'achat vendus"), _money(sales.vouchers_cents)),
        (_l("Nombre de bons d'achat vendus"), str(sales.vouchers_count)),
        (_l("Document de correction"), _money(sales.corrections_cents)),
        (_l("Nombre de documents de correction établis"), str(sales.corrections_count)),
        (_l("Montant moyen de ventes"), _money(sales.average_sale_cents)),
        (_l("Montant moyen des articles vendus"), _money(sales.average_item_cents)),
        (_l("Nombre de documents de vente établis"), str(sales.sales_count)),
        (_l("Quantité d'articles vendus"), _count(sales.items_sold_milli)),
        (_l("Nombre d'articles retournés"), _count(sales.items_returned_milli)),
        (_l("Quantité moyenne des articles dans un document"), _decimal(sales.items_per_document_milli)),
    ]


def method_row(method) -> list[str]:
    """A line of the Récapitulatif du fonds de caisse: the columns, then the optional ones."""
    return [
        str(method.payment_count),
        _money(method.deposits_cents),
        _money(method.withdrawals_cents),
        _money(method.total_cents),
        _money(method.manual_in_cents),
        _money(method.manual_out_cents),
        _money(method.returns_cents),
        _money(method.sales_cents),
    ]


def fiscal_rows(fiscal) -> list[tuple]:
    """The period's signed day records added up (Rapport périodique)."""
    rows = [
        (_l("Journées"), str(fiscal.days)),
        (_l("Nombre de tickets"), str(fiscal.ticket_count)),
        (_l("Ventes"), _money(fiscal.sales_cents)),
        (_l("Retours"), _money(fiscal.returns_cents)),
        (_l("Total de la période"), _money(fiscal.total_cents)),
    ]
    for rate_bp, base, tax, total in fiscal.taxes:
        rate = f"{rate_bp / 100:g} %".replace(".", ",")
        rows += [
            (_l("TVA %(rate)s — HT", rate=rate), _money(base)),
            (_l("TVA %(rate)s — TVA", rate=rate), _money(tax)),
            (_l("TVA %(rate)s — TTC", rate=rate), _money(total)),
        ]
    if fiscal.perpetual_cents is not None:
        rows.append((_l("Grand total perpétuel en fin de période"), _money(fiscal.perpetual_cents)))
    return rows
