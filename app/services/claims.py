"""take(key): claim one step (a transition of a version, a request number, a delivery attempt).

True for exactly one caller per key, across processes and hosts; see models/claims.py for why
this, and not a filtered findAndModify, is the compare-and-set here.
"""

from mongoengine.errors import NotUniqueError
from pymongo.errors import DuplicateKeyError

from app.models.claims import Claim


def take(key: str) -> bool:
    try:
        Claim(key=key).save(force_insert=True)
    except (NotUniqueError, DuplicateKeyError):
        return False
    return True
