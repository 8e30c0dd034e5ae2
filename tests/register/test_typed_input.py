"""Typed input never breaks a screen: every route of the URL map, every
field its forms post, every query argument it reads and every variable of its URL, given
hostile values, answers with a page or a refusal — never a 5xx.

The routes and what they read are listed once in ROUTES; three checks keep the list honest:
every route of the URL map is in it, every field the rendered screens post is in it, and
every name the blueprints read from a form or a query string is in it. A new route or field
cannot be forgotten by the sweep.

The world is built once for the module (a seller connected in an open register with a ticket
in progress, a ticket aside, a finished sale, a closed day, the closing page open) and its
database file and session cookie are put back before every request, so each value is tried
against the same state and a failing example replays exactly."""

import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import Payment, PrintJob, RegisterDay, SyncRun, Ticket
from app.services.closing.cash import record_cash_movement
from app.services.passwords import forget_codes
from tests.support.helpers import close_counted, register_config
from tests.support.screens import Kiosk
from tests.support.till import Till, open_till, sell
from tests.support.typed_input import HOSTILE_CLASSES, hostile_text

PERSON = {"person": "RESP01", "password": "1234"}
# The closing page's buttons post its one form to three routes.
CLOSING_FORM = {
    **PERSON,
    "seen": "",
    "force": "1",
    "force_reason": "Départ",
    "withdrawal": "10,00",
    "difference_reason": "Erreur de caisse",
}


# The DC/RC form (register/document_form.html) and its Aperçu.
CASH_DOCUMENT = {
    "kind": "in",
    "amount": "10,00",
    "method": "ESP",
    "payer_kind": "customer",
    "payer_name": "Mme Durand",
    "payer_code": "VEND01",
    "description": "Monnaie",
    "document": "00000000-0000-4000-8000-000000000001",
}


# The safe's Dépôt/Retrait form (register/safe_form.html).
SAFE_MOVEMENT = {
    "kind": "in",
    "amount": "10,00",
    "method": "ESP",
    "payer_kind": "customer",
    "payer_name": "Banque",
    "payer_code": "VEND01",
    "description": "Fonds",
    "movement": "00000000-0000-4000-8000-000000000002",
}


@dataclass
class Route:
    """What one endpoint reads: form fields and query arguments with a valid value each, and
    its URL variables (names of the world's ids)."""

    form: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    path: dict = field(default_factory=dict)
    closing: bool = False  # posts the closing page's count fields too
    # Other valid starting points that make the route read other fields (a panel, a method):
    # (values changed, the fields then worth sweeping one by one).
    variants: tuple = (({}, None),)


