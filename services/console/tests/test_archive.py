"""The archive's rules: which cases are archived, how long they are kept, and a manifest whose
digests are those of the files."""

import datetime as dt
import hashlib
import json

from jiuzhu_console.domain import archive as A


def test_only_a_closed_or_supported_case_is_archived():
    assert all(A.archivable(s) for s in ("approved", "refused", "withdrawn", "deemed_withdrawn", "ended"))
    assert not any(A.archivable(s) for s in ("investigating", "under_review", "in_publicity", "awaiting_decision", ""))


def test_kept_full_years_after_the_year_it_closed():
    assert A.retain_until(dt.date(2023, 12, 31), 30) == 2053
    assert A.retain_until(dt.date(2023, 1, 1), 10) == 2033


def test_the_manifest_names_every_file_with_its_digest_and_what_was_left_out():
    files = [A.ArchivedFile("documents/受理回执.pdf", b"%PDF-1.7 x"), A.json_file("timeline.json", [{"step": "受理"}])]
    m = A.manifest("650205001-2023-00001", "650205001", "withdrawn", files,
                   made_at=dt.datetime(2023, 4, 3, 9, tzinfo=dt.timezone.utc), made_by="刘窗口",
                   closed_on=dt.date(2023, 4, 3), retention_years=30, left_out=["audit-trail.json"])
    body = json.loads(m.body)
    assert m.name == "manifest.json" and body["keep_until_end_of"] == 2053
    assert body["files"] == [{"name": f.name, "bytes": len(f.body), "sha256": hashlib.sha256(f.body).hexdigest()}
                             for f in files]
    assert body["not_included"] == ["audit-trail.json"] and "四(二)3" in body["rule"]
    assert "受理" in json.loads(files[1].body)[0]["step"]  # Chinese kept as it is, not \\u-escaped
    assert "受理" in files[1].body.decode()
