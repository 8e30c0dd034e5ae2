"""« Récapitulatif de la boutique » on head office's screens: the figures a person reads, per
register and for the shop, checked against totals the test works out itself from the days it
sent (tests/support/ho_days.py: returns, discounts, cancelled tickets, cash documents, credit
notes, two days of one register on one date, a day opened before midnight UTC that is the
next date in Paris); the CSV link, the charts, and what bad input gets."""

import csv
import io
import re
from datetime import UTC, datetime, time
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from headoffice.models import DayFigures, ReceivedBatch
from headoffice.timeutil import utcnow
from tests.support.ho_days import expected_figures, make_batch, make_day
from tests.support.ho_web import post, rows

SCREEN = "/boutique/BOUTIQUE01/recapitulatif"
# The manual's labels as the screen shows them, and the figure each one shows.
LABELS = {
    "Journées": "day_count",
    "Ventes au total": "sales_cents",
    "Ventes à un prix appliqué": "list_price_cents",
    "Montant des remises attribuées": "discount_cents",
    "Valeur des avoirs émis": "credit_note_cents",
    "Documents de correction": "returns_cents",
    "Montant moyen de ventes": "average_sale_cents",
    "Valeur moyenne des articles vendus": "average_item_cents",
    "Nombre de doc. commerciaux établis": "sale_count",
    "Quantité d'articles vendus": "items_sold",
    "Pourcentage des remises attribuées": "discount_percent",
    "Nombre d'avoirs émis": "credit_note_count",
    "Nombre de doc. de correction établis": "return_count",
    "Nombre d'articles retournés": "items_returned",
    "Pourcentage d'articles retournés": "returned_percent",
    "Quantité moyenne d'articles dans un document": "items_per_document",
    "Nombre de DC (dépôts)": "cash_in_count",
    "Montant des DC (dépôts)": "cash_in_cents",
    "Nombre de RC (retraits)": "cash_out_count",
    "Montant des RC (retraits)": "cash_out_cents",
}


def _at(day, hour, minute=0):
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def sent(ho_api, ho_export_path):
    """CAISSE01: two days on the 20th, one opened at 23:30 UTC on the 20th (the 21st in Paris);
    CAISSE02: the 20th and the 22nd."""
    days = {
        "CAISSE01": [
            make_day("w", "CAISSE01", 1, _at(20, 7)),
            make_day("w", "CAISSE01", 2, _at(20, 13)),
            make_day("w", "CAISSE01", 3, _at(20, 23, 30), tickets=5),
        ],
        "CAISSE02": [make_day("w", "CAISSE02", 1, _at(20, 8)), make_day("w", "CAISSE02", 2, _at(22, 8))],
    }
    for register, register_days in days.items():
        batch = make_batch("w", register, register_days)
        assert ho_api.put(ho_export_path(batch), json=batch).status_code == 201
    return days


def _shown(key: str, value) -> str:
    """How a person reads a figure: 1 234,50 €, 12,35 %, 2,35, 7, — for a division by zero."""
    if value is None:
        return "—"
    if key.endswith("_cents"):
        whole, part = divmod(abs(value), 100)
        sign = "-" if value < 0 else ""
        return f"{sign}{whole:,}".replace(",", "\u202f") + f",{part:02d}\u00a0€"
    if isinstance(value, float):
        text = f"{value:.2f}".replace(".", ",")
        return text + "\u00a0%" if key.endswith("_percent") else text
    return str(value)


