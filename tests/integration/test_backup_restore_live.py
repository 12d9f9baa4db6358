"""Backups that restore, drilled on the live stack as docs/deploy.md tells an operator to:
`flask backup` → the data is lost (database dropped, uploaded files deleted) → FerretDB stopped
→ `flask restore` → FerretDB started. Every request, uploaded file, audit entry and issued
document is back as it was, and a document issued before verifies as genuine at /verify.
"""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from live import wait_for

ROOT = Path(__file__).resolve().parents[2]
FLASK = [str(Path(sys.executable).parent / "flask"), "--app", "app"]
# What must come back exactly; the deadline sweep and the sealer may add to other collections
# between the backup and the loss.
COLLECTIONS = ("service_requests", "issued_documents", "uploads", "users", "firs")


def _files(directory):
    return {
        path.relative_to(directory).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in Path(directory).rglob("*")
        if path.is_file()
    }


def _snapshot(mongo):
    return {
        "counts": {name: mongo[name].count_documents({}) for name in COLLECTIONS},
        "requests": sorted(
            (r["number"], r["status"])
            for r in mongo.service_requests.find({}, {"number": 1, "status": 1})
        ),
        "audit": sorted(str(e["_id"]) for e in mongo.audit_events.find({}, {"_id": 1})),
    }


def _run(args, env, stdin=None):
    result = subprocess.run(  # noqa: S603 — our own CLI and scripts, fixed arguments
        args,
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture
def age_key(tmp_path):
    identity = tmp_path / "operator-key.txt"
    keygen = shutil.which("age-keygen")
    assert keygen, "age is not installed (scripts/system-packages.sh installs it)"
    subprocess.run([keygen, "-o", str(identity)], check=True, capture_output=True)  # noqa: S603
    public = subprocess.run(  # noqa: S603
        [keygen, "-y", str(identity)], check=True, capture_output=True, text=True
    ).stdout.strip()
    return identity, public


def test_backup_wipe_restore_brings_everything_back(base_url, mongo, tmp_path, age_key, capsys):
    env = dict(os.environ)
    uploads = Path(env["UPLOAD_DIR"])
    document = mongo.issued_documents.find_one({"revoked_at": None})
    assert document is not None, "the live stack has no issued document to verify"
    verify = f"{base_url}/verify/{document['_id']}"
    assert requests.get(verify, timeout=10).status_code == 200
    before, files_before = _snapshot(mongo), _files(uploads)
    assert before["counts"]["service_requests"] > 0 and files_before and before["audit"]

    identity, public = age_key
    out = _run([*FLASK, "backup", "--to", str(tmp_path / "backups"), "--recipient", public], env)
    archive = next((tmp_path / "backups").glob("portal-backup-*.tar.age"))
    assert str(archive) in out
    assert archive.stat().st_mode & 0o077 == 0, "the backup is readable by others"
    assert b"service_requests" not in archive.read_bytes(), "the backup is not encrypted"

    # The disaster: the database and every uploaded file are gone.
    mongo.client.drop_database(mongo.name)
    shutil.rmtree(uploads)
    assert mongo.issued_documents.count_documents({}) == 0
    assert requests.get(verify, timeout=10).status_code == 404

    servers = [str(ROOT / "scripts" / "servers.sh")]
    _run([*servers, "stop", "ferretdb"], env)
    try:
        report = _run([*FLASK, "restore", str(archive), "--identity", str(identity), "--yes"], env)
    finally:
        _run([*servers, "start", "ferretdb"], env)
    assert "restored:" in report

    after = _snapshot(mongo)
    assert after["counts"] == before["counts"]
    assert after["requests"] == before["requests"]
    assert set(before["audit"]) <= set(after["audit"])
    assert _files(uploads) == files_before
    page = wait_for(lambda: (r := requests.get(verify, timeout=10)).status_code == 200 and r)
    assert page, "the restored document does not verify"
    assert 'class="panel success"' in page.text, "the restored document is not genuine"
    with capsys.disabled():
        print(
            f"\nbackup/restore: {before['counts']} documents, {len(files_before)} uploads, "
            f"{len(before['audit'])} audit entries restored; {archive.stat().st_size} bytes encrypted"
        )
