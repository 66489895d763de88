"""存量对象导入 through the API, on real PostgreSQL and JetStream: all or nothing per file (a file
with bad rows imports nothing and names every bad row), one ``recipient_migrated`` per household
taken over, the same households again change nothing (the same file, or the same list as XLSX),
and only this jurisdiction's clerk or leader, or the district bureau, may import."""

import csv
import datetime as dt
import hashlib
import io
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.resident_id import check_character

from jiuzhu_decision.adapters.import_files import MAX_BYTES
from jiuzhu_decision.bootstrap import build as build_decision
from jiuzhu_decision.domain.recipient_rows import COLUMNS, case_id_for

TZ = ZoneInfo("Asia/Shanghai")
J = "650205001"
COMMITTEES = ["柳树街社区居民委员会", "和谐社区居民委员会", "白杨社区居民委员会"]


@pytest.fixture
async def decision(service_runner, infrastructure):
    async with service_runner(build_decision, "decision", J, today=dt.datetime(2022, 3, 1, 9, tzinfo=TZ),
                              prefix=infrastructure.new_prefix()) as svc:
        yield svc


def rid(born: str, seq: int) -> str:
    first17 = f"650205{born}{seq:03d}"
    return first17 + check_character(first17)


def households(n: int) -> list[list[str]]:
    """``n`` rows of the template, each a head and a spouse; dibao, tekun and low-income in turn."""
    rows = []
    for i in range(n):
        year, seq = 1950 + i // 400, 2 * (i % 400) + 1
        head, spouse = rid(f"{year}{i % 12 + 1:02d}01", seq), rid(f"{year + 2}{i % 12 + 1:02d}01", seq + 1)
        rows.append([f"户主{i}", head, ["低保", "特困", "低收入"][i % 3], ["城市", "农村"][i % 2], COMMITTEES[i % 3],
                     f"柳树街{i}号", f"户主{i}:{head}:本人;配偶{i}:{spouse}:配偶", f"{1000 + i}.50", "300",
                     "2020-06-15", "2022-04", f"6222{i:012d}"])
    return rows


def as_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([c.header for c in COLUMNS])
    writer.writerows(rows)
    return "\ufeff".encode() + out.getvalue().encode()


def as_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append([c.header for c in COLUMNS])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def upload(svc, data: bytes, name: str = "存量低保.csv", roles=("clerk",), jurisdiction=None):
    return await svc.client.post("/supported-households/import", files={"file": (name, data)},
                                 headers=svc.token(*roles, jurisdiction=jurisdiction, name="李窗口"))


async def listed(svc) -> list[dict]:
    r = await svc.client.get("/supported-households", headers=svc.token("clerk"))
    assert r.status_code == 200
    return r.json()


async def test_bad_rows_import_nothing_then_the_fixed_file_imports_all_once(decision):
    good = households(40)
    bad = [list(r) for r in good]
    bad[3][1] = bad[3][1][:-1] + ("0" if bad[3][1][-1] != "0" else "1")  # row 5: check character
    bad[10][2] = "临时救助"  # row 12: temporary assistance is not a standing support
    bad[17][4] = "哈克村村民委员会"  # row 19: another jurisdiction's committee
    bad[25][7] = "1300.005"  # row 27: fractions of a fen
    bad[33][6] = good[2][6].split(";")[1] + ";" + f"户主33:{good[33][1]}:本人"  # row 35: row 4's spouse again
    refused = await upload(decision, as_csv(bad))
    assert refused.status_code == 422, refused.text
    body = refused.json()
    # Row 35 takes row 4's spouse: both rows are named (the clerk decides which one is wrong).
    assert body["bad_rows"] == [4, 5, 12, 19, 27, 35]
    assert {(p["row"], p["field"]) for p in body["rows"]} == {
        (4, "家庭成员"), (5, "户主身份证号"), (12, "类别"), (19, "居（村）委会"), (27, "月保障金额(元)"), (35, "家庭成员")}
    assert all(" / " in p["rule"] for p in body["rows"])
    assert await listed(decision) == []
    assert await decision.published("recipient_migrated") == []
    assert (await decision.client.get("/supported-households/imports", headers=decision.token("clerk"))).json() == []

    data = as_csv(good)
    done = await upload(decision, data)
    assert done.status_code == 200, done.text
    sha = hashlib.sha256(data).hexdigest()
    assert (done.json()["file_sha256"], done.json()["imported"], done.json()["unchanged"]) == (sha, 40, 0)
    events = await decision.published("recipient_migrated")
    assert sorted(e.case_id for e in events) == sorted(case_id_for(J, r[1]) for r in good)
    first = next(e for e in events if e.case_id == case_id_for(J, good[0][1]))
    p = first.payload
    assert (p.category, p.area, p.amount_fen, p.household_size, p.first_month_paid, p.approving_body) == \
        ("dibao", "urban", 100050, 2, "2022-04", "district_bureau")
    assert (p.source.file_sha256, p.source.row, p.imported_by.role, first.actor.id) == (sha, 2, "clerk", "u1")
    assert [m.relation for m in p.members] == ["self", "spouse"]

    on_support = {h["case_id"]: h for h in await listed(decision)}
    assert len(on_support) == 40
    h = on_support[case_id_for(J, good[0][1])]
    assert h["migrated"] == {"file_name": "存量低保.csv", "file_sha256": sha, "row": 2}
    assert (h["status"], h["amount_fen"], h["first_month_paid"], h["address"]) == ("supported", 100050, "2022-04",
                                                                                  "柳树街0号")

    again = await upload(decision, data)
    assert (again.status_code, again.json()["imported"], again.json()["unchanged"]) == (200, 0, 40)
    # The same households as XLSX (another file, another hash): still nothing new.
    as_workbook = await upload(decision, as_xlsx(good), name="存量低保.xlsx")
    assert (as_workbook.status_code, as_workbook.json()["imported"], as_workbook.json()["unchanged"]) == (200, 0, 40)
    assert len(await decision.published("recipient_migrated")) == 40
    assert len(await listed(decision)) == 40
    record = (await decision.client.get("/supported-households/imports", headers=decision.token("clerk"))).json()
    assert [(r["imported"], r["unchanged"], r["imported_by_name"]) for r in record] == \
        [(0, 40, "李窗口"), (0, 40, "李窗口"), (40, 0, "李窗口")]


