"""Request numbers: format, atomic sequence, and a check character that catches typing errors."""

import pytest

from app.services import numbering

# The tests marked `db` exercise queries, indexes, concurrency or stored formats: they run on
# FerretDB too (tests/unit/conftest.py); the others only on mongomock.

SAMPLES = ["HR-TEN-2026-000123", "DL-CMP-2027-004567", "HR-PCC-2026-999999"]


@pytest.mark.parametrize("body", SAMPLES)
def test_every_single_wrong_character_is_caught(body):
    good = body + "-" + numbering.check_character(body)
    positions = [i for i, c in enumerate(good) if c != "-"]
    for i in positions:
        for replacement in numbering.ALPHABET:
            if replacement != good[i]:
                typo = good[:i] + replacement + good[i + 1 :]
                assert not numbering.is_valid(typo), typo


@pytest.mark.parametrize("body", SAMPLES)
def test_every_swap_of_neighbours_is_caught(body):
    """Swaps within the body, and of the last body character with the check character."""
    compact = body.replace("-", "") + numbering.check_character(body)
    for i in range(len(compact) - 1):
        if compact[i] == compact[i + 1]:
            continue
        swapped = compact[:i] + compact[i + 1] + compact[i] + compact[i + 2 :]
        assert numbering.check_character(swapped[:-1]) != swapped[-1], swapped


def test_random_bodies_catch_all_neighbour_swaps():
    """Exhaustively over 2,000 random bodies: not one swap of different neighbours slips by."""
    import random

    rng = random.Random(7)
    for _ in range(2000):
        body = "".join(rng.choice(numbering.ALPHABET) for _ in range(15))
        for i in range(len(body) - 1):
            if body[i] != body[i + 1]:
                swapped = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
                assert numbering.check_character(swapped) != numbering.check_character(body)


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
