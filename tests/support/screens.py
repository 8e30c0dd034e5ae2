"""Reading the screens as a person does, through the Flask test client: which buttons are
there and enabled, what the messages say, and posting forms with their hidden tokens."""

from html.parser import HTMLParser

from app.extensions import db
from app.models import RegisterDay, SellerSession
from app.services.lifecycle import register_state
from tests.support.helpers import dump_database, journal


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.buttons: dict[str, bool] = {}
        self.inputs: dict[str, dict] = {}
        self.selects: dict[str, dict] = {}
        self.messages: list[str] = []
        self.text: list[str] = []
        self._button = None
        self._message = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "button":
            self._button = {"disabled": "disabled" in attrs, "text": ""}
        elif tag == "input" and attrs.get("name"):
            attrs["disabled"] = "disabled" in attrs
            self.inputs.setdefault(attrs["name"], attrs)
        elif tag == "select":
            self._select = {
                "disabled": "disabled" in attrs,
                "options": [],
                "name": attrs.get("name"),
                "id": attrs.get("id"),
            }
            self.selects[attrs.get("id") or attrs.get("name")] = self._select
        elif tag == "option" and self._select is not None:
            self._select["options"].append(attrs.get("value"))
        elif tag == "p" and "message" in (attrs.get("class") or ""):
            self._message = ""

    def handle_endtag(self, tag):
        if tag == "button" and self._button is not None:
            self.buttons[self._button["text"].strip()] = not self._button["disabled"]
            self._button = None
        elif tag == "p" and self._message is not None:
            self.messages.append(" ".join(self._message.split()))
            self._message = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._button is not None:
            self._button["text"] += data
        if self._message is not None:
            self._message += data
        self.text.append(data)


def read(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.body = " ".join(" ".join(page.text).split())
    return page


class Kiosk:
    """One screen (the kiosk, or a tablet): keeps its cookies and the last page it drew."""

    def __init__(self, client):
        self.client = client
        self.page = None
        self.response = None

    def open(self, url="/"):
        self.response = self.client.get(url, follow_redirects=True)
        self.page = read(self.response.get_data(as_text=True))
        return self.page

    def post(self, url, htmx=False, follow=True, **fields):
        """Post the form fields with the page's CSRF and screen tokens, as the browser would."""
        data = {"csrf_token": self.page.inputs["csrf_token"]["value"]}
        if "screen_token" in self.page.inputs:
            data["screen_token"] = self.page.inputs["screen_token"]["value"]
        data.update({k: v for k, v in fields.items() if v is not None})
        headers = {"HX-Request": "true", "HX-Current-URL": "http://localhost/"} if htmx else {}
        self.response = self.client.post(
            url, data=data, headers=headers, follow_redirects=follow and not htmx
        )
        html = self.response.get_data(as_text=True)  # closed by the client, as a server does
        if not htmx:
            self.page = read(html)
        return read(html)

    def sign_in(self, url, person="RESP01", password="1234"):
        """A page that needs a right: refused with the sign-in form, the person chooses
        themselves, types their code (S'identifier) and lands on the page."""
        self.open(url)
        assert self.response.status_code in (401, 403), self.response.status_code
        assert "S'identifier" in self.page.buttons, self.page.body
        page = self.post("/entrer", person=person, password=password, next=url)
        assert self.response.status_code == 200 and self.response.request.path == url.split("?")[0], (
            page.messages
        )
        return page


class Database:
    """Looks at the box's database the way a test must while screens run: each look in its
    own app context, so no request shares the test's session, `g` or CSRF token."""

    def __init__(self, app):
        self.app = app

    def _run(self, work):
        with self.app.app_context():
            try:
                return work()
            finally:
                db.session.remove()

    def state(self):
        return self._run(lambda: register_state(db.session).code)

    def dump(self):
        return self._run(dump_database)

    def days(self):
        return self._run(
            lambda: [
                (d.number, d.opening_float_cents, d.opened_at)
                for d in db.session.scalars(db.select(RegisterDay))
            ]
        )

    def sellers(self):
        return self._run(
            lambda: [(s.staff_code, s.disconnected_at) for s in db.session.scalars(db.select(SellerSession))]
        )

    def journal(self, action=None, outcome=None):
        return self._run(lambda: journal(action, outcome))


def close_on_screen(kiosk, person="RESP01", password="1234", **fields):
    """Fermer la caisse then Valider la fermeture, as a manager does on the screen."""
    kiosk.open("/caisse")
    kiosk.post("/caisse/close", person=person, password=password)
    if kiosk.response.request.path != "/fermeture":
        return kiosk.page
    seen = kiosk.page.inputs["seen"]["value"]
    return kiosk.post("/fermeture", person=person, password=password, seen=seen, **fields)