ROUTES = {
    "static": Route(path={"filename": "css/comptoir.css"}),
    "health.healthz": Route(),
    "common.status": Route(),
    "access.sign_in_form": Route(query={"next": "/journees"}),
    "access.sign_in": Route(form={**PERSON, "next": "/journees"}),
    "access.sign_out": Route(),
    "common.language": Route(form={"lang": "en", "next": "/vente"}),
    "opening.index": Route(query={"register": "CAISSE01", "person": "RESP01"}),
    "opening.people": Route(query={"register": "CAISSE01", "person": "RESP01"}),
    "opening.refresh": Route(),
    "opening.count": Route(query={"person": "RESP01"}),
    "opening.open_": Route(
        form={**PERSON, "amount": "150,00", "register": "CAISSE01", "screen_token": ""}, closing=True
    ),
    "sync.import_": Route(form={**PERSON, "register": "CAISSE01", "amount": "", "screen_token": ""}),
    "sync.export": Route(form={**PERSON, "register": "CAISSE01", "amount": "", "screen_token": ""}),
    "sync.run_progress": Route(path={"run_uuid": "run"}),
    "register.page": Route(),
    "register.connect": Route(form={"person": "VEND01", "password": "1111", "screen_token": ""}),
    "register.close": Route(form={**PERSON, "screen_token": ""}),
    "register.movements": Route(),
    "register.lockouts": Route(),
    "register.unlock": Route(form={**PERSON, "locked": "VEND02"}),
    "register.training": Route(),
    "register.switch_training_mode": Route(form={**PERSON, "mode": "on"}),
    "common.tablets": Route(),
    "common.authority_certificate": Route(),
    "register.add_movement": Route(form={**PERSON, "kind": "in", "amount": "10,00", "reason": "Monnaie"}),
    "register.documents": Route(
        query={"numero": "1", "type": "RC", "montant": "10,00", "jour": "27/11/2026", "avant": "5"}
    ),
    "register.new_document": Route(),
    "register.preview_document": Route(form=CASH_DOCUMENT),
    "register.add_document": Route(form={**PERSON, **CASH_DOCUMENT, "screen_token": ""}),
    "register.document": Route(path={"uuid": "cash_document"}),
    # The safe (docs/safe.md); the demo shop has no safe, so these refuse with its message.
    "register.safe": Route(),
    "register.safe_operations": Route(
        query={
            "numero": "1",
            "type": "recette",
            "montant": "10,00",
            "jour": "27/11/2026",
            "mode": "ESP",
            "caissier": "RESP01",
            "avant": "5",
        }
    ),
    "register.new_safe_movement_form": Route(query={"type": "depot"}),
    "register.add_safe_movement": Route(form={**PERSON, **SAFE_MOVEMENT, "screen_token": ""}),
    "register.card_transactions": Route(
        query={
            "du": "27/11/2026",
            "au": "27/11/2026",
            "statut": "payment",
            "caissier": "VEND01",
            "montant": "10,00",
            "page": "1",
            "toutes": "1",
        }
    ),
    "register.cancel_card_form": Route(path={"uuid": "card_payment"}),
    "register.cancel_card": Route(form={**PERSON, "screen_token": ""}, path={"uuid": "card_payment"}),
    "register.manual_refund_page": Route(),
    "register.manual_refund": Route(
        form={
            **PERSON,
            "amount": "10,00",
            "method": "CB",
            "reason": "Panne",
            "document": "00000000-0000-4000-8000-000000000002",
            "screen_token": "",
        }
    ),
    "selling.page": Route(
        query={
            "panel": "catalog",
            "line": "{line}",
            "category": "BOUL",
            "offset": "40",
            "q": "pain",
            "method": "CB",
            "ticket": "{ticket}",
        },
        variants=(
            ({}, None),
            ({"panel": "line"}, ["line"]),
            ({"panel": "pay"}, ["method"]),
            ({"panel": "cancel"}, ["ticket"]),
        ),
    ),
    "selling.search": Route(query={"q": "pain"}),
    "selling.scan": Route(form={"code": "{barcode}"}),
    "selling.product": Route(
        form={"quantity": "0,750", "unit": "kg"},
        path={"code": "product"},
        variants=(({}, None), ({"unit": "unit"}, ["quantity"])),
    ),
    "selling.quantity": Route(
        form={"step": "", "quantity": "2", "unit": "unit"},
        path={"line_id": "line"},
        variants=(({}, None), ({"unit": "kg"}, ["quantity"]), ({"step": "+1"}, ["line_id"])),
    ),
    "selling.remove": Route(path={"line_id": "line"}),
    "selling.line_discount": Route(
        form={**PERSON, "percent": "10", "amount": ""},
        path={"line_id": "line"},
        variants=(({}, None), ({"percent": "", "amount": "0,50"}, ["amount"])),
    ),
    "selling.ticket_discount": Route(
        form={**PERSON, "percent": "", "amount": "0,50"},
        variants=(({}, None), ({"percent": "10", "amount": ""}, ["percent"])),
    ),
    "selling.disconnect": Route(),
    "selling.pay": Route(
        form={"method": "CB", "amount": "1,00", "reference": ""},
        variants=(
            ({}, None),
            ({"method": "AV", "reference": "9900000000017"}, ["amount", "reference"]),
            ({"method": "CHQ"}, ["reference"]),
        ),
    ),
    "selling.unpay": Route(path={"uuid": "payment"}),
    "selling.finish": Route(form={"ticket": "{ticket}"}),
    "selling.suspend": Route(),
    "selling.resume": Route(path={"uuid": "aside"}),
    "selling.cancel": Route(form={**PERSON, "ticket": "{ticket}", "reason": "Erreur"}),
    "selling.begin_return": Route(form={"number": "{sold_number}"}),
    "selling.return_quantity": Route(
        form={"quantity": "1", "unit": "unit"},
        path={"line_id": "sold_line"},
        variants=(({}, None), ({"unit": "kg"}, ["quantity"])),
    ),
    "selling.leave_return": Route(),
    "selling.pay_back": Route(form={**PERSON, "method": "ESP"}),
    "printing.page": Route(query={"retour": "/vente"}),
    "printing.preview": Route(path={"uuid": "job"}, query={"retour": "/vente"}),
    "printing.retry": Route(form={"job": "{job}", "retour": "/vente"}),
    "printing.reprint": Route(form={**PERSON, "job": "{job}", "retour": "/vente"}),
    "printing.drawer": Route(form={**PERSON, "retour": "/vente"}),
    "closing.page": Route(),
    "closing.compare": Route(form=CLOSING_FORM, closing=True),
    "closing.validate": Route(form=CLOSING_FORM, closing=True),
    "closing.cancel": Route(form=CLOSING_FORM, closing=True),
    "closing.cancel_ticket": Route(form={**PERSON, "reason": "Erreur"}, path={"uuid": "ticket"}),
    "closing.days": Route(),
    "closing.day": Route(path={"uuid": "day"}),
    "closing.reprint": Route(form=PERSON, path={"uuid": "day"}),
    "integrity.page": Route(),
    "integrity.check": Route(),
    "reports.index": Route(),
    "reports.point_of_sale": Route(
        query={
            "jour": "2026-11-02",
            "journee": "{day}",
            "onglet": "ventes",
            "colonnes": "toutes",
            "mois": "2026-10-01",
        }
    ),
    "reports.print_point_of_sale_": Route(
        form={"jour": "", "journee": "", "jeton": "00000000-0000-4000-8000-000000000002"}
    ),
    "reports.periodic": Route(
        query={"du": "01/11/2026", "au": "27/11/2026", "choix": "au", "mois": "2026-11-01"}
    ),
    "reports.print_periodic": Route(
        form={"du": "01/11/2026", "au": "27/11/2026", "jeton": "00000000-0000-4000-8000-000000000003"}
    ),
    # Cashier sessions (off in this world: each is refused with its message, never a 5xx).
    "cashier_sessions.opening": Route(),
    "cashier_sessions.open_": Route(
        form={"deposit": "50,00", "pieces_1000": "2", "session_uuid": "00000000-0000-4000-8000-000000000002"}
    ),
    "cashier_sessions.index": Route(query={"filtre": "Vendeur"}),
    "cashier_sessions.own_takings": Route(),
    "cashier_sessions.own_session": Route(form={"person": "VEND01", "password": "1111", "screen_token": ""}),
    "cashier_sessions.takings": Route(path={"uuid": "cashier_session"}),
    "cashier_sessions.close": Route(
        form={**PERSON, "real_ESP": "50,00", "withdrawal_ESP": "10,00", "pieces_1000": "5", "seen": ""},
        path={"uuid": "cashier_session"},
    ),
}
CLOSING_FIELD = re.compile(r"^(counted|items|withdrawal|reason)_[A-Z0-9]+$|^pieces_[0-9]+$")

