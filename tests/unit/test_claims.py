"""Claims: exactly one winner per key, even when many threads race (run on FerretDB too)."""

import threading

import pytest

from app.services import claims, numbering

# Queries, indexes, concurrency or stored formats: run on FerretDB too (tests/unit/conftest.py).
pytestmark = pytest.mark.db


def race(app, n, work):
    """Run `work()` in n threads released at once; return their results."""
    barrier = threading.Barrier(n)
    results = []

    def run():
        with app.app_context():
            barrier.wait()
            results.append(work())

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_one_winner_per_claim(app):
    for round_number in range(10):
        results = race(app, 4, lambda k=f"test:{round_number}": claims.take(k))
        assert sorted(results) == [False, False, False, True]


def test_concurrent_numbers_are_all_different(app):
    """$inc alone loses updates on FerretDB 1.24; numbers stay unique through claims."""
    numbers = []
    for _ in range(5):
        numbers += race(app, 4, lambda: numbering.next_number("HR", "TEN", 2026))
    assert len(numbers) == 20 and len(set(numbers)) == 20
    sequences = sorted(numbering.parse(n)[3] for n in numbers)
    assert sequences == list(range(1, 21))
