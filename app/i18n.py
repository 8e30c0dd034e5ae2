"""French first, English second: the person's choice is kept in the session."""

from flask import current_app, has_request_context, session
from jinja2 import pass_eval_context
from markupsafe import Markup


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_i18n(app, babel) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.context_processor(_template_helpers)


def _template_helpers():
    """The catalog is looked up once per render instead of once per string (a page has
    dozens): Flask-Babel's own template gettext finds the locale and domain on every call."""
    from flask_babel import get_locale, get_translations

    locale = str(get_locale() or "fr")
    translations = get_translations()
    made = _HELPERS.get(locale)
    if made is None or made[0] is not translations:  # a catalog loaded again
        made = _HELPERS[locale] = (translations, _helpers(locale, translations))
    return made[1]


_HELPERS: dict = {}  # per locale: its catalog, and the template helpers made for it


def _helpers(locale: str, translations) -> dict:
    gettext = _newstyle(translations.gettext)
    return {
        "current_locale": lambda: locale,
        "gettext": gettext,
        # `_` straight to it: Jinja's own `_` takes the template's context, and a context
        # is copied on each call from a block that sets variables (a page has dozens).
        "_": gettext,
        "ngettext": _newstyle(translations.ngettext),
    }


# A text without variables is shown the same each time: kept once worked out, for the texts
# of templates (a few hundred); past this many, a text is worked out on each call.
_KEPT_TEXTS = 2000


def _newstyle(lookup):
    """Jinja's new-style gettext: autoescaped, with %(name)s variables filled in."""
    kept: dict = {}

    @pass_eval_context
    def translate(eval_context, *args, **variables):
        plain = len(args) == 1 and not variables and eval_context.autoescape
        if plain:
            found = kept.get(args[0])
            if found is not None:
                return found
        text = lookup(*args)
        if eval_context.autoescape:
            text = Markup(text)
        if len(args) == 3:  # ngettext: num is available as %(num)s
            variables.setdefault("num", args[2])
        shown = text % variables
        if plain and len(kept) < _KEPT_TEXTS:
            kept[args[0]] = shown
        return shown

    return translate
