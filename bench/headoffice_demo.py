"""The reference head office with the demo shop, in-process, for the benchmarks that import
or export (run beside them: `python bench/<script>.py` puts this folder on the path)."""

from pathlib import Path

import httpx


def headoffice_transport(folder: Path) -> httpx.WSGITransport:
    from headoffice import create_app as create_headoffice

    ho = create_headoffice({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'ho.sqlite'}"})
    runner = ho.test_cli_runner()
    runner.invoke(args=["init-db"])
    runner.invoke(args=["load-demo"])
    return httpx.WSGITransport(app=ho)
