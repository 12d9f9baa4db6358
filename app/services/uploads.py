"""Uploaded files: type checked by content, size and daily quota limited, images stripped of
their metadata, stored outside the web root, checked again whenever they are served.

A file is saved under UPLOAD_DIR by a random id, owned by its uploader; a form field holds the id.
It is served only through views that check the reader may see what it belongs to, and only
while its bytes still match the type and SHA-256 recorded when it was stored.

Photographs from phones carry EXIF: the GPS position where they were taken, the camera, the
time. A tenant's ID or a senior citizen's photo must not publish where someone lives, so JPEG and
PNG images are re-encoded without any metadata (turned upright first, as EXIF said to show them).

An upload not attached to anything (a request, a register entry, a visit) within a day is an
orphan: purge_orphans(), run by beat, deletes it and its file.
"""

import hashlib
import io
import os
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.models.requests import Attachment
from app.models.uploads import Upload

# The first bytes of each accepted type; the browser's Content-Type is never trusted.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
MAX_BYTES = 5 * 1024 * 1024
ORPHAN_AFTER = timedelta(days=1)


class UploadError(ValueError):
    pass


REFUSALS = {
    "empty": _l("The file is empty."),
    "too_large": _l("The file is too large."),
    "type": _l("Only PDF, JPEG and PNG files are accepted."),
    "quota": _l("You have uploaded as many files as one day allows. Please try again tomorrow."),
}


def refusal(error):
    """What to tell the person whose upload raised `error`."""
    return str(REFUSALS.get(str(error), _l("The file was refused.")))


def photo_refusal(error):
    """The same, for a field that takes only a photograph."""
    if str(error) == "quota":
        return refusal(error)
    return str(_l("Upload a JPEG or PNG photograph (up to 5 MB)."))


def sniff(head):
    for signature, mime in SIGNATURES:
        if head.startswith(signature):
            return mime
    return None


def directory():
    path = current_app.config["UPLOAD_DIR"]
    os.makedirs(path, exist_ok=True)
    return path


def strip_metadata(content, mime):
    """The image re-encoded without EXIF, GPS, comments or text chunks; UploadError if it is
    not a readable image. PDFs are returned as they are."""
    if not mime.startswith("image/"):
        return content
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            clean = upright.copy()
            clean.info = {}  # drops comments, text chunks and the like
            if upright.mode == "P" and "transparency" in upright.info:
                clean.info["transparency"] = upright.info["transparency"]
            out = io.BytesIO()
            if mime == "image/jpeg":
                clean = clean.convert("RGB") if clean.mode not in ("RGB", "L") else clean
                clean.save(out, "JPEG", quality=92, optimize=True)
            else:
                clean.save(out, "PNG", optimize=True)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise UploadError("type") from error
    return out.getvalue()


def _used_today(owner, now):
    since = now - timedelta(days=1)
    sizes = [u.size for u in Upload.objects(owner=owner.id, created_at__gte=since).only("size")]
    return len(sizes), sum(sizes)


def store(stream, filename, owner, now=None):
    """Save an upload; UploadError when it is empty, too large, not PDF, JPEG or PNG, or over
    the owner's daily quota (UPLOAD_DAILY_FILES files, UPLOAD_DAILY_BYTES bytes in 24 hours)."""
    now = now or datetime.now(UTC)
    content = stream.read(MAX_BYTES + 1)
    if not content:
        raise UploadError("empty")
    if len(content) > MAX_BYTES:
        raise UploadError("too_large")
    mime = sniff(content[:16])
    if mime is None:
        raise UploadError("type")
    count, size = _used_today(owner, now)
    config = current_app.config
    too_many = count + 1 > config["UPLOAD_DAILY_FILES"]
    if too_many or size + len(content) > config["UPLOAD_DAILY_BYTES"]:
        raise UploadError("quota")
    content = strip_metadata(content, mime)
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
        created_at=now,
        pending=True,
    ).save()


def mark_used(file_ids):
    """The uploads are now part of something: never purged as orphans."""
    ids = [f for f in file_ids if f]
    if ids:
        Upload.objects(file_id__in=ids).update(set__pending=False)


def path_of(file_id):
    if len(file_id) != 32 or any(c not in "0123456789abcdef" for c in file_id):
        raise UploadError("id")
    return os.path.join(directory(), file_id)


def checked_path(file_id):
    """The file's path, once its bytes are seen to match the type and SHA-256 recorded when it
    was stored; UploadError("tampered") otherwise (changed or replaced on disk)."""
    path = path_of(file_id)
    record = Upload.objects(file_id=file_id).only("mime", "sha256").first()
    if record is None:
        raise UploadError("id")
    try:
        with open(path, "rb") as handle:
            content = handle.read()
    except OSError as error:
        raise UploadError("missing") from error
    if sniff(content[:16]) != record.mime or hashlib.sha256(content).hexdigest() != record.sha256:
        current_app.logger.error("upload %s no longer matches its record; not served", file_id)
        raise UploadError("tampered")
    return path


def purge_orphans(now=None):
    """Delete uploads never attached to anything within ORPHAN_AFTER; returns how many."""
    now = now or datetime.now(UTC)
    gone = 0
    for upload in Upload.objects(pending=True, created_at__lt=now - ORPHAN_AFTER).only("file_id"):
        try:
            os.remove(path_of(upload.file_id))
        except (OSError, UploadError):
            pass
        gone += Upload.objects(id=upload.id, pending=True).delete()
    return gone


def attachments_for(fields, data, owner, prefix=""):
    """(attachments, errors) for the file fields of `fields` ({name: spec}) in cleaned `data`:
    each upload must be `owner`'s, of an accepted type and size. Attachments are named
    `prefix + name`; errors name the field."""
    errors, attachments = {}, []
    for name, spec in fields.items():
        if spec["type"] != "file" or name not in data:
            continue
        upload = Upload.objects(file_id=data[name], owner=owner.id).first()
        if upload is None:
            errors[name] = _l("Upload the file first.")
        elif upload.mime not in spec["accept"]:
            errors[name] = _l("This kind of file is not accepted here.")
        elif upload.size > spec["max_kb"] * 1024:
            errors[name] = _l("The file is larger than %(kb)d KB.", kb=spec["max_kb"])
        else:
            attachments.append(
                Attachment(
                    field=prefix + name,
                    file_id=upload.file_id,
                    filename=upload.filename,
                    mime=upload.mime,
                    size=upload.size,
                    sha256=upload.sha256,
                )
            )
    return attachments, errors


def mark_attached(file_ids, request):
    """The uploads now belong to `request`: kept, no longer pending."""
    Upload.objects(file_id__in=list(file_ids)).update(set__attached_to=request, set__pending=False)
