"""What a serving process does once it has loaded everything it will keep."""

import gc


def freeze_startup_objects() -> None:
    """The app, its catalogs and templates live as long as the process: move them out of the
    collector's sight, so that a full collection walks only what requests create. Without
    it one full collection paused a Connecter for 60 ms on the development machine (bench/
    screens.py), several times that on a Raspberry Pi."""
    gc.collect()
    gc.freeze()
