"""Language choice: the user's saved setting, then the session, then the browser, then English.

Also the Babel wiring (our catalogue plus Hindi catalogues for Flask-Security and Flask-Admin).
"""

import os

from flask import current_app, request, session
from flask_babel import get_locale
from flask_login import current_user

from .extensions import babel

TRANSLATIONS_DIR = os.path.join(os.path.dirname(__file__), "translations")


def select_language():
    languages = current_app.config["LANGUAGES"]
    user = current_user
    if user is not None and getattr(user, "is_authenticated", False):
        if getattr(user, "language", None) in languages:
            return user.language
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(list(languages)) or "en"


def current_language():
    """'en' or 'hi' for the request being served."""
    locale = get_locale()
    return locale.language if locale else "en"


def init_i18n(app):
    babel.init_app(
        app,
        locale_selector=select_language,
        default_translation_directories=TRANSLATIONS_DIR,
    )
    # Flask-Security looks for its "flask_security" domain here first, then in its own package.
    app.config.setdefault("SECURITY_I18N_DIRNAME", [TRANSLATIONS_DIR, "builtin"])

    @app.context_processor
    def language_context():
        return {"current_language": current_language(), "languages": app.config["LANGUAGES"]}

    @app.context_processor
    def notification_context():
        """Unread count for the header link: one indexed count per page, signed-in users only."""
        if not getattr(current_user, "is_authenticated", False):
            return {"unread_notifications": 0}
        from app.services.notify import unread_count

        return {"unread_notifications": unread_count(current_user)}
