"""Payloads as the selling and closing services build them (the contract of app/devices)."""


def receipt(number=42, total_cents=1640, kind="sale", uuid="5b0c4c2e-0000-4000-8000-000000000042"):
    sign = -1 if kind == "return" else 1
    return {
        "shop": {
            "name": "Boutique Démo",
            "address": "1 rue de la Paix\n75002 Paris",
            "vat_number": "FR00123456789",
        },
        "terminal": "WEB01",
        "device_name": "FF Gui",
        "register_code": "CAISSE01",
        "timezone": "Europe/Paris",
        "ticket": {
            "uuid": uuid,
            "number": number,
            "kind": kind,
            "finished_at": "2026-11-23T10:15:00Z",
            "seller_name": "Vendeur1 De Caisse",
            "original_number": 41 if kind == "return" else None,
            "lines": [
                {
                    "label": "Baguette tradition",
                    "quantity_milli": 2000 * sign,
                    "unit": "unit",
                    "unit_price_cents": 120,
                    "discount_cents": 0,
                    "total_cents": 240 * sign,
                    "vat_rate_bp": 550,
                },
                {
                    "label": "Comté affiné 18 mois",
                    "quantity_milli": 500 * sign,
                    "unit": "kg",
                    "unit_price_cents": 2800,
                    "discount_cents": 0,
                    "total_cents": 1400 * sign,
                    "vat_rate_bp": 550,
                },
            ],
            "discount_cents": 0,
            "total_cents": total_cents * sign,
            "taxes": [
                {
                    "rate_bp": 550,
                    "base_cents": 1554 * sign,
                    "tax_cents": 86 * sign,
                    "total_cents": 1640 * sign,
                }
            ],
            "payments": [
                {
                    "method_name": "Espèces",
                    "amount_cents": total_cents * sign,
                    "tendered_cents": 2000 if kind == "sale" else None,
                    "change_cents": 360 if kind == "sale" else None,
                    "reference": None,
                }
            ],
        },
    }


def z_report():
    return {
        "title": "TICKET Z n° 7",
        "subtitle_lines": ["Journée du 23/11/2026"],
        "terminal": "WEB01",
        "device_name": "FF Gui",
        "register_code": "CAISSE01",
        "timezone": "Europe/Paris",
        "printed_at": "2026-11-23T18:30:00Z",
        "sections": [
            {"title": "Ventes", "rows": [["Tickets", "12"], ["Total TTC", "164,00 €"]]},
            {"title": None, "rows": [["Grand total perpétuel", "12 345,67 €"]]},
        ],
        "footer_lines": ["Clôture par Responsable1"],
    }
