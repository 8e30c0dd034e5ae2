"""The registers dashboard and the Z archive, from what the boxes really sent through the API:
last import and export, refused batches, missing days, offline periods, integrity; every
filter's bad input gets a message."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from headoffice.chains import flag_register
from headoffice.extensions import db
from headoffice.integrity import IntegrityRefused
from headoffice.models import Register, RegisterContact
from headoffice.timeutil import utcnow

SHOP = "/boutique/BOUTIQUE01"
SNAPSHOT = "/api/v1/registers/CAISSE01/snapshot"


def _row(page: str, code: str) -> str:
    """The dashboard's row of one register, as text."""
    start = page.index(f">{code}</a>")
    return page[start : page.index("</tr>", start)]


def _send(ho_api, ho_export_path, batch, status=201):
    response = ho_api.put(ho_export_path(batch), json=batch)
    assert response.status_code == status, response.json
    return response


def test_a_register_that_never_called_shows_never(ho_web):
    page = ho_web("viewer").get(f"{SHOP}/caisses").get_data(as_text=True)
    row = _row(page, "CAISSE02")
    assert row.count("jamais") == 2 and "Non signée" in row


def test_last_import_and_export_come_from_the_boxes_calls(ho_web, ho_api, ho_batch, ho_export_path):
    ho_api.get(SNAPSHOT)
    _send(ho_api, ho_export_path, ho_batch("a"))

    row = _row(ho_web("viewer").get(f"{SHOP}/caisses").get_data(as_text=True), "CAISSE01")

    assert "jamais" not in row
    assert "CAISSE02" in ho_web("manager").get(f"{SHOP}/caisses").get_data(as_text=True)


def test_a_refused_batch_shows_until_it_is_received(ho_web, ho_api, ho_batch, ho_export_path):
    _send(ho_api, ho_export_path, ho_batch("a"))
    conflicting = ho_batch("a", batch_id="00000000-0000-4000-8000-000000000001")
    conflicting["days"][0]["sales_total_cents"] += 1  # same day, other content
    _send(ho_api, ho_export_path, conflicting, status=409)
    viewer = ho_web("viewer")

    page = viewer.get(f"{SHOP}/caisses/CAISSE01").get_data(as_text=True)

    assert "00000000-0000-4000-8000-000000000001" in page and "day_conflict" in page
    assert '<span class="bad">1</span>' in _row(
        viewer.get(f"{SHOP}/caisses").get_data(as_text=True), "CAISSE01"
    )


def test_days_missing_between_those_received_are_counted(ho_web, ho_api, ho_batch, ho_export_path):
    _send(ho_api, ho_export_path, ho_batch("a"))  # days 1 and 2
    later = ho_batch("c")
    for day, number in zip(later["days"], (5, 6)):
        day["number"] = number
    _send(ho_api, ho_export_path, later)

    page = ho_web("viewer").get(f"{SHOP}/caisses/CAISSE01").get_data(as_text=True)

    assert "<dt>Journées manquantes</dt><dd>2</dd>" in page


def test_offline_periods_are_the_long_silences(ho_app, ho_web):
    now = utcnow()
    with ho_app.app_context():
        register_id = db.session.scalar(select(Register.id).where(Register.code == "CAISSE01"))
        for hours_ago in (100, 99, 40, 39):  # a 59-hour silence, then nothing for 39 hours
            db.session.add(
                RegisterContact(
                    register_id=register_id, at=now - timedelta(hours=hours_ago), kind="import", status=200
                )
            )
        db.session.commit()
    viewer = ho_web("viewer")

    page = viewer.get(f"{SHOP}/caisses/CAISSE01").get_data(as_text=True)
    overview = _row(viewer.get(f"{SHOP}/caisses").get_data(as_text=True), "CAISSE01")

    section = page[page.index("Périodes hors ligne") :]
    assert section.count("<li>") == 2 and "maintenant" in section
    assert "depuis le" in overview


def test_a_broken_chain_shows_with_its_reason(ho_app, ho_web):
    with ho_app.app_context():
        register_id = db.session.scalar(select(Register.id).where(Register.code == "CAISSE01"))
        flag_register(register_id, IntegrityRefused("chain_fork", "n°7 differs"), "batch-x")
    viewer = ho_web("viewer")

    row = _row(viewer.get(f"{SHOP}/caisses").get_data(as_text=True), "CAISSE01")
    page = viewer.get(f"{SHOP}/caisses/CAISSE01").get_data(as_text=True)

    assert "Chaîne rompue" in row and "chain_fork" in row
    assert "n°7 differs" in page


def test_the_z_archive_lists_every_day_received_and_opens_one(ho_web, ho_api, ho_batch, ho_export_path):
    batch = ho_batch("a")
    _send(ho_api, ho_export_path, batch)
    viewer = ho_web("viewer")

    listing = viewer.get(f"{SHOP}/z").get_data(as_text=True)
    filtered = viewer.get(f"{SHOP}/z?caisse=CAISSE02").get_data(as_text=True)
    dated = viewer.get(f"{SHOP}/z?du=2026-11-21&au=2026-11-21").get_data(as_text=True)
    day = viewer.get(f"{SHOP}/z/{batch['days'][0]['uuid']}").get_data(as_text=True)

    assert "Z 1" in listing and "Z 2" in listing and "16,56" in listing
    assert "Aucune journée reçue." in filtered
    assert "Z 2" in dated and "Z 1" not in dated
    assert "Z n° 1 de la caisse CAISSE01" in day and "155,45" in day


@pytest.mark.parametrize(
    "query, words",
    [
        ("du=2026-11-21&au=2026-11-20", "La date de fin est avant la date de début."),
        ("du=2024-01-01&au=2026-01-01", "Une recherche couvre au plus 366 jours."),
        ("du=2026-13-01", "choisissez une date du calendrier"),
        ("caisse=NOPE", "Caisse inconnue : NOPE."),
    ],
)
def test_a_bad_z_archive_filter_gets_a_message(ho_web, query, words):
    response = ho_web("viewer").get(f"{SHOP}/z?{query}")
    assert response.status_code == 422 and words in response.get_data(as_text=True)


def test_an_unknown_day_or_shop_is_not_found(ho_web):
    viewer = ho_web("viewer")
    assert viewer.get(f"{SHOP}/z/00000000-0000-4000-8000-000000000009").status_code == 404
    missing_shop = viewer.get("/boutique/NOPE/caisses")
    assert missing_shop.status_code == 404 and "Boutique inconnue : NOPE." in missing_shop.get_data(
        as_text=True
    )


def test_contacts_of_an_unknown_register_or_token_are_not_recorded(ho_app, ho_client, ho_count):
    ho_client.get("/api/v1/registers/NOPE/snapshot", headers={"Authorization": "Bearer demo-box-token"})
    ho_client.get(SNAPSHOT, headers={"Authorization": "Bearer wrong"})
    assert ho_count(RegisterContact) == 0
