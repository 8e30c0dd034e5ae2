"""What a serving process does once it has loaded everything it will keep."""

import gc
import itertools

# A worker's first requests build what it then keeps: each page's compiled template,
# SQLAlchemy's compiled statements, the translations, the staff list.
WARM_UP_REQUESTS = 200


def freeze_startup_objects() -> None:
    """The app, its catalogs and templates live as long as the process: move them out of the
    collector's sight, so that a full collection walks only what requests create. Without
    it one full collection paused a Connecter for 60 ms on the development machine (bench/
    screens.py), several times that on a Raspberry Pi."""
    gc.collect()
    gc.freeze()


def freeze_again_after_warm_up(app, requests: int = WARM_UP_REQUESTS) -> None:
    """What the first requests built lands in the oldest generation, where every full
    collection walks it again: 4 ms a collection on the development machine, several per
    thousand requests — most of a list page's p99 (bench/cash_documents.py). So once the
    worker has served `requests`, that is frozen too, after the response is sent. Once only:
    what a later freeze caught in a cycle could never be collected."""
    served = itertools.count(1)

    def freeze_once(response):
        if next(served) == requests:
            response.call_on_close(freeze_startup_objects)
        return response

    app.after_request(freeze_once)
