"""Request numbers: readable, unique, carrying state, service and year, with a check character.

Format: HR-TEN-2026-000123-K. The sequence runs per state, service and year. The check character
is read aloud and typed on phone keypads, so it comes from 31 symbols without look-alikes or
signs: the digits and the letters less I, L, O, U and Z (Crockford's alphabet less Z). It is an
ISO 7064-style pure system over the prime 31 with radix 3: 3 is a primitive root of 31, so the
first 30 positions all carry different weights, and because a letter only stands where letters
stand and a digit where digits stand (the format says which), every single wrong character and
every swap of two characters of the same kind is caught.

Numbers issued before this check character carried ISO 7064 MOD 37-2 (about one in 37 ended in
`*`). They stay valid: a number of LEGACY_LAST_YEAR or earlier is accepted with either check
character. From the year after, only the new one is.
"""

import re

from pymongo.errors import DuplicateKeyError

from app.models import Counter

from . import claims

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CHECK_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXY"
LEGACY_CHECK_ALPHABET = ALPHABET + "*"
LEGACY_LAST_YEAR = 2026
NUMBER_RE = re.compile(r"^([A-Z]{2})-([A-Z]{3})-(\d{4})-(\d{6,})-([0-9A-Z*])$")
COMPACT_NUMBER_RE = re.compile(r"^([A-Z]{2})([A-Z]{3})(\d{4})(\d{6,})([0-9A-Z*])$")
# What people type for a check character that has no look-alike in CHECK_ALPHABET.
LOOK_ALIKES = {"O": "0", "I": "1", "L": "1"}


class MalformedNumber(ValueError):
    """Not a request number, or its check character is wrong."""


def _pure_system_total(text, modulus, radix):
    total = 0
    for char in text:
        if char != "-":
            total = ((total + ALPHABET.index(char)) * radix) % modulus
    return (modulus + 1 - total) % modulus


def check_character(text):
    """The check character of a request number's body (`HR-TEN-2026-000123`)."""
    return CHECK_ALPHABET[_pure_system_total(text, 31, 3)]


def legacy_check_character(text):
    """ISO 7064 MOD 37-2, the check character of numbers issued before the current one."""
    return LEGACY_CHECK_ALPHABET[_pure_system_total(text, 37, 2)]


def is_valid(number):
    match = NUMBER_RE.match(number or "")
    if match is None:
        return False
    body, check = number[:-2], match.group(5)
    if check_character(body) == check:
        return True
    return int(match.group(3)) <= LEGACY_LAST_YEAR and legacy_check_character(body) == check


def parse(number):
    """(state, prefix, year, sequence) of a well-formed number, else MalformedNumber."""
    number = (number or "").strip().upper()
    match = NUMBER_RE.match(number)
    if match is None or not is_valid(number):
        raise MalformedNumber(number)
    state, prefix, year, sequence, _ = match.groups()
    return state, prefix, int(year), int(sequence)


def canonical(text):
    """A number as people type it (without dashes, with spaces, in small letters, an O for the
    check character's 0), as stored; None if it is not a valid number."""
    compact = re.sub(r"[\s\-]", "", str(text or "")).upper()
    match = COMPACT_NUMBER_RE.match(compact)
    if match is None:
        return None
    number = "-".join(match.groups())
    if is_valid(number):
        return number
    check = match.group(5)
    if check in LOOK_ALIKES:
        number = number[:-1] + LOOK_ALIKES[check]
        if is_valid(number):
            return number
    return None


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
