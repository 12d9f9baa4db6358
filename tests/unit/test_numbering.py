"""Request numbers: format, atomic sequence, and a check character that catches typing errors."""

import pytest

from app.services import numbering

# The tests marked `db` exercise queries, indexes, concurrency or stored formats: they run on
# FerretDB too (tests/unit/conftest.py); the others only on mongomock.

SAMPLES = ["HR-TEN-2027-000123", "DL-CMP-2027-004567", "HR-PCC-2031-999999", "HR-TEN-2027-1234567"]
KINDS = [str.isalpha, str.isdigit]


def _same_kind(a, b):
    return any(kind(a) and kind(b) for kind in KINDS)


@pytest.mark.parametrize("body", SAMPLES)
def test_every_single_wrong_character_is_caught(body):
    good = body + "-" + numbering.check_character(body)
    assert numbering.is_valid(good)
    positions = [i for i, c in enumerate(good) if c != "-"]
    for i in positions:
        for replacement in numbering.LEGACY_CHECK_ALPHABET:
            if replacement != good[i]:
                typo = good[:i] + replacement + good[i + 1 :]
                assert not numbering.is_valid(typo), typo


@pytest.mark.parametrize("body", SAMPLES)
def test_every_swap_of_two_characters_is_caught(body):
    """Any two characters of the same kind swapped, near or far, check character included (a
    swap of a letter with a digit breaks the format, which is checked first)."""
    good = body + "-" + numbering.check_character(body)
    positions = [i for i, c in enumerate(good) if c != "-"]
    for i in positions:
        for j in positions:
            a, b = good[i], good[j]
            if i < j and a != b and _same_kind(a, b):
                swapped = list(good)
                swapped[i], swapped[j] = b, a
                assert not numbering.is_valid("".join(swapped)), "".join(swapped)


def test_random_numbers_catch_every_swap_and_substitution():
    """2,000 random well-formed bodies: no swap of two characters of a kind, and no single wrong
    character of the same kind, keeps the check character."""
    import random
    import string

    rng = random.Random(7)
    for _ in range(2000):
        body = "".join(rng.choice(string.ascii_uppercase) for _ in range(5)) + "".join(
            rng.choice(string.digits) for _ in range(4 + rng.randint(6, 8))
        )
        check = numbering.check_character(body)
        for i in range(len(body)):
            for j in range(i + 1, len(body)):
                if body[i] != body[j] and _same_kind(body[i], body[j]):
                    swapped = list(body)
                    swapped[i], swapped[j] = body[j], body[i]
                    assert numbering.check_character("".join(swapped)) != check
            pool = string.ascii_uppercase if body[i].isalpha() else string.digits
            for other in pool.replace(body[i], ""):
                assert numbering.check_character(body[:i] + other + body[i + 1 :]) != check


def test_check_characters_have_no_look_alikes_or_signs():
    for unwanted in "OIL*U":
        assert unwanted not in numbering.CHECK_ALPHABET
    assert len(set(numbering.CHECK_ALPHABET)) == 31
    seen = {numbering.check_character(f"HR-TEN-2027-{n:06d}") for n in range(1, 2000)}
    assert seen == set(numbering.CHECK_ALPHABET)


def test_numbers_issued_with_the_old_check_character_stay_valid_for_their_years():
    body = "HR-TEN-2026-000123"
    old = f"{body}-{numbering.legacy_check_character(body)}"
    new = f"{body}-{numbering.check_character(body)}"
    assert old != new and numbering.is_valid(old) and numbering.is_valid(new)
    assert numbering.parse(old) == ("HR", "TEN", 2026, 123)
    star = next(  # an old number ending in `*` is still found
        f"HR-TEN-2026-{n:06d}-*"
        for n in range(1, 500)
        if numbering.legacy_check_character(f"HR-TEN-2026-{n:06d}") == "*"
    )
    assert numbering.is_valid(star)
    later = "HR-TEN-2027-000123"
    assert not numbering.is_valid(f"{later}-{numbering.legacy_check_character(later)}")


@pytest.mark.parametrize(
    "typed",
    [
        "HR-TEN-2027-000123-{c}",
        "hrten2027000123{c}",
        " HR TEN 2027 000123 {c} ",
        "HR-TEN-2027-000123{c}",
    ],
)
def test_numbers_are_read_as_people_type_them(typed):
    body = "HR-TEN-2027-000123"
    check = numbering.check_character(body)
    assert numbering.canonical(typed.format(c=check.lower())) == f"{body}-{check}"


def test_an_o_or_an_i_typed_for_the_check_character_is_read_as_the_digit():
    zero = next(
        n for n in range(1, 500) if numbering.check_character(f"HR-TEN-2027-{n:06d}") == "0"
    )
    one = next(n for n in range(1, 500) if numbering.check_character(f"HR-TEN-2027-{n:06d}") == "1")
    assert numbering.canonical(f"HR-TEN-2027-{zero:06d}-O") == f"HR-TEN-2027-{zero:06d}-0"
    assert numbering.canonical(f"HRTEN2027{one:06d}l") == f"HR-TEN-2027-{one:06d}-1"
    assert numbering.canonical(f"HR-TEN-2027-{one:06d}-7") is None  # 7 is not its check
    assert numbering.canonical("HR-TEN-2027-000123") is None


@pytest.mark.db
def test_numbers_count_up_per_state_service_and_year(ctx):
    first = numbering.next_number("HR", "TEN", 2026)
    second = numbering.next_number("HR", "TEN", 2026)
    other = numbering.next_number("DL", "TEN", 2026)
    assert first.startswith("HR-TEN-2026-000001-") and second.startswith("HR-TEN-2026-000002-")
    assert other.startswith("DL-TEN-2026-000001-")
    assert all(numbering.is_valid(n) for n in (first, second, other))


@pytest.mark.parametrize(
    "bad", ["", "HR-TEN-2026-1-A", "hr-ten-2026-000001", "X" * 200, "HR-TEN-2026-000001-?"]
)
def test_malformed_numbers_are_refused(bad):
    with pytest.raises(numbering.MalformedNumber):
        numbering.parse(bad)
