"""An index whose options changed between releases is rebuilt by `flask ensure-indexes`."""

from app.cli import _conflicting_index, _ensure_document_indexes
from app.models import User


def test_a_unique_email_index_from_before_becomes_sparse(ctx):
    collection = User._get_collection()
    collection.drop_index("email_1")
    collection.create_index("email", name="email_1", unique=True)
    _ensure_document_indexes(User)
    email = next(i for i in collection.list_indexes() if i["name"] == "email_1")
    assert email.get("unique") and email.get("sparse")


def test_the_conflicting_index_is_named_from_either_message_of_mongodb():
    class Failure(Exception):
        pass

    modern = (
        "An existing index has the same name as the requested index. Requested index: "
        '{ v: 2, unique: true, sparse: true, key: { email: 1 }, name: "email_1" }, existing '
        'index: { v: 2, unique: true, key: { email: 1 }, name: "email_1" }'
    )
    older = "Index with name: email_1 already exists with different options"
    assert _conflicting_index(Failure(modern)) == "email_1"
    assert _conflicting_index(Failure(older)) == "email_1"
