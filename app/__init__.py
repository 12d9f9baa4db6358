"""The application factory: create_app() is the only place an app is built.

Importing this package binds nothing; each call builds a fresh app with its own admin, Celery
binding and database connection (registered lazily, so it is safe across forks).
"""

import os

from werkzeug.middleware.proxy_fix import ProxyFix

from config import CONFIGS

from . import db
from .cli import init_cli
from .i18n import init_i18n
from .logs import configure_logging
from .security import init_security
from .security.hosts import PortalFlask, init_hosts
from .security.inputs import init_inputs
from .security.limits import limit_public_searches
from .tasks import celery_init_app


def create_app(config_name=None, override=None):
    """Build the app from a named config class, then an optional dict of overrides."""
    config_name = config_name or os.environ.get("APP_CONFIG", "development")
    config_class = CONFIGS[config_name]
    app = PortalFlask(__name__)
    app.config.from_object(config_class)
    if override:
        app.config.update(override)
    if hasattr(config_class, "check"):
        config_class.check(app.config)

    if app.config.get("PROXY_FIX_X_FOR"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"], x_proto=1)

    app.jinja_env.add_extension("jinja2.ext.do")
    configure_logging(app)
    db.connect(app)
    init_i18n(app)
    celery_init_app(app)
    init_security(app)
    _register_blueprints(app)
    limit_public_searches(app)
    init_cli(app)

    from .views.admin import init_admin

    init_admin(app)
    # Inserted first among the before-request hooks, in this order: Host, then input shapes.
    init_inputs(app)
    init_hosts(app)
    return app


def _register_blueprints(app):
    from .views import (
        accounts,
        api,
        api_docs,
        desk,
        dev,
        errors,
        filters,
        fir_listing,
        firs,
        health,
        metrics,
        open311,
        open_data,
        portal,
        registers,
        services,
        tracking,
        verify,
    )

    filters.init_filters(app)
    app.register_blueprint(health.bp)
    metrics.init_metrics(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(api_docs.bp)
    app.register_blueprint(services.bp)
    app.register_blueprint(tracking.bp)
    app.register_blueprint(firs.bp)
    app.register_blueprint(fir_listing.bp)
    app.register_blueprint(desk.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(registers.bp)
    app.register_blueprint(open_data.bp)
    app.register_blueprint(open311.bp)
    app.register_blueprint(verify.bp)
    app.register_blueprint(portal.bp)
    errors.init_errors(app)
    if app.config.get("MAIL_OUTBOX_VIEW"):
        app.register_blueprint(dev.bp)
