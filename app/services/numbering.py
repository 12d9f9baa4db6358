"""Request numbers: readable, unique, carrying state, service and year, with a check character.

Format: HR-TEN-2026-000123-K. The sequence is an atomic counter per state, service and year; the
check character is ISO 7064 pure MOD 37-2 over the other characters. 37 is prime and every
position has a different weight, so it catches every single wrong character and every swap of two
neighbours; the hybrid MOD 37,36 does not (it misses some swaps). The price is a 37th check
symbol, "*", in about one number in 37.
"""

import re

from pymongo import ReturnDocument

from app.models import Counter

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
    return bool(match) and check_character(number[:-2]) == match.group(5)


def parse(number):
    """(state, prefix, year, sequence) of a well-formed number, else MalformedNumber."""
    number = (number or "").strip().upper()
    if not is_valid(number):
        raise MalformedNumber(number)
    state, prefix, year, sequence, _ = NUMBER_RE.match(number).groups()
    return state, prefix, int(year), int(sequence)


def next_number(state_code, prefix, year):
    """Allocate the next number; safe across processes (one findAndModify with $inc, upsert)."""
    key = f"{state_code}-{year}-{prefix}"
    counter = Counter._get_collection().find_one_and_update(
        {"_id": key}, {"$inc": {"seq": 1}}, upsert=True, return_document=ReturnDocument.AFTER
    )
    body = f"{state_code}-{prefix}-{year}-{counter['seq']:06d}"
    return f"{body}-{check_character(body)}"
