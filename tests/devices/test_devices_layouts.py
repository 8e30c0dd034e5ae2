"""One layout per document, rendered to ESC/POS and to text from the same elements."""

import pytest

from app.devices.document import columns_for
from app.devices.layouts import LayoutError, build
from app.devices.render import render_bytes, render_text
from tests.support.documents import receipt, z_report
from tests.support.escpos_decoder import decode

CONFIG = {"PRINTER_PAPER_MM": 80, "PRINTER_COLUMNS": None, "DRAWER_PIN": 2, "PRINTER": {}}


def printed(kind, payload, copy_number=0, **config):
    data = render_bytes(kind, payload, copy_number, config={**CONFIG, **config})
    return data, decode(data)


def test_a_receipt_says_the_total_in_euros_and_cuts_once():
    data, paper = printed("receipt", receipt())
    assert "16,40 €" in paper.text
    assert "TOTAL" in paper.text and "Ticket n° 42" in paper.text
    assert "Baguette tradition" in paper.text and "0,500 kg x 28,00 €/kg" in paper.text
    assert "Rendu" in paper.text and "3,60 €" in paper.text
    assert "23/11/2026 11:15" in paper.text  # 10:15 UTC shown in Paris time
    assert paper.count("cut") == 1 and paper.count("kick") == 0


def test_the_euro_sign_is_cp858_after_every_init():
    data, paper = printed("receipt", receipt())
    assert b"\xd5" in data  # € in CP858
    names = paper.names()
    for index, name in enumerate(names):
        if name == "init":
            assert paper.commands[index + 1] == ("codepage", 19)
    assert paper.count("init") == 1


def test_paper_and_screen_show_the_same_lines():
    text = render_text("receipt", receipt(), config=CONFIG)
    _, paper = printed("receipt", receipt())
    # Double-size lines are centred on screen; every other line is character for character.
    single = [line for line in text.splitlines() if not line.startswith("✂")]
    assert [line.strip() for line in paper.lines if line.strip()] == [
        line.strip() for line in single if line.strip()
    ]
    assert all(len(line) <= 48 for line in text.splitlines())


@pytest.mark.parametrize("paper_mm, columns", [(58, 32), (80, 48)])
def test_lines_fit_the_paper(paper_mm, columns):
    assert columns_for(paper_mm) == columns
    _, paper = printed("receipt", receipt(), PRINTER_PAPER_MM=paper_mm)
    assert max(len(line) for line in paper.lines) == columns
    assert "16,40 €" in paper.text


def test_forced_columns_win_over_the_paper_width():
    assert columns_for(80, 42) == 42
    text = render_text("receipt", receipt(), config={**CONFIG, "PRINTER_COLUMNS": 42})
    assert max(len(line) for line in text.splitlines()) == 42


def test_a_return_shows_negative_amounts_and_the_original_ticket():
    _, paper = printed("receipt", receipt(kind="return"))
    assert "RETOUR n° 42" in paper.text and "Retour du ticket n° 41" in paper.text
    assert "-16,40 €" in paper.text


def test_an_issued_credit_note_prints_its_code_as_a_barcode():
    payload = receipt(kind="return")
    payload["ticket"]["payments"] = [
        {
            "method_name": "Avoir",
            "amount_cents": -1640,
            "reference": "9912345678909",
            "credit_note": {"code": "9912345678909", "left_cents": 1640, "expires_on": "2027-11-23"},
        }
    ]
    _, paper = printed("receipt", payload)
    assert ("barcode", 2, "9912345678909") in paper.commands  # EAN-13
    assert "AVOIR n° 9912345678909" in paper.text and "Valable jusqu'au 23/11/2027" in paper.text
    text = render_text("receipt", payload, config=CONFIG)
    assert [line.strip() for line in paper.lines if line.strip()] == [
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("✂")
    ]


def test_a_credit_note_spent_shows_what_is_left_on_it():
    payload = receipt()
    payload["ticket"]["payments"] = [
        {
            "method_name": "Avoir",
            "amount_cents": 1640,
            "reference": "9912345678909",
            "credit_note": {"code": "9912345678909", "left_cents": 360, "expires_on": "2027-11-23"},
        }
    ]
    _, paper = printed("receipt", payload)
    assert "Avoir n° 9912345678909" in paper.text
    assert any("Reste sur l'avoir" in line and line.endswith("3,60 €") for line in paper.lines)
    assert paper.count("barcode") == 0


def test_a_copy_is_marked_duplicata_with_its_number():
    _, paper = printed("receipt", receipt(), copy_number=2)
    assert paper.text.count("DUPLICATA n°2") == 2  # at the top and at the bottom
    _, original = printed("receipt", receipt())
    assert "DUPLICATA" not in original.text


def test_a_document_sent_again_after_a_crash_says_so():
    data = render_bytes("receipt", receipt(), interrupted=True, config=CONFIG)
    assert "REIMPRESSION APRES INCIDENT" in decode(data).text


def test_z_ticket_cash_and_count_share_the_report_layout():
    for kind in ("z_report", "cash", "count"):
        _, paper = printed(kind, z_report())
        assert "TICKET Z n° 7" in paper.text and "12 345,67 €" in paper.text
        assert "Imprimé le 23/11/2026 19:30" in paper.text
        assert paper.count("cut") == 1


def test_the_drawer_is_one_kick_and_nothing_printed():
    _, paper = printed("drawer", {"reason": "sale"})
    assert paper.count("kick") == 1 and paper.commands[-1] == ("kick", 0, 50, 50)
    assert paper.count("cut") == 0 and paper.text == ""


def test_an_unreadable_payload_is_a_layout_error():
    with pytest.raises(LayoutError):
        build("receipt", {"shop": {}})
    with pytest.raises(LayoutError):
        build("poster", {})


def test_the_test_page_shows_the_euro_and_the_identity():
    payload = {
        "terminal": "WEB01",
        "device_name": "FF Gui",
        "register_code": "CAISSE01",
        "timezone": "Europe/Paris",
        "printed_at": "2026-11-23T10:00:00Z",
        "columns": 48,
        "printer": "usb 04b8:0202",
    }
    _, paper = printed("test", payload)
    assert "16,40 €" in paper.text and "Terminal WEB01 (FF Gui)" in paper.text
    assert "é è ê à ç" in paper.text
