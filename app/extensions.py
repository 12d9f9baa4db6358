"""Extension objects, created unbound; create_app() binds them to an app.

Nothing here touches a database, a broker or an app at import time.
"""

from flask_babel import Babel
from flask_security import Security
from flask_wtf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
security = Security()
# The rate limiter is the exception: Flask-Limiter keeps its counters' storage on the Limiter
# object, so app.security.limits builds one per app (kept in app.extensions["limiter"]).
