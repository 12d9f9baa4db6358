"""Password strength: Flask-Security's length rule, then zxcvbn's estimate, explained in Hindi too.

Flask-Security runs zxcvbn when SECURITY_PASSWORD_COMPLEXITY_CHECKER is "zxcvbn", but passes on
zxcvbn's own warning, which is English only. This checker runs zxcvbn itself and says why in the
page's language, from the finite list of warnings zxcvbn 4.5 gives.
"""

import zxcvbn
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_security import PasswordUtil

# zxcvbn 4.5's warnings (zxcvbn/feedback.py), in our catalogue.
WARNINGS = {
    "Straight rows of keys are easy to guess.": _l("Straight rows of keys are easy to guess."),
    "Short keyboard patterns are easy to guess.": _l("Short keyboard patterns are easy to guess."),
    'Repeats like "aaa" are easy to guess.': _l('Repeats like "aaa" are easy to guess.'),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': _l(
        'Repeats like "abcabcabc" are only slightly harder to guess than "abc".'
    ),
    'Sequences like "abc" or "6543" are easy to guess.': _l(
        'Sequences like "abc" or "6543" are easy to guess.'
    ),
    "Recent years are easy to guess.": _l("Recent years are easy to guess."),
    "Dates are often easy to guess.": _l("Dates are often easy to guess."),
    "This is a top-10 common password.": _l("This is one of the 10 most common passwords."),
    "This is a top-100 common password.": _l("This is one of the 100 most common passwords."),
    "This is a very common password.": _l("This is a very common password."),
    "This is similar to a commonly used password.": _l(
        "This is similar to a commonly used password."
    ),
    "A word by itself is easy to guess.": _l("A word by itself is easy to guess."),
    "Names and surnames by themselves are easy to guess.": _l(
        "Names and surnames by themselves are easy to guess."
    ),
    "Common names and surnames are easy to guess.": _l(
        "Common names and surnames are easy to guess."
    ),
}


def weakness(password, user_inputs=()):
    """Why `password` is too easy to guess, in the current language; None when it is strong."""
    inputs = [str(v) for v in user_inputs if v and isinstance(v, str)]
    result = zxcvbn.zxcvbn(password, user_inputs=inputs)
    if result["score"] >= current_app.config["SECURITY_ZXCVBN_MINIMUM_SCORE"]:
        return None
    reason = WARNINGS.get(result["feedback"]["warning"])
    advice = _("Use three or four uncommon words together, or a longer passphrase.")
    if reason:
        return _("This password is too easy to guess: %(reason)s", reason=reason) + " " + advice
    return _("This password is too easy to guess.") + " " + advice


class PortalPasswordUtil(PasswordUtil):
    def validate(self, password, is_register, **kwargs):
        problems, normalised = super().validate(password, is_register, **kwargs)
        if problems:
            return problems, normalised
        if is_register:
            inputs = list(kwargs.values())
        else:
            user = kwargs.get("user")
            inputs = [user.email, user.full_name, user.mobile] if user is not None else []
        reason = weakness(normalised, inputs)
        return ([reason] if reason else None), normalised
