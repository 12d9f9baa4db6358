"""Request numbers: readable, unique, carrying state, service and year, with a check character.

Format: HR-TEN-2026-000123-K. The sequence runs per state, service and year; the
check character is ISO 7064 pure MOD 37-2 over the other characters. 37 is prime and every
position has a different weight, so it catches every single wrong character and every swap of two
neighbours; the hybrid MOD 37,36 does not (it misses some swaps). The price is a 37th check
symbol, "*", in about one number in 37.
"""

import re

from pymongo.errors import DuplicateKeyError

from app.models import Counter

from . import claims

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CHECK_ALPHABET = ALPHABET + "*"
NUMBER_RE = re.compile(r"^([A-Z]{2})-([A-Z]{3})-(\d{4})-(\d{6,})-([0-9A-Z*])$")


class MalformedNumber(ValueError):
    """Not a request number, or its check character is wrong."""


def check_character(text):
    """ISO 7064 MOD 37-2 check character for the alphanumeric characters of `text`."""
    total = 0
    for char in text:
        if char == "-":
            continue
        total = ((total + ALPHABET.index(char)) * 2) % 37
    return CHECK_ALPHABET[(38 - total) % 37]


def is_valid(number):
    match = NUMBER_RE.match(number or "")
    return match is not None and check_character(number[:-2]) == match.group(5)


def parse(number):
    """(state, prefix, year, sequence) of a well-formed number, else MalformedNumber."""
    number = (number or "").strip().upper()
    match = NUMBER_RE.match(number)
    if match is None or check_character(number[:-2]) != match.group(5):
        raise MalformedNumber(number)
    state, prefix, year, sequence, _ = match.groups()
    return state, prefix, int(year), int(sequence)


MAX_TRIES = 10_000


def next_number(state_code, prefix, year):
    """Allocate the next free request number, exactly once across processes."""
    seq = next_sequence(
        f"{state_code}-{year}-{prefix}", lambda n: f"{state_code}-{prefix}-{year}-{n:06d}"
    )
    body = f"{state_code}-{prefix}-{year}-{seq:06d}"
    return f"{body}-{check_character(body)}"


def next_sequence(counter_key, claim_name):
    """The next free sequence number of `counter_key`, taken exactly once across processes.

    Each candidate is claimed (services.claims: an insert with a unique _id, atomic everywhere)
    under `claim_name(seq)`; the counter only says where to start looking, because $inc is not
    atomic on FerretDB 1.24 (concurrent increments are lost). It moves forward with $max and
    never back.
    """
    collection = Counter._get_collection()
    start = (collection.find_one({"_id": counter_key}) or {}).get("seq", 0)
    for seq in range(start + 1, start + 1 + MAX_TRIES):
        if claims.take(f"number:{claim_name(seq)}"):
            try:
                collection.update_one({"_id": counter_key}, {"$max": {"seq": seq}}, upsert=True)
            except DuplicateKeyError:  # two first-ever upserts at once; the other one created it
                collection.update_one({"_id": counter_key}, {"$max": {"seq": seq}})
            return seq
    raise RuntimeError(f"no free number after {MAX_TRIES} tries for {counter_key}")
