"""Extension objects, created unbound; create_app() binds them to an app.

Nothing here touches a database, a broker or an app at import time.
"""

from flask_babel import Babel
from flask_wtf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
# Two exceptions, built per app because they keep per-app state on the object itself:
# Flask-Security (mail helper, forms, datastore) in app.security, and Flask-Limiter (counter
# storage) in app.security.limits. Both are found in app.extensions.
