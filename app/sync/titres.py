"""Titres-service at import: the issuers' numbering schemes and the numbers head office
knows were used replace the box's (docs/sync.md). What this box used itself is not copied
here: it stays in its payments, which the check reads too (app/services/selling/titres.py)."""

from datetime import datetime

from app.database import sql_time


def replace_titres(cursor, snapshot: dict) -> None:
    cursor.execute("DELETE FROM titre_service_issuer")
    cursor.executemany(
        "INSERT INTO titre_service_issuer (code, method_code, name, mask, grace_days) VALUES (?, ?, ?, ?, ?)",
        [
            (issuer["code"], method["code"], issuer["name"], issuer["mask"], issuer["grace_days"])
            for method in snapshot["payment_methods"]
            if method.get("is_titre_service")
            for issuer in method.get("titre_service_issuers") or ()
        ],
    )
    cursor.execute("DELETE FROM titre_service_used")
    cursor.executemany(
        "INSERT INTO titre_service_used (number, issuer_code, register_code, used_at, valid_until)"
        " VALUES (?, ?, ?, ?, ?)",
        [
            (
                titre["number"],
                titre["issuer_code"],
                titre.get("register_code"),
                _time(titre.get("used_at")),
                titre["valid_until"],
            )
            for titre in snapshot.get("titres_service_used") or ()
        ],
    )


def _time(text):
    if not text:
        return None
    return sql_time(datetime.fromisoformat(text.replace("Z", "+00:00")))