# Screens whose forms and links the discovery check reads (with the world's ids).
SCREENS = (
    "/caisse",
    "/caisse/mouvements",
    "/caisse/documents",
    "/caisse/documents/nouveau",
    "/caisse/documents/{cash_document}",
    "/caisse/transactions",
    "/caisse/transactions/remboursement",
    "/integrite",
    "/rapports",
    "/rapports/point-de-vente",
    "/rapports/point-de-vente?onglet=fonds",
    "/rapports/periodique",
    "/imprimante",
    "/journees",
    "/journees/{day}",
    "/fermeture",
    "/imprimante/travaux/{job}",
    *(
        f"/vente?panel={panel}&line={{line}}"
        for panel in ("catalog", "pay", "aside", "return", "line", "discount", "cancel", "receipt")
    ),
    "/vente?panel=catalog&category=BOUL",
)


# --- the world ---------------------------------------------------------------------------


class World:
    """The app, one screen's client and the state every request starts from."""

    def __init__(self, app, client, db_path, ids, closing_fields, early_screens):
        self.app, self.client, self.db_path = app, client, db_path
        self.early_screens = early_screens  # {url: html} drawn in states the world left
        self.ids, self.closing_fields = ids, closing_fields
        self.snapshot = db_path.with_suffix(".snapshot")
        self._release()
        shutil.copy(db_path, self.snapshot)
        self.unchanged = None
        self.cookie = client.get_cookie("session").value
        self.cookie_at = datetime.now(timezone.utc)

    def _release(self):
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()

    def _files(self):
        """What a write would have changed (WAL mode: the -wal file grows on each commit)."""
        found = []
        for path in (self.db_path, self.db_path.with_name(self.db_path.name + "-wal")):
            stat = path.stat() if path.exists() else None
            found.append(stat and (stat.st_size, stat.st_mtime_ns))
        return found

    def restore(self):
        """Back to the world's state: the file only when a request wrote to it (most were
        refused and wrote nothing), the session cookie always."""
        if self._files() != self.unchanged:
            self._release()
            for suffix in ("-wal", "-shm"):
                self.db_path.with_name(self.db_path.name + suffix).unlink(missing_ok=True)
            shutil.copy(self.snapshot, self.db_path)
            with self.app.app_context():  # the pool's first connection creates the -wal file
                db.session.execute(db.text("SELECT 1"))
                db.session.remove()
            self.unchanged = self._files()
        self.client.set_cookie("session", self.cookie)
        forget_codes()
        if (datetime.now(timezone.utc) - self.cookie_at).total_seconds() > 300:
            self._fresh_closing_pass()

    def _fresh_closing_pass(self):
        """The closing page stays open for ten minutes: the sweep may last longer."""
        with self.client.session_transaction() as session:
            session["closing"]["at"] = datetime.now(timezone.utc).isoformat()
        self.cookie = self.client.get_cookie("session").value
        self.cookie_at = datetime.now(timezone.utc)

    def value(self, text: str) -> str:
        return text.format(**self.ids)

    def request(self, endpoint: str, *, form=None, query=None, path=None, htmx=False):
        rule = next(self.app.url_map.iter_rules(endpoint))
        url = _fill(rule.rule, path or {})
        if query:
            url += "?" + "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in query.items())
        headers = {"HX-Request": "true", "HX-Current-URL": "http://localhost/vente"} if htmx else {}
        if "POST" in rule.methods:
            data = {"csrf_token": self.ids["csrf"], **(form or {})}
            response = self.client.post(url, data=data, headers=headers)
        else:
            response = self.client.get(url, headers=headers)
        response.close()
        return response.status_code

    def baseline(self, endpoint: str, variant: int = 0):
        route = ROUTES[endpoint]
        chosen = route.variants[variant][0]
        form = {name: self.value(chosen.get(name, v)) for name, v in route.form.items()}
        if route.closing:
            form.update(self.closing_fields)
        if "seen" in form:
            form["seen"] = self.ids["seen"]
        query = {name: self.value(chosen.get(name, v)) for name, v in route.query.items()}
        path = {name: self.ids.get(key, key) for name, key in route.path.items()}
        return form, query, path


