import hashlib

from jiuzhu_disbursement.domain.roster import (
    HEADER,
    Line,
    active_in,
    canonical_line,
    checksum,
    difference,
    months,
    next_month,
    totals,
)


def line(case="c1", amount=120000, month="2022-04", category="dibao", kind="monthly", name="张三"):
    return Line("650205001", case, category, month, amount, name, "6222020000000001", kind)


def test_month_arithmetic_across_the_year_end():
    assert next_month("2022-12") == "2023-01" and next_month("2022-04") == "2022-05"
    assert months("2022-11", 3) == ["2022-11", "2022-12", "2023-01"]


def test_paid_from_the_first_month_through_the_last():
    assert not active_in("2022-03", "2022-04", None)
    assert active_in("2022-04", "2022-04", None) and active_in("2030-01", "2022-04", None)
    assert active_in("2022-12", "2022-04", "2022-12") and not active_in("2023-01", "2022-04", "2022-12")


def test_totals_per_category_are_exact_fen():
    lines = [line("a", 120001), line("b", 99999), line("c", 270000, category="temporary", kind="one_off")]
    assert totals(lines) == {"dibao": (2, 220000), "temporary": (1, 270000)}


def test_checksum_is_of_the_canonical_export_and_independent_of_order():
    lines = [line("b"), line("a")]
    body = HEADER + "\n" + canonical_line(line("a")) + "\n" + canonical_line(line("b")) + "\n"
    assert checksum(lines) == hashlib.sha256(body.encode()).hexdigest() == checksum(list(reversed(lines)))
    assert checksum([line("a"), line("b", amount=1)]) != checksum(lines)
    assert canonical_line(line(name='王"五')) .count('"王""五"') == 1


def test_difference_between_versions_is_readable():
    old = [line("a"), line("b"), line("c")]
    new = [line("a"), line("b", amount=130000), line("d", name="李四")]
    diff = difference(old, new)
    assert (diff["added"], diff["removed"], diff["changed"]) == (1, 1, 1)
    assert "+ d dibao 2022-04 李四 1200.00元" in diff["lines"]
    assert "- c dibao 2022-04 张三 1200.00元" in diff["lines"]
    assert "~ b dibao 2022-04 张三 1200.00元 → 1300.00元" in diff["lines"]
    assert difference(old, old)["lines"] == []


def test_copy_text_decoder_restores_lines_exactly_however_the_chunks_fall():
    from jiuzhu_disbursement.adapters.roster_sql import CopyTextDecoder

    lines = 'a,"王""五\\六\t七",x\nb,"\\\\",y\n'.encode()  # a backslash, a tab, two backslashes
    # What COPY … TO STDOUT (text) writes for those lines: backslash → \\, tab → \t.
    copied = lines.replace(b"\\", b"\\\\").replace(b"\t", b"\\t")
    for cut in range(len(copied) + 1):
        decoder = CopyTextDecoder()
        assert decoder.feed(copied[:cut]) + decoder.feed(copied[cut:]) + decoder.end() == lines, cut
    import pytest

    with pytest.raises(ValueError):
        CopyTextDecoder().feed(b"\\N\n")  # a NULL line is never silently written
