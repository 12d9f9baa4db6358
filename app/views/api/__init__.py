"""The JSON API under /api/v1: a thin layer over services; errors are JSON naming the field.

One module per resource, each registering its routes on the one blueprint (`core.bp`): the
catalogue and stations, requests (with uploads, appeals, ratings, edits), notifications, and
what anyone may read (status, registers, the feed). Authentication and errors: core.
"""

from . import catalogue, notifications, openapi, public, requests, transfers  # noqa: F401 — routes
from .core import bp

__all__ = ["bp"]
