"""French first, English second: the person's choice is kept in the session."""
from flask import current_app, has_request_context, session


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
    from flask_babel import get_locale
    return {"current_locale": lambda: str(get_locale() or "fr")}