def _fill(rule: str, values: dict) -> str:
    def one(match):
        return quote(str(values[match.group(1)]), safe="")

    return re.sub(r"<(?:[^:<>]+:)?([a-z_]+)>", one, rule)


def _cheap_head_office(tmp):
    """The demo head office with cheap password hashes: the sweep types thousands of wrong
    codes, and each would pay a full scrypt."""
    from headoffice import create_app as create_headoffice

    path = tmp / "headoffice.sqlite"
    ho = create_headoffice(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "STAFF_PASSWORD_METHOD": "pbkdf2:sha256:1",
        }
    )
    runner = ho.test_cli_runner()
    for args in (["init-db"], ["load-demo"]):
        assert runner.invoke(args=args).exit_code == 0
    return ho


@pytest.fixture(scope="module")
def world(tmp_path_factory, migrated_template):
    tmp = tmp_path_factory.mktemp("typed-input")
    ho = _cheap_head_office(tmp)
    db_path = tmp / "comptoir.sqlite"
    shutil.copy(migrated_template, db_path)
    app = create_app(
        register_config(
            db_path,
            HEADOFFICE_TRANSPORT=httpx.WSGITransport(app=ho),
            SYNC_IN_BACKGROUND=False,
            # a crash answers 500 as in production, so the sweep counts them all
            PROPAGATE_EXCEPTIONS=False,
            # the manager signed in below stays so for the whole sweep
            SIGN_IN_IDLE_MINUTES=600,
            SIGN_IN_MAX_MINUTES=600,
        )
    )
    client = app.test_client()
    till = Till(app)
    early = {"/ (A)": client.get("/").get_data(as_text=True)}
    seller = open_till(app, client)
    sold = sell(seller, till, ["Baguette tradition"], [("ESP", "2", None)])
    seller.post("/vente/disconnect")
    with app.app_context():
        close_counted(db.session)
        db.session.remove()
    early["/ (D)"] = client.get("/").get_data(as_text=True)
    early["/ouverture/comptage (D)"] = client.get("/ouverture/comptage").get_data(as_text=True)
    seller.open("/")
    seller.post("/open", person="RESP01", password="1234", amount="150")
    seller.open("/caisse")
    seller.post("/caisse/connect", person="VEND01", password="1111")
    card_sale = sell(seller, till, ["Croissant"])  # paid by card today: Annuler may cancel it
    seller.post("/vente/scan", htmx=True, code=till.barcode("Croissant"))
    seller.post("/vente/suspend")
    seller.post("/vente/scan", htmx=True, code=till.barcode("Baguette tradition"))
    seller.post(
        "/vente/product/" + till.product("Pommes Golden").code, htmx=True, quantity="0,750", unit="kg"
    )
    seller.post("/vente/pay", htmx=True, method="CB", amount="1,00")
    with app.app_context():
        cash_document = record_cash_movement(db.session, "RESP01", "1234", "in", 1000, "Monnaie").uuid
        db.session.remove()
    page = seller.open("/vente")
    barcode, product = till.barcode("Croissant"), till.product("Pommes Golden").code
    with app.app_context():
        ticket = db.session.scalars(select(Ticket).where(Ticket.status == "open")).one()
        aside = db.session.scalars(select(Ticket).where(Ticket.status == "suspended")).one()
        day = db.session.scalars(select(RegisterDay).where(RegisterDay.state == "closed")).one()
        open_day = db.session.scalars(select(RegisterDay).where(RegisterDay.state == "open")).one()
        ids = {
            "csrf": page.inputs["csrf_token"]["value"],
            "line": ticket.lines[0].id,
            "ticket": ticket.uuid,
            "aside": aside.uuid,
            "payment": db.session.scalars(select(Payment.uuid).where(Payment.ticket_id == ticket.id)).one(),
            "sold_number": str(sold.number),
            "sold_line": sold.lines[0].id,
            "barcode": barcode,
            "product": product,
            "day": day.uuid,
            "cash_document": cash_document,
            "cashier_session": day.uuid,  # no session in this world: an unknown one
            "card_payment": card_sale.payments[0].uuid,
            "run": db.session.scalars(select(SyncRun.uuid)).first(),
            "job": db.session.scalars(select(PrintJob.uuid).where(PrintJob.kind == "receipt")).first(),
        }
        open_day_uuid = open_day.uuid
        db.session.remove()
    # A manager opened the closing page on this screen (its ten minutes start again at each
    # restore, see below).
    with client.session_transaction() as session:
        session["closing"] = {
            "by": "RESP01",
            "day": open_day_uuid,
            "at": datetime.now(timezone.utc).isoformat(),
            "typed": None,
        }
    # The manager signs in, so the sweep reaches the readers of the pages that need a right.
    closing_page = Kiosk(client).sign_in("/fermeture")
    ids["seen"] = closing_page.inputs["seen"]["value"]
    closing_fields = {name: "" for name in closing_page.inputs if CLOSING_FIELD.match(name)}
    closing_fields["counted_ESP"] = "150,00"
    assert any(name.startswith("pieces_") for name in closing_fields), closing_fields
    yield World(app, client, db_path, ids, closing_fields, early)
    with app.app_context():
        db.engine.dispose()
    with ho.app_context():
        ho.extensions["sqlalchemy"].engine.dispose()


