"""The table of printable documents: which service renders each, where, who may ask, and where a
reference leads (the jurisdiction of a case is its id's prefix)."""

from urllib.parse import unquote

from jiuzhu_contracts.base import Role

from jiuzhu_console.domain.documents import KINDS, case_jurisdiction, content_disposition, jurisdiction_for, kind_of, valid_ref

CASE = "650205001-2026-00012"


def test_every_document_of_the_procedure_has_a_service_and_an_address():
    assert {k: (d.service, d.path_for("X")) for k, d in KINDS.items()} == {
        "receipt": ("intake", "/cases/X/receipt"),
        "correction-notice": ("intake", "/applications/X/correction-notice"),
        "confirmation-form": ("decision", "/cases/X/confirmation-form"),
        "refusal-notice": ("decision", "/cases/X/refusal-notice"),
        "door-card": ("publicity", "/door-cards/X"),
        "spot-check-feedback": ("oversight", "/spot-checks/X/feedback"),
        "rectification-order": ("oversight", "/rectifications/X/order"),
    }
    assert all(d.title and d.file_name("X").endswith(".pdf") for d in KINDS.values())
    assert kind_of("no-such-kind") is None


def test_who_may_ask_mirrors_the_services_access():
    receipt, refusal, feedback = KINDS["receipt"], KINDS["refusal-notice"], KINDS["spot-check-feedback"]
    assert receipt.may_ask({Role.CLERK}, at_district=False)
    assert not receipt.may_ask({Role.FINANCE}, at_district=True)
    assert not receipt.may_ask({Role.INVESTIGATOR}, at_district=False)
    assert refusal.may_ask({Role.BUREAU_ADMIN}, at_district=True)
    assert not refusal.may_ask({Role.BUREAU_ADMIN}, at_district=False)
    assert feedback.may_ask({Role.LEADER}, at_district=False) and feedback.may_ask({Role.INSPECTOR}, at_district=True)


def test_a_case_document_goes_to_the_case_jurisdiction_an_application_to_the_one_asked_or_the_persons_own():
    assert case_jurisdiction(CASE) == "650205001"
    assert jurisdiction_for(KINDS["receipt"], CASE, "650205100", "650205400", False) == "650205001"
    assert jurisdiction_for(KINDS["spot-check-feedback"], CASE, None, "650205", True) is None
    notice = KINDS["correction-notice"]
    assert jurisdiction_for(notice, "A-17", "650205100", "650205001", False) == "650205100"
    assert jurisdiction_for(notice, "A-17", None, "650205001", False) == "650205001"
    assert jurisdiction_for(notice, "A-17", None, "650205", True) is None  # district staff must say which


def test_a_reference_cannot_leave_its_route():
    assert valid_ref(CASE) and valid_ref("BZ-650205001-2026-00003")
    assert not any(valid_ref(r) for r in ("../health", "a/b", "x?y=1", "", "-x", "a" * 81))


def test_the_pdf_file_name_is_chinese_by_rfc_5987_with_an_ascii_fallback():
    kind = KINDS["refusal-notice"]
    header = content_disposition(kind.file_name(CASE), kind.ascii_file_name(CASE))
    assert header.startswith('attachment; filename="refusal-notice-650205001-2026-00012.pdf"; ')
    encoded = header.split("filename*=UTF-8''", 1)[1]
    assert encoded.isascii() and unquote(encoded) == "不予批准通知书-650205001-2026-00012.pdf"
