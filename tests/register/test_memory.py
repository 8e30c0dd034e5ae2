"""A serving worker keeps out of the collector's sight what it built at its first requests
(app/memory.py): frozen once, after the response of its warm-up's last request."""

import gc

from app.memory import freeze_again_after_warm_up


def test_what_the_first_requests_built_is_frozen_once(app):
    freeze_again_after_warm_up(app, requests=3)
    client = app.test_client()  # buffered: each response closed once read, as gunicorn does
    try:
        start = gc.get_freeze_count()
        for _ in range(2):
            assert client.get("/healthz", buffered=True).status_code == 200
        assert gc.get_freeze_count() == start  # still warming up
        client.get("/healthz", buffered=True)
        frozen = gc.get_freeze_count()
        assert frozen > start
        for _ in range(3):
            client.get("/healthz", buffered=True)
        assert gc.get_freeze_count() <= frozen  # once only (frozen objects still die)
    finally:
        gc.unfreeze()  # the rest of the test run collects as usual
