"""The manager's Intégrité screen over HTTP (docs/integrity.md): each chain's count and last
number, « Vérifier maintenant » naming the broken record after an auditor's edit and
journaling the failure (code 90) with who asked; a seller without the right sees nothing."""

import json

from app.extensions import db
from tests.support.auditor import edit_database as _edit
from tests.support.screens import Kiosk
from tests.support.till import sell


def _journal(app, action):
    with app.app_context():
        try:
            return db.session.execute(
                db.text(
                    "SELECT outcome, actor_code, reason, details FROM journal_entry WHERE action = :a ORDER BY id"
                ),
                {"a": action},
            ).all()
        finally:
            db.session.remove()


def _row(page, name):
    """The table line of one chain, as the person reads it."""
    body = page.body
    start = body.index(name)
    return body[start : start + 120]


def test_a_manager_checks_now_and_sees_the_named_problem(app, client, kiosk, till):
    tickets = [sell(kiosk, till, ["Croissant"]) for _ in range(3)]
    manager = Kiosk(app.test_client())
    page = manager.sign_in("/integrite")
    assert "Pas encore vérifiée" in page.body
    assert _row(page, "Tickets").startswith("Tickets 3 3")

    page = manager.post("/integrite")
    assert manager.response.status_code == 200
    assert "Toutes les chaînes sont intègres" in page.body and "Tickets 3 3 intègre" in page.body
    [(outcome, actor, _reason, details)] = _journal(app, "integrity_check")
    assert outcome == "ok" and actor == "RESP01" and json.loads(details)["source"] == "screen"

    _edit(app, "UPDATE payment SET amount_cents = 1 WHERE ticket_id = ?", tickets[1].id)
    page = manager.post("/integrite")
    assert "Chaînes altérées : l'incident est journalisé (code 90)." in page.body
    assert "n°2 : modifié (paiements)" in _row(page, "Tickets")
    [(outcome, actor, reason, _details)] = _journal(app, "integrity_failure")
    assert outcome == "failed" and actor == "RESP01" and reason.startswith("ticket n°2: altered")

    # Opening the screen again shows that last check without redoing it.
    page = manager.open("/integrite")
    assert "n°2 : modifié (paiements)" in page.body
    assert len(_journal(app, "integrity_failure")) == 1


def test_a_seller_without_the_right_is_refused(app, kiosk, till):
    sell(kiosk, till, ["Croissant"])
    kiosk.open("/integrite")
    assert kiosk.response.status_code in (401, 403)
    assert "Tickets" not in kiosk.page.body
    assert _journal(app, "integrity_check") == [] and _journal(app, "integrity_failure") == []
