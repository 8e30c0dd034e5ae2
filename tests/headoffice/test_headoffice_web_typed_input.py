"""Hostile input never breaks head office's screens: every route of the blueprint, signed in
as an administrator, with each hostile value in each URL segment, each query argument and
every form field at once. The answer is a page (2xx, 3xx or 4xx with a message), never a 5xx."""

from urllib.parse import quote

import pytest

from tests.support.ho_web import csrf_of
from tests.support.typed_input import HOSTILE_CLASSES

SHOP = {"shop": "BOUTIQUE01"}
# Every screen route, its URL variables with valid values, its query arguments.
ROUTES = {
    "web.sign_in": ({}, {"next": "/"}),
    "web.sign_out": ({}, {}),
    "web.language": ({}, {}),
    "web.home": ({}, {}),
    "web.registers": (SHOP, {}),
    "web.register": ({**SHOP, "code": "CAISSE01"}, {}),
    "web.register_settings": ({**SHOP, "code": "CAISSE01"}, {}),
    "web.register_new": (SHOP, {}),
    "web.z_archive": (SHOP, {"caisse": "CAISSE01", "du": "2026-11-01", "au": "2026-11-30", "page": "0"}),
    "web.shop_summary_screen": (SHOP, {"du": "2026-11-01", "au": "2026-11-30"}),
    "web.shop_summary_download": (SHOP, {"date": "2026-11-20"}),
    "web.z_day": ({**SHOP, "day_uuid": "00000000-0000-4000-8000-000000000001"}, {}),
    "web.staff": (SHOP, {}),
    "web.staff_create": (SHOP, {}),
    "web.person": ({**SHOP, "code": "VEND01"}, {}),
    "web.person_code": ({**SHOP, "code": "VEND01"}, {}),
    "web.person_rights": ({**SHOP, "code": "VEND01"}, {}),
    "web.person_active": ({**SHOP, "code": "VEND01"}, {}),
    "web.tokens": (SHOP, {}),
    "web.token_revoke": ({**SHOP, "token_id": "1"}, {}),
    "web.users": ({}, {}),
    "web.user_create": ({}, {}),
    "web.user_change": ({"user_id": "1"}, {}),
    "web.user_password": ({"user_id": "1"}, {}),
    "web.audit": ({}, {"qui": "admin", "avant": "10"}),
    "web.vat": (SHOP, {}),
    "web.vat_create": (SHOP, {}),
    "web.vat_change": ({**SHOP, "code": "TVA20"}, {}),
    "web.categories": (SHOP, {}),
    "web.category_create": (SHOP, {}),
    "web.category_change": ({**SHOP, "code": "BOUL"}, {}),
    "web.methods": (SHOP, {}),
    "web.method_create": (SHOP, {}),
    "web.method_change": ({**SHOP, "code": "ESP"}, {}),
    "web.products_search": (SHOP, {"q": "bag"}),
    "web.product": ({**SHOP, "code": "BOUL001"}, {}),
    "web.product_price": ({**SHOP, "code": "BOUL001"}, {}),
    "web.product_active": ({**SHOP, "code": "BOUL001"}, {}),
    "web.barcode_add": ({**SHOP, "code": "BOUL001"}, {}),
    "web.barcode_remove": ({**SHOP, "code": "BOUL001"}, {}),
}
# Every field name a screen's form sends.
FIELDS = (
    "login", "password", "lang", "back", "code", "name", "secret", "confirm", "rights", "active",
    "label", "role", "rate", "parent", "position", "color", "price", "barcode", "max_float",
    "max_discount", "receipt_header", "receipt_footer", "auto_close_time", "planned_import_time",
    "counting_mandatory", "blind_count", "gives_change", "counted_in_drawer", "goes_to_safe",
    "counted_as_items", "store_credit",
)  # fmt: skip


@pytest.fixture
def admin_crash_client(ho_app, ho_web):
    ho_app.config["PROPAGATE_EXCEPTIONS"] = False  # a crash answers 500, counted below
    return ho_web("administrator")


def _url(ho_app, endpoint, path, query):
    rule = next(ho_app.url_map.iter_rules(endpoint))
    url = rule.rule
    for name, value in path.items():
        url = url.replace(f"<{name}>", quote(value, safe="")).replace(f"<int:{name}>", quote(value, safe=""))
    if query:
        url += "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items())
    return url, "POST" in rule.methods


def test_every_screen_route_is_swept(ho_app):
    screens = {rule.endpoint for rule in ho_app.url_map.iter_rules() if rule.endpoint.startswith("web.")}
    assert screens == ROUTES.keys()
    for rule in ho_app.url_map.iter_rules():
        if rule.endpoint in ROUTES:
            assert set(rule.arguments) == set(ROUTES[rule.endpoint][0]), rule.rule


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_hostile_segments_arguments_and_fields_never_crash_a_screen(ho_app, admin_crash_client, endpoint):
    client = admin_crash_client
    path, query = ROUTES[endpoint]
    token = csrf_of(client.get("/boutique/BOUTIQUE01/caisses"))
    crashes = []

    def call(path_values, query_values, form):
        url, posts = _url(ho_app, endpoint, path_values, query_values)
        if posts and endpoint not in ("web.sign_in", "web.sign_out", "web.language"):
            response = client.post(url, data={"csrf_token": token, **form})
        else:
            response = client.get(url)
        response.close()
        return response.status_code

    for value in HOSTILE_CLASSES:
        for name in path:
            if call({**path, name: value}, query, {}) >= 500:
                crashes.append((name, value[:20]))
        for name in query:
            if call(path, {**query, name: value}, {}) >= 500:
                crashes.append((name, value[:20]))
        if call(path, query, {field: value for field in FIELDS}) >= 500:
            crashes.append(("form", value[:20]))
    assert not crashes, crashes
