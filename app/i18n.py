"""French first, English second: the person's choice is kept in the session."""

from flask import current_app, has_request_context, session
from jinja2 import pass_context
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
    return {
        "current_locale": lambda: locale,
        "gettext": _newstyle(translations.gettext),
        "ngettext": _newstyle(translations.ngettext),
    }


def _newstyle(lookup):
    """Jinja's new-style gettext: autoescaped, with %(name)s variables filled in."""

    @pass_context
    def translate(context, *args, **variables):
        text = lookup(*args)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        if len(args) == 3:  # ngettext: num is available as %(num)s
            variables.setdefault("num", args[2])
        return text % variables

    return translate
