"""Extension objects, created unbound; create_app() binds them to an app.

Nothing here touches a database, a broker or an app at import time.
"""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_security import Security
from flask_wtf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
security = Security()
# Default limits stay off: only the account endpoints are limited (app.security).
limiter = Limiter(key_func=get_remote_address, default_limits=[])
