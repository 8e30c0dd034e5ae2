"""The Imprimante screen and the printer in the status strip, over HTTP as a manager uses
them: Réimprimer (DUPLICATA), Réessayer, Ouvrir le tiroir, and the refusals."""

import re
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from app.devices.queue import enqueue
from app.devices.worker import Worker
from app.extensions import db
from app.models import PrintJob, VirtualPrint
from tests.support.documents import receipt
from tests.support.helpers import dump_database, journal
from tests.support.screens import Kiosk, read


def look(app, work):
    with app.app_context():
        try:
            return work()
        finally:
            db.session.remove()


def turn(app, times=1):
    """The device worker, as `printer serve` runs it, for a few turns."""

    def run():
        worker = Worker(app)
        worker.start()
        for _ in range(times):
            worker.tick()

    look(app, run)


@pytest.fixture
def printed(imported):
    def setup():
        enqueue(db.session, "receipt", receipt(), idempotency_key="k1", document_uuid="doc-1")
        db.session.commit()

    look(imported, setup)
    turn(imported)
    return imported


@pytest.fixture
def kiosk(imported, client):
    """The printer screen, the manager signed in to see it."""
    screen = Kiosk(client)
    screen.sign_in("/imprimante")
    return screen


def jobs(app):
    return look(
        app,
        lambda: [
            (j.kind, j.state, j.copy_number)
            for j in db.session.scalars(select(PrintJob).order_by(PrintJob.id))
        ],
    )


def test_the_status_strip_shows_the_printer_and_the_queue(imported, client):
    page = Kiosk(client).open("/")
    assert "Service d'impression arrêté" in page.body
    look(
        imported,
        lambda: (enqueue(db.session, "receipt", receipt(), idempotency_key="k1"), db.session.commit()),
    )
    page = read(client.get("/status").get_data(as_text=True))
    assert "1 en attente" in page.body
    turn(imported)
    page = read(client.get("/status").get_data(as_text=True))
    assert "Imprimante virtuelle" in page.body and "en attente" not in page.body


def test_the_strip_speaks_english_too(imported, client):
    kiosk = Kiosk(client)
    kiosk.open("/")
    kiosk.post("/lang", lang="en", next="/")
    turn(imported)
    assert "Virtual printer" in kiosk.open("/").body


def test_the_printer_screen_lists_jobs_and_shows_the_virtual_output(printed, kiosk):
    page = kiosk.open("/imprimante")
    assert "Ticket" in page.body and "Imprimé" in page.body
    assert page.buttons.get("Réimprimer") and page.buttons.get("Ouvrir le tiroir")
    html = kiosk.response.get_data(as_text=True)
    assert '<pre class="receipt"' in html and "16,40 €" in html


def test_reprint_on_screen_gives_a_duplicata(printed, kiosk):
    [uuid] = look(printed, lambda: db.session.scalars(select(PrintJob.uuid)).all())
    page = kiosk.post("/imprimante/reimprimer", job=uuid, person="RESP01", password="1234")
    assert "Duplicata 1 envoyé à l'imprimante." in page.messages
    turn(printed)
    assert jobs(printed) == [("receipt", "printed", 0), ("receipt", "printed", 1)]
    texts = look(
        printed, lambda: db.session.scalars(select(VirtualPrint.text).order_by(VirtualPrint.id)).all()
    )
    assert "DUPLICATA n°1" in texts[-1]


def test_reprint_with_a_wrong_password_changes_nothing(printed, kiosk):
    [uuid] = look(printed, lambda: db.session.scalars(select(PrintJob.uuid)).all())
    before = look(printed, dump_database)
    page = kiosk.post("/imprimante/reimprimer", htmx=True, job=uuid, person="RESP01", password="9999")
    assert kiosk.response.status_code == 403 and page.messages == ["Mot de passe incorrect."]
    assert look(printed, dump_database) == before
    assert look(printed, lambda: journal("reprint", "refused"))


def test_open_the_drawer_needs_the_right(printed, kiosk):
    page = kiosk.post("/imprimante/tiroir", person="VEND01", password="1111")
    assert any("n'a pas le droit" in m for m in page.messages)
    assert jobs(printed) == [("receipt", "printed", 0)]
    page = kiosk.post("/imprimante/tiroir", person="RESP01", password="1234")
    assert "Ouverture du tiroir demandée." in page.messages
    assert jobs(printed)[-1] == ("drawer", "queued", 0)
    assert look(printed, lambda: journal("open_drawer", "ok"))


def test_retry_a_failed_job_on_screen(imported, kiosk):
    look(
        imported,
        lambda: (enqueue(db.session, "receipt", {"shop": {}}, idempotency_key="bad"), db.session.commit()),
    )
    turn(imported)
    page = kiosk.open("/imprimante")
    assert page.buttons.get("Réessayer") and "En échec" in page.body
    [uuid] = look(imported, lambda: db.session.scalars(select(PrintJob.uuid)).all())
    page = kiosk.post("/imprimante/reessayer", job=uuid)
    assert "Le document est remis dans la file d'impression." in page.messages
    assert jobs(imported) == [("receipt", "queued", 0)]


def test_the_preview_of_a_job(printed, client):
    [uuid] = look(printed, lambda: db.session.scalars(select(PrintJob.uuid)).all())
    Kiosk(client).sign_in(f"/imprimante/travaux/{uuid}")
    html = client.get(f"/imprimante/travaux/{uuid}").get_data(as_text=True)
    assert '<pre class="receipt"' in html and "16,40 €" in html and "Boutique Démo" in html
    assert client.get("/imprimante/travaux/nope").status_code == 404


def back_link(kiosk) -> str:
    """Where the printer screen's « ‹ Retour » leads."""
    html = kiosk.response.get_data(as_text=True)
    return re.search(r'href="([^"]*)">‹ Retour</a>', html).group(1)


@pytest.mark.parametrize(
    "given, back",
    [
        ("/vente", "/vente"),
        ("/journees/some-day", "/journees/some-day"),
        ("", "/"),
        ("//elsewhere.example/x", "/"),
        ("https://elsewhere.example/", "/"),
        ("/\\elsewhere.example", "/"),
        ("/\t/elsewhere.example", "/"),  # a browser drops the tab: //elsewhere.example
    ],
)
def test_the_printer_screen_goes_back_where_it_was_opened_from(imported, kiosk, given, back):
    kiosk.open("/imprimante?" + urlencode({"retour": given}))
    assert back_link(kiosk) == back  # never to another site


def test_the_status_strip_opens_the_printer_with_the_way_back(imported, kiosk):
    kiosk.open("/")
    assert 'href="/imprimante?retour=/"' in kiosk.response.get_data(as_text=True)
    html = kiosk.client.get(
        "/status", headers={"HX-Request": "true", "HX-Current-URL": "http://box/journees"}
    ).get_data(as_text=True)
    assert 'href="/imprimante?retour=/journees"' in html


def test_after_an_action_or_a_refusal_the_way_back_stays(printed, kiosk):
    kiosk.open("/imprimante?retour=/caisse")
    kiosk.post("/imprimante/tiroir", person="RESP01", password="1234", retour="/caisse")
    assert kiosk.response.request.path == "/imprimante" and back_link(kiosk) == "/caisse"
    page = kiosk.post("/imprimante/tiroir", person="RESP01", password="9999", retour="/caisse")
    assert "Mot de passe incorrect." in page.messages and back_link(kiosk) == "/caisse"