# --- the list is complete ----------------------------------------------------------------


def test_every_route_of_the_url_map_is_swept(world):
    endpoints = {rule.endpoint for rule in world.app.url_map.iter_rules()}
    assert endpoints - ROUTES.keys() == set(), "add the new routes to ROUTES"
    assert ROUTES.keys() - endpoints == set(), "ROUTES names routes that are gone"
    for rule in world.app.url_map.iter_rules():
        assert set(rule.arguments) == set(ROUTES[rule.endpoint].path), rule.rule


class _Forms(HTMLParser):
    """Where each form (or button of a form) posts, and the names it posts; links' queries."""

    def __init__(self):
        super().__init__()
        self.sent: list[tuple[str, str, set]] = []  # (method, url, names)
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        targets = [("POST", attrs[a]) for a in ("hx-post", "formaction") if attrs.get(a)]
        if tag == "form":
            targets.append((attrs.get("method", "get").upper(), attrs.get("action") or ""))
            self._form = {"targets": [t for t in targets if t[1]], "names": set()}
            return
        if attrs.get("hx-get"):
            self.sent.append(("GET", attrs["hx-get"], set()))
        if tag == "a" and attrs.get("href"):
            self.sent.append(("GET", attrs["href"], set()))
        if self._form is None:
            return
        if tag == "button":
            if targets:
                self._form["targets"].extend(targets)
            if attrs.get("name"):
                self._form["names"].add(attrs["name"])
        elif tag in ("input", "select", "textarea") and attrs.get("name"):
            self._form["names"].add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            for method, url in self._form["targets"]:
                self.sent.append((method, url, self._form["names"]))
            self._form = None


