"""The register app the benchmarks measure: on a fresh database in a folder of its own, as
a technician's box would start (bench/screens.py, bench/list_bench.py)."""

import os
import tempfile
from pathlib import Path

from app import create_app


def box_app(transport, **config):
    """The app and its folder; `transport` is head office's (or a function of the folder that
    makes it), `config` what a benchmark sets besides."""
    folder = Path(tempfile.mkdtemp())
    os.environ["COMPTOIR_INSTANCE"] = str(folder)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'box.sqlite'}",
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "HEADOFFICE_TOKEN": "demo-box-token",
            "HEADOFFICE_TRANSPORT": transport(folder) if callable(transport) else transport,
            **config,
        }
    )
    return app, folder