async def test_a_person_already_on_support_in_another_household_is_refused(decision):
    first = households(2)
    assert (await upload(decision, as_csv(first))).status_code == 200
    newcomer = rid("19900101", 900)
    # A new household (another head) that lists the first household's spouse: refused, nothing imported.
    spouse = first[0][6].split(";")[1]
    row = ["新户", newcomer, "低保", "城市", COMMITTEES[0], "白杨路2号", f"新户:{newcomer}:本人;{spouse}", "900", "0",
           "2021-01-04", "2022-04", "6222999999999999"]
    refused = await upload(decision, as_csv([households(3)[2], row]))
    assert refused.status_code == 422, refused.text
    assert [(p["row"], p["field"]) for p in refused.json()["rows"]] == [(3, "家庭成员")]
    assert "already on support here" in refused.json()["rows"][0]["rule"]
    assert len(await listed(decision)) == 2


async def test_who_may_import_and_download_the_template(decision):
    data = as_csv(households(1))
    for roles, jurisdiction in ((("investigator",), None), (("committee",), None), (("finance",), None),
                                (("clerk",), "650205100"), (("leader",), "650205100"), (("inspector",), "650205")):
        r = await upload(decision, data, roles=roles, jurisdiction=jurisdiction)
        assert r.status_code == 403, (roles, jurisdiction, r.text)
    assert await listed(decision) == []
    by_bureau = await upload(decision, data, roles=("bureau_admin",), jurisdiction="650205")
    assert by_bureau.status_code == 200 and by_bureau.json()["imported"] == 1
    events = await decision.published("recipient_migrated")
    assert [e.payload.imported_by.role for e in events] == ["bureau_admin"]

    for fmt, media in (("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats")):
        t = await decision.client.get(f"/supported-households/import-template?format={fmt}",
                                      headers=decision.token("leader"))
        assert t.status_code == 200 and t.headers["content-type"].startswith(media)
    assert (await decision.client.get("/supported-households/import-template?format=pdf",
                                      headers=decision.token("leader"))).status_code == 422
    assert (await decision.client.get("/supported-households/import-template",
                                      headers=decision.token("investigator"))).status_code == 403


@pytest.mark.parametrize("name, data, status", [
    ("empty.csv", b"", 422),
    ("gbk.csv", "户主姓名,户主身份证号\n张三,1\n".encode("gbk"), 422),
    ("headers.csv", "姓名,身份证\n张三,1\n".encode(), 422),
    ("only-headers.csv", ",".join(c.header for c in COLUMNS).encode(), 422),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, 422),
    ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 64, 422),
    ("picture.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, 422),
    ("big.csv", b"a," * (MAX_BYTES // 2 + 10), 413),
])
async def test_a_bad_file_is_a_4xx_never_a_500(decision, name, data, status):
    r = await upload(decision, data, name=name)
    assert r.status_code == status, r.text
    assert r.json()["detail"] and r.json()["rule"]


async def test_a_file_of_50_mb_is_refused_by_its_size_and_forms_without_a_file_are_refused(decision):
    r = await decision.client.post("/supported-households/import", content=b"x" * (50 * 1024 * 1024),
                                   headers={**decision.token("clerk"),
                                            "content-type": "multipart/form-data; boundary=xyz"})
    assert r.status_code == 413 and str(MAX_BYTES) in r.text

    async def streamed():  # no Content-Length: the body is counted as it arrives
        yield b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n'
        for _ in range(12):
            yield b"a," * (512 * 1024)
        yield b"\r\n--xyz--\r\n"
    chunked = await decision.client.post("/supported-households/import", content=streamed(),
                                         headers={**decision.token("clerk"),
                                                  "content-type": "multipart/form-data; boundary=xyz"})
    assert chunked.status_code == 413 and str(MAX_BYTES) in chunked.text
    no_file = await decision.client.post("/supported-households/import", data={"other": "1"},
                                         headers=decision.token("clerk"))
    assert no_file.status_code == 422 and "file" in no_file.text
    as_json = await decision.client.post("/supported-households/import", json={"file": "x"},
                                         headers=decision.token("clerk"))
    assert as_json.status_code == 422 and "multipart" in as_json.text
    garbled = await decision.client.post("/supported-households/import", content=b"--xyz\r\nnot a part",
                                         headers={**decision.token("clerk"),
                                                  "content-type": "multipart/form-data; boundary=xyz"})
    assert garbled.status_code == 422, garbled.text
