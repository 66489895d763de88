"""Charts are SVG drawn on the server: Chinese labels, no script, nothing from elsewhere."""

import re

from jiuzhu_console.adapters import charts


def _no_script_nor_remote(svg: str) -> None:
    assert "<script" not in svg and "kozea.github.io" not in svg and "<?xml" not in svg
    assert re.findall(r"(?:src|href)=\"https?://", svg) == []


def test_bars_have_chinese_labels_and_no_script():
    svg = str(charts.bars("各辖区申请与决定", ["柳树街街道办事处", "乌尔禾镇人民政府"],
                          {"申请": [4, 3], "批准": [1, 0]}))
    assert svg.startswith("<svg ") and 'role="img"' in svg and 'aria-label="各辖区申请与决定"' in svg
    assert "柳树街街道办事处" in svg and "批准" in svg
    _no_script_nor_remote(svg)


def test_stacked_and_horizontal_bars_and_pie():
    for svg in (charts.bars("在保户数", ["柳树街"], {"最低生活保障": [2], "特困人员救助供养": [1]}, stacked=True),
                charts.bars("超期事项", ["入户调查核实"], {"超期": [3]}, horizontal=True),
                charts.pie("抽查结论", {"规范": 2, "存在问题": 1, "待反馈": 0})):
        _no_script_nor_remote(str(svg))
    assert "存在问题" in str(charts.pie("抽查结论", {"规范": 2, "存在问题": 1}))


def test_an_empty_month_says_so_in_chinese():
    svg = str(charts.bars("各辖区申请与决定", ["柳树街"], {"申请": [0]}))
    assert "本月无数据" in svg
    _no_script_nor_remote(svg)


def test_importing_the_charts_leaves_the_import_system_as_it_was():
    import sys

    import jiuzhu_console.adapters.charts  # noqa: F401

    assert all(hasattr(finder, "find_spec") for finder in sys.meta_path)


# --- the district at a glance: the month's breaches by stage (oversight's breaches_by_clock) -------
J1, J2 = "650205001", "650205100"


def _row(jurisdiction, category, breaches_by_clock=None, name="", **counts):
    row = {"month": "2026-11", "jurisdiction": jurisdiction, "jurisdiction_name": name or jurisdiction,
           "category": category, "breaches": sum((breaches_by_clock or {}).values()), **counts}
    if breaches_by_clock is not None:
        row["breaches_by_clock"] = breaches_by_clock
    return row


def test_the_months_breaches_per_stage_summed_over_categories_one_series_per_jurisdiction():
    from jiuzhu_console.service_layer import supervision as sv

    rows = [_row(J1, "dibao", {"investigation": 2, "review": 1, "decision": 0}),
            _row(J1, "tekun", {"investigation": 1, "review": 0, "decision": 0}),
            _row(J2, "dibao", {"investigation": 0, "review": 0, "decision": 3}),
            _row("650299999", "dibao", {"investigation": 9, "review": 0, "decision": 0})]  # not asked for
    clocks, series = sv.breaches_by_clock(rows, [J1, J2])
    assert clocks == ["investigation", "review", "decision"]  # oversight's order
    assert series == {J1: [3, 1, 0], J2: [0, 0, 3]}
    assert sv.breaches_by_clock([_row(J1, "dibao")], [J1]) == ([], {J1: []})  # an oversight without the figures


def test_the_stage_chart_names_the_stages_in_chinese_and_says_when_the_month_had_none():
    from jiuzhu_console.domain.labels import clock

    svg = str(charts.bars("本月超时（按环节）", [clock(c) for c in ("investigation", "reinvestigation", "decision")],
                          {"柳树街街道办事处": [2, 1, 0], "乌尔禾镇人民政府": [0, 0, 3]}, stacked=True, horizontal=True,
                          empty="本月没有超时"))
    assert "入户调查核实" in svg and "重新调查核实" in svg and "审核确认" in svg and "乌尔禾镇人民政府" in svg
    _no_script_nor_remote(svg)
    none = str(charts.bars("本月超时（按环节）", ["入户调查核实"], {"柳树街街道办事处": [0]}, stacked=True,
                           horizontal=True, empty="本月没有超时"))
    assert "本月没有超时" in none


async def test_the_district_page_draws_the_months_breaches_by_stage_and_keeps_what_is_overdue_now(tmp_path):
    import httpx

    try:
        from .console_harness import console_app, signed_in
    except ImportError:
        from console_harness import console_app, signed_in

    asked = []

    def oversight(request: httpx.Request) -> httpx.Response:
        asked.append((request.url.path, dict(request.url.params)))
        if request.url.path == "/statistics":
            return httpx.Response(200, json=[
                _row(J1, "dibao", {"investigation": 2, "review": 0, "reinvestigation": 1}, name="柳树街街道办事处",
                     applications=3),
                _row(J2, "dibao", {"investigation": 0, "review": 4, "reinvestigation": 0}, name="乌尔禾镇人民政府")])
        if request.url.path == "/spot-checks":
            return httpx.Response(200, json=[])
        if request.url.path == "/deadlines":
            return httpx.Response(200, json={J1: {"overdue": [{"case_id": f"{J1}-2026-00003", "clock": "decision",
                                                               "due_on": "2026-11-20", "responsible": []}],
                                                  "due_soon": []}})
        return httpx.Response(404, json={"detail": "no such path"})

    inspector = await signed_in(console_app(tmp_path, oversight), "bureau-ins-1")
    page = await inspector.get("/district?month=2026-11")
    assert page.status_code == 200 and ("/statistics", {"month": "2026-11"}) in asked
    assert page.text.count("本月超时（按环节）") >= 1 and "当前超期事项" not in page.text
    stage = page.text.split('aria-label="本月超时（按环节）"', 1)[1].split("</svg>", 1)[0]
    assert "入户调查核实" in stage and "重新调查核实" in stage and "审核" in stage and "乌尔禾镇人民政府" in stage
    import re
    assert sorted(v for v in re.findall(r'class="value[^>]*>([^<]*)<', stage) if v not in ("", "0")) == ["1", "1", "2", "2", "4", "4"]
    overdue = page.text.split('aria-label="截至今日仍超期未办（按环节）"', 1)[1].split("</svg>", 1)[0]
    assert "审核确认" in overdue and "入户调查核实" not in overdue  # today's overdue duty, not the month's breaches
    assert "与所选月份无关" in page.text


def test_a_horizontal_chart_leaves_room_for_its_chinese_labels():
    assert charts._wide_label_room(["审核", "不予批准书面通知"]) == int(8 * 0.45 * 13 + 0.5)
    assert charts._wide_label_room(["ab"]) == 0 and charts._wide_label_room([]) == 0
    svg = str(charts.bars("本月超时（按环节）", ["不予批准书面通知"], {"x": [1]}, horizontal=True))
    plot_x = float(re.search(r'<g transform="translate\(([\d.]+), ', svg).group(1))
    assert plot_x >= 8 * 13  # the plot starts after eight full-width characters of label


def test_horizontal_bars_read_from_the_top_in_the_order_given():
    svg = str(charts.bars("本月超时（按环节）", ["入户调查核实", "审核", "审核确认"], {"x": [3, 2, 1]}, horizontal=True))
    ys = {label: float(y) for y, label in re.findall(r'<text[^>]*y="([\d.]+)"[^>]*>(入户调查核实|审核确认|审核)</text>', svg)}
    assert ys["入户调查核实"] < ys["审核"] < ys["审核确认"]
