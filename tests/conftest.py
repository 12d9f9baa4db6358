"""Options shared by every tier."""


def pytest_addoption(parser):
    parser.addoption(
        "--db",
        choices=("mongomock", "ferretdb"),
        default="mongomock",
        help="Unit suite on mongomock (default) or on the FerretDB named by TEST_MONGODB_URI.",
    )
    parser.addoption("--artifacts", default="test-artifacts", help="Where e2e screenshots go.")