def test_every_field_the_screens_post_is_swept(world):
    world.restore()
    adapter = world.app.url_map.bind("localhost")
    seen = 0
    drawn = dict(world.early_screens)
    for screen in SCREENS:
        response = world.client.get(world.value(screen))
        if response.status_code in (401, 403):  # a screen this session may not see: no forms
            response.close()
            continue
        assert response.status_code == 200, screen
        drawn[screen] = response.get_data(as_text=True)
        response.close()
    for screen, html in drawn.items():
        parser = _Forms()
        parser.feed(html)
        for method, url, names in parser.sent:
            parts = urlsplit(url)
            if parts.netloc or not parts.path.startswith("/"):
                continue
            endpoint, _ = adapter.match(parts.path, method=method)
            route = ROUTES[endpoint]
            names = names | {name for name, _ in parse_qsl(parts.query)}
            known = set(route.form) | set(route.query) | {"csrf_token", "screen_token"}
            unknown = {n for n in names - known if not (route.closing and CLOSING_FIELD.match(n))}
            assert not unknown, f"{screen}: {endpoint} sends {unknown}: add them to ROUTES"
            seen += 1
    assert seen > 40, seen


def test_every_name_the_blueprints_read_is_swept():
    blueprints = Path(__file__).resolve().parents[2] / "app" / "blueprints"
    source = "\n".join(p.read_text() for p in blueprints.rglob("*.py"))
    read = set(re.findall(r"(?:form_value|request\.(?:args|form|values)\.get)\(\"([a-z_]+)\"", source))
    listed = {name for route in ROUTES.values() for name in (*route.form, *route.query)}
    assert read - listed == set(), "add these fields to ROUTES"


# --- the sweep ---------------------------------------------------------------------------


def _slots(world, endpoint, variant):
    """Each field, argument and URL variable; of the closing grid's many fields, one of each
    kind (they share their parser)."""
    form, query, path = world.baseline(endpoint, variant)
    kinds = {}
    for name in form:
        kinds.setdefault(name.split("_")[0] if CLOSING_FIELD.match(name) else name, name)
    slots = (
        [("form", n) for n in kinds.values()] + [("query", n) for n in query] + [("path", n) for n in path]
    )
    worth = ROUTES[endpoint].variants[variant][1]
    return [slot for slot in slots if worth is None or slot[1] in worth]


def _send(world, endpoint, variant=0, slot=None, value=None, htmx=False):
    world.restore()
    form, query, path = world.baseline(endpoint, variant)
    if slot is not None:
        {"form": form, "query": query, "path": path}[slot[0]][slot[1]] = value
    return world.request(endpoint, form=form, query=query, path=path, htmx=htmx)


SWEPT = sorted(ROUTES)


@pytest.mark.parametrize("endpoint", SWEPT)
def test_each_hostile_value_in_each_field_is_refused_not_a_crash(world, endpoint):
    """Every class of hostile value in every field, query argument and URL variable alone."""
    crashes = []
    for variant in range(len(ROUTES[endpoint].variants)):
        assert _send(world, endpoint, variant) < 500, "the valid request itself fails"
        for slot in _slots(world, endpoint, variant):
            for value in HOSTILE_CLASSES:
                status = _send(world, endpoint, variant, slot, value)
                if status >= 500:
                    crashes.append((variant, slot, value[:30], status))
    assert not crashes, crashes


@pytest.mark.parametrize("endpoint", SWEPT)
@settings(max_examples=25)
@given(data=st.data())
def test_generated_values_in_every_field_never_give_a_5xx(world, endpoint, data):
    """Generated values, several fields at once, as a plain form or through HTMX."""
    variant = data.draw(st.integers(0, len(ROUTES[endpoint].variants) - 1), label="variant")
    form, query, path = world.baseline(endpoint, variant)
    for values in (form, query, path):
        for name in values:
            if data.draw(st.booleans(), label=f"change {name}"):
                values[name] = data.draw(hostile_text(), label=name)
    htmx = data.draw(st.booleans(), label="htmx")
    world.restore()
    status = world.request(endpoint, form=form, query=query, path=path, htmx=htmx)
    assert status < 500, (form, query, path)
