"""Backups that refuse to do harm: never unencrypted, never restored from an archive that was
altered, uploads set aside until the new ones are in place; the signing key in a file; the
beat's lock. The whole drill on a real database is tests/integration/test_backup_restore_live.py.
"""

import hashlib
import io
import json
import shutil
import subprocess
import tarfile

import pytest

from app.services import backup, documents

AGE = shutil.which("age")
AGE_KEYGEN = shutil.which("age-keygen")


@pytest.fixture
def age_key(tmp_path):
    assert AGE and AGE_KEYGEN, "age is not installed (scripts/system-packages.sh installs it)"
    identity = tmp_path / "key.txt"
    subprocess.run([AGE_KEYGEN, "-o", str(identity)], check=True, capture_output=True)  # noqa: S603
    public = subprocess.run(  # noqa: S603
        [AGE_KEYGEN, "-y", str(identity)], check=True, capture_output=True, text=True
    ).stdout.strip()
    return identity, public


def _archive(path, public, members, manifest_files):
    """An encrypted tar of `members` ({name: bytes}) whose manifest lists `manifest_files`."""
    manifest = {
        "format": backup.FORMAT,
        "database": {"kind": "ferretdb-postgresql", "file": backup.PG_DUMP, "counts": {}},
        "signing_key_id": "x",
        "secret_key_fingerprint": "y",
        "files": manifest_files,
    }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, content in {backup.MANIFEST: json.dumps(manifest).encode(), **members}.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    subprocess.run(  # noqa: S603
        [AGE, "-r", public, "-o", str(path)], input=buffer.getvalue(), check=True
    )
    return path


def test_a_backup_without_a_recipient_is_refused_before_anything_is_written(app, tmp_path):
    with app.app_context(), pytest.raises(backup.BackupError, match="recipient"):
        backup.create(tmp_path / "out", [])
    assert not (tmp_path / "out").exists()


def test_an_altered_member_stops_the_restore_before_it_touches_anything(app, tmp_path, age_key):
    identity, public = age_key
    dump = b"the dump"
    archive = _archive(
        tmp_path / "b.tar.age",
        public,
        {backup.PG_DUMP: b"the dump, altered"},
        {backup.PG_DUMP: hashlib.sha256(dump).hexdigest()},
    )
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(backup.BackupError, match="database.pgdump does not match"):
        backup._unpack(AGE, archive, identity, work)


def test_a_member_the_manifest_does_not_list_stops_the_restore(tmp_path, age_key):
    identity, public = age_key
    content = b"x"
    archive = _archive(
        tmp_path / "b.tar.age",
        public,
        {backup.PG_DUMP: content, "uploads/extra": b"planted"},
        {backup.PG_DUMP: hashlib.sha256(content).hexdigest()},
    )
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(backup.BackupError, match="does not hold the files"):
        backup._unpack(AGE, archive, identity, work)


def test_the_wrong_key_cannot_open_a_backup(tmp_path, age_key):
    _identity, public = age_key
    other = tmp_path / "other.txt"
    subprocess.run([AGE_KEYGEN, "-o", str(other)], check=True, capture_output=True)  # noqa: S603
    archive = _archive(tmp_path / "b.tar.age", public, {backup.PG_DUMP: b"x"}, {})
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(backup.BackupError, match="age could not decrypt"):
        backup._unpack(AGE, archive, other, work)


def test_restored_uploads_replace_the_old_ones_whole(app, tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "old").mkdir(parents=True)
    (uploads / "old" / "stale.pdf").write_bytes(b"stale")
    restored = tmp_path / "restored"
    (restored / "ab").mkdir(parents=True)
    (restored / "ab" / "kept.pdf").write_bytes(b"kept")
    app.config["UPLOAD_DIR"] = str(uploads)
    with app.app_context():
        assert backup._restore_uploads(restored) == 1
    assert sorted(p.relative_to(uploads).as_posix() for p in uploads.rglob("*")) == [
        "ab",
        "ab/kept.pdf",
    ]
    assert not (tmp_path / "uploads.before-restore").exists()


def test_a_signing_key_of_another_instance_is_written_where_the_operator_asked(app, tmp_path):
    key_file = tmp_path / "signing-key.txt"
    key_file.write_text("QUJD\n")
    out = tmp_path / "restored-key"
    report = backup.RestoreReport()
    with app.app_context():
        said = backup._restore_signing_key(key_file, {"signing_key_id": "other"}, str(out), report)
        assert out.read_text() == "QUJD\n" and out.stat().st_mode & 0o077 == 0
        assert "written" in said
        same = {"signing_key_id": documents.key_id()}
        assert "already signs" in backup._restore_signing_key(key_file, same, None, report)
        report = backup.RestoreReport()
        backup._restore_signing_key(key_file, {"signing_key_id": "other"}, None, report)
        assert "--key-out" in report.warnings[0]


def test_the_signing_key_may_come_from_a_file(tmp_path):
    from config import _read_secret

    seed = "A" * 43 + "="
    (tmp_path / "key").write_text(seed + "\n")
    assert _read_secret(str(tmp_path / "key")) == seed
    assert _read_secret(str(tmp_path / "missing")) is None
    assert _read_secret(None) is None


def test_exactly_one_beat_schedules_through_redbeats_lock(app):
    settings = app.extensions["celery"].conf
    assert settings.beat_scheduler == "redbeat.RedBeatScheduler"
    # The holder renews on every tick, at least every beat_max_loop_interval: the lock must
    # outlive several ticks, or a busy holder would lose it to the standby.
    assert settings.redbeat_lock_timeout >= 2 * settings.beat_max_loop_interval
    assert settings.redbeat_redis_url == settings.broker_url
