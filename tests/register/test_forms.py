"""What the forms repeat is written once: the CSRF field, the screen's
tokens, the person and password, the ABC beside a code and the keypad are macros of
app/templates/_forms.html, and every form drawn still carries what the server checks."""

from html.parser import HTMLParser
from pathlib import Path

from tests.support.shop import anonymous, walk

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"

# Markup that only _forms.html writes, and the macro to call instead.
WRITTEN_ONCE = {
    'name="csrf_token"': "csrf_field()",
    'name="screen_token"': "form_tokens(screen_token)",
    'name="password"': "password_field(id) or person_password(prefix, label, people)",
    "letters-for": "password_field(id)",
    'class="keypad"': "keypad()",
}
PANELS = ("pay", "line", "discount", "cancel", "return", "aside", "catalog", "receipt")


def test_what_forms_repeat_is_written_once():
    for path in TEMPLATES.rglob("*.html"):
        if path.name == "_forms.html":
            continue
        text = path.read_text()
        for markup, macro in WRITTEN_ONCE.items():
            assert markup not in text, (
                f"{path.relative_to(TEMPLATES)}: {markup} — use {macro} from _forms.html"
            )


class _Forms(HTMLParser):
    """Per form that posts: its hidden CSRF value; per password field: its label and ABC."""

    def __init__(self):
        super().__init__()
        self.forms, self.labels, self.passwords, self.letters = [], set(), [], set()
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action"), "csrf": None}
            self.forms.append(self._form)
        elif tag == "input" and attrs.get("name") == "csrf_token" and self._form is not None:
            self._form["csrf"] = attrs.get("value")
        elif tag == "input" and attrs.get("type") == "password":
            self.passwords.append(attrs.get("id"))
        if tag == "label":
            self.labels.add(attrs.get("for"))
        if "letters-for" in (attrs.get("class") or ""):
            self.letters.add(attrs.get("data-keyboard-for"))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def test_every_form_drawn_carries_its_token_and_every_code_its_label_and_abc(app, shop):
    seller, rows = shop
    manager = anonymous(app)
    manager.post("/entrer", person="RESP01", password="1234", next="/")
    for _ in range(5):  # someone locked out, so Personnes bloquées draws its unlock form
        manager.post("/caisse/connect", htmx=True, person="VEND01", password="0000")
    seen = {"forms": 0, "passwords": 0}
    for screen in (anonymous(app), seller, manager):
        session_token = screen.page.inputs["csrf_token"]["value"].split(".")[0]
        urls = [
            url
            for endpoint, method, url in walk(app, rows)
            if method == "GET" and endpoint not in ("static", "common.authority_certificate")
        ]
        for url in urls + [f"/vente?panel={panel}" for panel in PANELS]:
            response = screen.client.get(url)
            page = _Forms()
            page.feed(response.get_data(as_text=True))
            for form in page.forms:
                # The session's token, signed again at each drawing (the part before the
                # timestamp is the same).
                assert form["csrf"] and form["csrf"].split(".")[0] == session_token, (url, form["action"])
            for field in page.passwords:
                assert field in page.labels and field in page.letters, (url, field)
            seen["forms"] += len(page.forms)
            seen["passwords"] += len(page.passwords)
    assert seen["forms"] > 50 and seen["passwords"] > 10, seen
