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