class _Cells(HTMLParser):
    """The text of each cell of <table id="summary">, row by row."""

    def __init__(self):
        super().__init__()
        self.rows, self.inside, self.cell = [], False, None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("id", "summary") in attrs:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(self.cell.strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def _table(page: str) -> dict[str, dict[str, str]]:
    """column (Boutique, CAISSE01…) → label → the text shown."""
    parser = _Cells()
    parser.feed(page)
    header, *lines = parser.rows
    columns = [name.split()[0] for name in header[1:]]
    return {column: {line[0]: line[i + 1] for line in lines} for i, column in enumerate(columns)}


def _expected(days) -> dict[str, str]:
    figures = expected_figures(days)
    return {label: _shown(key, figures[key]) for label, key in LABELS.items()}


def _page(client, **query):
    response = client.get(SCREEN, query_string=query)
    return response.status_code, response.get_data(as_text=True)


def test_a_day_shows_each_registers_figures_and_the_shops(ho_web, sent):
    status, page = _page(ho_web("viewer"), date="2026-11-20")

    assert status == 200 and "Journée du 20/11/2026" in page
    table = _table(page)
    assert table["CAISSE01"] == _expected(sent["CAISSE01"][:2])
    assert table["CAISSE02"] == _expected(sent["CAISSE02"][:1])
    assert table["Boutique"] == _expected(sent["CAISSE01"][:2] + sent["CAISSE02"][:1])
    # The generated days hold what the figures are about.
    shop = expected_figures(sent["CAISSE01"][:2] + sent["CAISSE02"][:1])
    assert shop["return_count"] and shop["discount_cents"] and shop["credit_note_count"]


def test_a_register_without_a_day_shows_zeros_and_dashes(ho_web, sent):
    table = _table(_page(ho_web("viewer"), date="2026-11-21")[1])

    assert table["CAISSE01"] == _expected(sent["CAISSE01"][2:])  # opened 23:30 UTC, the 21st in Paris
    assert table["CAISSE02"]["Journées"] == "0" and table["CAISSE02"]["Montant moyen de ventes"] == "—"


def test_a_period_adds_every_day_and_charts_the_sales_of_each(ho_web, sent):
    status, page = _page(ho_web("viewer"), du="2026-11-01", au="2026-11-30")

    assert status == 200 and "Période du 01/11/2026 au 30/11/2026" in page
    table = _table(page)
    assert table["Boutique"] == _expected(sent["CAISSE01"] + sent["CAISSE02"])
    assert table["CAISSE01"] == _expected(sent["CAISSE01"])
    per_day = page[page.index('id="per-day"') :]
    assert per_day.count("<rect ") == 30  # a column for each date, one without sales too
    by_date = {
        "20/11": sent["CAISSE01"][:2] + sent["CAISSE02"][:1],
        "21/11": sent["CAISSE01"][2:],
        "22/11": sent["CAISSE02"][1:],
    }
    for label, days in by_date.items():
        amount = _shown("sales_cents", expected_figures(days)["sales_cents"])
        assert f'<tr><td>{label}</td><td class="num">{amount}</td></tr>' in per_day
        assert f"<title>{label} : {amount}</title>" in per_day
    assert '<tr><td>19/11</td><td class="num">0,00\u00a0€</td></tr>' in per_day


def test_the_registers_chart_draws_bars_in_proportion_with_their_amounts(ho_web, sent):
    page = _page(ho_web("viewer"), du="2026-11-20", au="2026-11-22")[1]

    chart = page[page.index('id="per-register"') : page.index("</figure>", page.index('id="per-register"'))]
    assert '<title id="per-register-title">Ventes par caisse</title>' in chart
    widths = {}
    for code in ("CAISSE01", "CAISSE02"):
        cents = expected_figures(sent[code])["sales_cents"]
        assert f"<title>{code} : {_shown('sales_cents', cents)}</title>" in chart
        assert f">{_shown('sales_cents', cents)}</text>" in chart  # the amount as text too
        widths[code] = (cents, int(re.search(rf'width="(\d+)"[^>]*><title>{code} ', chart).group(1)))
    (big, big_width), (small, small_width) = sorted(widths.values(), reverse=True)
    assert big_width == 500 and small_width == small * 500 // big


def test_the_longest_period_draws_a_column_a_day_and_the_shop_adds_up(ho_web, sent):
    status, page = _page(ho_web("viewer"), du="2026-01-01", au="2027-01-01")  # 366 days

    assert status == 200
    per_day = page[page.index('id="per-day"') :]
    assert per_day.count("<rect ") == 366 and "http" not in per_day[: per_day.index("</svg>")]
    assert _table(page)["Boutique"] == _expected(sent["CAISSE01"] + sent["CAISSE02"])


def test_without_a_date_it_shows_today_at_the_shop(ho_web, ho_api, ho_export_path):
    today = utcnow().astimezone(ZoneInfo("Europe/Paris")).date()
    opened = datetime.combine(today, time(0, 5), ZoneInfo("Europe/Paris")).astimezone(UTC)
    days = [make_day("today", "CAISSE01", 1, opened)]
    batch = make_batch("today", "CAISSE01", days)
    assert ho_api.put(ho_export_path(batch), json=batch).status_code == 201

    status, page = _page(ho_web("viewer"))

    assert status == 200 and f"Journée du {today:%d/%m/%Y}" in page
    assert f'value="{today.isoformat()}"' in page
    assert _table(page)["Boutique"] == _expected(days)


def test_the_csv_link_downloads_the_same_period_with_the_manuals_labels(ho_web, sent):
    viewer = ho_web("viewer")
    page = _page(viewer, du="2026-11-20", au="2026-11-22")[1]
    link = re.search(r'<a href="([^"]+)" download>Télécharger \(CSV\)</a>', page).group(1)

    response = viewer.get(link.replace("&amp;", "&"))

    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert (
        'filename="recapitulatif-BOUTIQUE01-2026-11-20-2026-11-22.csv"'
        in response.headers["Content-Disposition"]
    )
    header, *lines = csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";")
    assert header[:4] == ["Caisse", "Nom", "Journées", "Ventes au total"]
    shop = dict(zip(header, lines[-1]))
    total = expected_figures(sent["CAISSE01"] + sent["CAISSE02"])
    assert shop["Nom"] == "Boutique" and shop["Journées"] == "5"
    assert shop["Ventes au total"] == f"{total['sales_cents'] // 100},{total['sales_cents'] % 100:02d}"


