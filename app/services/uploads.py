"""Uploaded files: type checked by content, size limited, stored outside the web root.

A file is saved under UPLOAD_DIR by a random id, owned by its uploader; a form field holds the id.
It is served only through views that check the reader may see the request it belongs to.
"""

import hashlib
import os
import secrets

from flask import current_app

from app.models.uploads import Upload

# The first bytes of each accepted type; the browser's Content-Type is never trusted.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
MAX_BYTES = 5 * 1024 * 1024


class UploadError(ValueError):
    pass


def sniff(head):
    for signature, mime in SIGNATURES:
        if head.startswith(signature):
            return mime
    return None


def directory():
    path = current_app.config["UPLOAD_DIR"]
    os.makedirs(path, exist_ok=True)
    return path


def store(stream, filename, owner):
    """Save an upload; UploadError when it is empty, too large or not PDF, JPEG or PNG."""
    content = stream.read(MAX_BYTES + 1)
    if not content:
        raise UploadError("empty")
    if len(content) > MAX_BYTES:
        raise UploadError("too_large")
    mime = sniff(content[:16])
    if mime is None:
        raise UploadError("type")
    file_id = secrets.token_hex(16)
    with open(os.path.join(directory(), file_id), "wb") as handle:
        handle.write(content)
    return Upload(
        file_id=file_id,
        owner=owner,
        filename=os.path.basename(filename or "")[:200] or None,
        mime=mime,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    ).save()


def path_of(file_id):
    if len(file_id) != 32 or any(c not in "0123456789abcdef" for c in file_id):
        raise UploadError("id")
    return os.path.join(directory(), file_id)
