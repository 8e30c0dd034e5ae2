"""The shop summary as a CSV download: the manual's labels (French, or English with lang=en),
a line per register and one for the shop, amounts in euros as a spreadsheet reads them."""

import csv
import io

# (key, French label of the manual, English), in the manual's order.
COLUMNS = (
    ("day_count", "Journées", "Days"),
    ("sales_cents", "Ventes au total", "Total sales"),
    ("list_price_cents", "Ventes à un prix appliqué", "Sales at list price"),
    ("discount_cents", "Montant des remises attribuées", "Discounts granted"),
    ("credit_note_cents", "Valeur des avoirs émis", "Credit notes issued"),
    ("returns_cents", "Documents de correction", "Correction documents (returns)"),
    ("average_sale_cents", "Montant moyen de ventes", "Average sale"),
    ("average_item_cents", "Valeur moyenne des articles vendus", "Average item value"),
    ("sale_count", "Nombre de doc. commerciaux établis", "Sales documents"),
    ("items_sold", "Quantité d'articles vendus", "Items sold"),
    ("discount_percent", "Pourcentage des remises attribuées", "Discount %"),
    ("credit_note_count", "Nombre d'avoirs émis", "Credit notes issued (number)"),
    ("return_count", "Nombre de doc. de correction établis", "Correction documents (number)"),
    ("items_returned", "Nombre d'articles retournés", "Items returned"),
    ("returned_percent", "Pourcentage d'articles retournés", "Items returned %"),
    ("items_per_document", "Quantité moyenne d'articles dans un document", "Average items per document"),
    ("cash_in_count", "Nombre de DC (dépôts)", "Cash deposits (DC, number)"),
    ("cash_in_cents", "Montant des DC (dépôts)", "Cash deposits (DC)"),
    ("cash_out_count", "Nombre de RC (retraits)", "Cash withdrawals (RC, number)"),
    ("cash_out_cents", "Montant des RC (retraits)", "Cash withdrawals (RC)"),
)
LANGS = ("fr", "en")


def summary_csv(summary: dict, lang: str = "fr") -> str:
    french = lang == "fr"
    out = io.StringIO()
    # French spreadsheets read ';' between fields and ',' in numbers.
    writer = csv.writer(out, delimiter=";" if french else ",", lineterminator="\r\n")
    writer.writerow(
        ["Caisse" if french else "Register", "Nom" if french else "Name"]
        + [fr if french else en for _key, fr, en in COLUMNS]
    )
    rows = [(row["register_code"], row["register_name"], row) for row in summary["registers"]]
    rows.append(("", "Boutique" if french else "Shop", summary["total"]))
    for code, name, figures in rows:
        writer.writerow([code, name] + [_cell(key, figures[key], french) for key, _fr, _en in COLUMNS])
    return out.getvalue()


def file_name(summary: dict) -> str:
    """The download's name: recapitulatif-SHOP-FROM-TO.csv (the API's and the screen's)."""
    return f"recapitulatif-{summary['shop']['code']}-{summary['from']}-{summary['to']}.csv"


def _cell(key: str, value, french: bool) -> str:
    if value is None:
        return ""
    if key.endswith("_cents"):
        sign = "-" if value < 0 else ""
        text = f"{sign}{abs(value) // 100}.{abs(value) % 100:02d}"
    elif isinstance(value, float):
        text = f"{value:.2f}"
    else:
        return str(value)
    return text.replace(".", ",") if french else text
