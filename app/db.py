"""The MongoDB connection: lazy and fork-safe, plus the health probe.

pymongo clients must not cross a fork (gunicorn and Celery prefork both fork), so connect() only
registers the connection; the socket opens on first use inside the worker process.

Durability (docs/durability.md): every write waits for a majority of the replica set and the
journal (MONGODB_WRITE_CONCERN, MONGODB_JOURNAL), and reads use read concern majority from the
primary, so what a request wrote is what the next one reads, and an acknowledged submission,
transition, FIR or issued document survives the loss of the primary. FerretDB accepts these
options and ignores them (PostgreSQL commits are durable on their own).
"""

import re

import mongoengine
from bson.regex import Regex
from mongoengine.connection import DEFAULT_CONNECTION_NAME, disconnect, get_db

__all__ = ["connect", "database", "ping", "close", "iexact", "icontains"]


def connect(app):
    """Register the default mongoengine connection for this app's settings."""
    uri = app.config["MONGODB_URI"]
    disconnect(DEFAULT_CONNECTION_NAME)
    options = {"host": uri, "connect": False, "tz_aware": True, "uuidRepresentation": "standard"}
    if app.config.get("MONGODB_CLIENT") == "mongomock":
        import mongomock  # test-only dependency

        options["host"] = uri.replace("mongomock://", "mongodb://", 1)
        options["mongo_client_class"] = mongomock.MongoClient
    else:
        options["serverSelectionTimeoutMS"] = app.config.get("MONGODB_TIMEOUT_MS", 3000)
        options.update(durability_options(app.config))
        if app.config.get("MONGODB_EVENT_LISTENERS"):  # tests that count database commands
            options["event_listeners"] = app.config["MONGODB_EVENT_LISTENERS"]
    mongoengine.connect(**options)


def durability_options(config):
    """pymongo client options for the configured write and read concerns."""
    options = {"readPreference": "primary"}
    write_concern = config.get("MONGODB_WRITE_CONCERN")
    if write_concern:
        options["w"] = int(write_concern) if str(write_concern).isdigit() else write_concern
        options["journal"] = bool(config.get("MONGODB_JOURNAL", True))
    if config.get("MONGODB_READ_CONCERN"):
        options["readConcernLevel"] = config["MONGODB_READ_CONCERN"]
    return options


def database():
    return get_db()


def ping():
    """True when the database answers a ping."""
    database().client.admin.command("ping")
    return True


def close():
    disconnect(DEFAULT_CONNECTION_NAME)


# Case-insensitive matching that FerretDB accepts. mongoengine's iexact/icontains compile Python
# regexes, which pymongo sends with the "u" flag; FerretDB refuses it (docs/ferretdb.md). A bson
# Regex with only "i" behaves the same on MongoDB, FerretDB and mongomock. The value is escaped:
# user input is always a literal, never a pattern.


def iexact(value):
    return Regex("^" + re.escape(str(value)) + "$", "i")


def icontains(value):
    return Regex(re.escape(str(value)), "i")
