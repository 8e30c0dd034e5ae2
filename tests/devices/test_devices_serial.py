"""The serial path (pyserial through python-escpos) on a pseudo-terminal: what the worker
sends comes out on the other end as a receipt with its euro sign, cut once."""

import os
import select as os_select

from sqlalchemy import select

from app.devices.queue import enqueue
from app.extensions import db
from app.models import PrintJob
from tests.support.documents import receipt
from tests.support.escpos_decoder import decode


def read_all(fd) -> bytes:
    data = b""
    while os_select.select([fd], [], [], 0.5)[0]:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        data += chunk
    return data


def test_a_receipt_goes_out_on_a_serial_line(app, worker):
    controller, line = os.openpty()
    try:
        enqueue(db.session, "receipt", receipt(), idempotency_key="serial-1")
        db.session.commit()
        worker({"kind": "serial", "device": os.ttyname(line), "baudrate": 19200, "status": False}).tick()
        db.session.expire_all()
        assert db.session.scalar(select(PrintJob.state)) == "printed"
        paper = decode(read_all(controller))
        assert "16,40 €" in paper.text and paper.count("cut") == 1
    finally:
        os.close(controller)
        os.close(line)