def test_the_menu_leads_to_the_summary(ho_web):
    page = ho_web("viewer").get("/boutique/BOUTIQUE01/caisses").get_data(as_text=True)

    assert f'<a href="{SCREEN}">Récapitulatif</a>' in page


@pytest.mark.parametrize(
    ("query", "words"),
    [
        (
            {"du": "2026-11-30", "au": "2026-11-01"},
            "Dates inversées : le 30/11/2026 (du) est après le 01/11/2026",
        ),
        ({"du": "2025-01-01", "au": "2026-11-30"}, "Une période couvre 366 jours au plus"),
        ({"date": "20/11/2026"}, "Date : « 20/11/2026 » n'est pas une date"),
        ({"date": "2026-02-30"}, "« 2026-02-30 » n'est pas une date"),
        ({"du": "2026-11-01"}, "les deux dates d'une période"),
        ({"du": "2026-11-01", "au": "2026-13-01"}, "Au : « 2026-13-01 » n'est pas une date"),
    ],
)
def test_bad_dates_get_a_message_and_no_figures(ho_app, ho_web, sent, query, words):
    before = rows(ho_app, ReceivedBatch), rows(ho_app, DayFigures)
    viewer = ho_web("viewer")

    status, page = _page(viewer, **query)
    download = viewer.get(f"{SCREEN}.csv", query_string=query)

    assert status == 400 and words in page.replace("&#39;", "'").replace("&#34;", '"')
    assert 'id="summary"' not in page and "<svg" not in page
    assert download.status_code == 400 and download.mimetype == "text/html"
    assert words in download.get_data(as_text=True).replace("&#39;", "'")
    assert (rows(ho_app, ReceivedBatch), rows(ho_app, DayFigures)) == before


def test_the_messages_in_english(ho_web, sent):
    viewer = ho_web("viewer")
    post(viewer, "/langue", {"lang": "en", "back": SCREEN}, page=SCREEN)

    reversed_dates = _page(viewer, du="2026-11-30", au="2026-11-01")[1]
    malformed = _page(viewer, date="20/11/2026")[1]
    page = _page(viewer, date="2026-11-20")[1]

    assert "Dates reversed: 30/11/2026 (from) is after 01/11/2026 (to)." in reversed_dates
    assert "Date: “20/11/2026” is not a date" in malformed
    assert "Store summary" in page and "Total sales" in _table(page)["Shop"]
    link = re.search(r'<a href="([^"]+)" download>Download \(CSV\)</a>', page).group(1)
    header = viewer.get(link).get_data().decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Register,Name,Days,Total sales,")


def test_an_unknown_shop_is_404_and_a_stranger_is_sent_to_sign_in(ho_app, ho_web):
    unknown = ho_web("viewer").get("/boutique/NOPE/recapitulatif?date=2026-11-20")
    assert unknown.status_code == 404 and "Boutique inconnue : NOPE." in unknown.get_data(as_text=True)

    for url in (SCREEN, f"{SCREEN}.csv?date=2026-11-20"):
        stranger = ho_app.test_client().get(url)
        assert stranger.status_code == 302 and stranger.headers["Location"].startswith("/connexion")
