"""``./jz`` commands called in-process: usage, help, token errors, config check."""

import json
import subprocess
from pathlib import Path

import pytest

from jiuzhu_devstack import cli

ROOT = Path(__file__).resolve().parents[3]


def test_jz_alone_prints_a_clean_usage_naming_every_command():
    shown = subprocess.run(["bash", str(ROOT / "jz")], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0 and shown.stdout.startswith("usage: ./jz COMMAND")
    assert "set -euo" not in shown.stdout and not any(line.startswith("#") for line in shown.stdout.splitlines())
    assert "up [--clock bus|system]" in shown.stdout and "(./jz up runs it on the bus)" in shown.stdout
    for command in ("up [--clock bus|system]", "test", "token", "clock show|set", "config check", "credentials", "bench"):
        assert command in shown.stdout
    unknown = subprocess.run(["bash", str(ROOT / "jz"), "nope"], capture_output=True, text=True, timeout=60)
    assert unknown.returncode == 2 and "unknown command 'nope'" in unknown.stderr


def test_the_python_entry_point_without_a_command_lists_them(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main([])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: ./jz") and "COMMAND" in err


def test_up_help_explains_the_bus_clock_port_base_and_check(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["up", "--help"])
    assert exit_.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "--clock {system,bus} bus (default here): for rehearsals, training and ./jz demo" in out
    assert "./jz clock set|advance|reset" in out
    assert "system: the business date is always today's, in the district's time zone" in out
    assert "./jz up (--clock bus) every service takes its business date from the clock" in out
    assert "--port-base" in out and "base+10" in out and "second copy beside the first" in out
    assert "--check exit 0 once every service is healthy" in out


def test_token_for_an_unknown_jurisdiction_is_one_line_naming_the_known_ones(capsys):
    assert cli.main(["token", "--role", "clerk", "--jurisdiction", "999"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err and err.count("\n") == 1
    assert err.startswith("jz token: unknown jurisdiction 999; 乌尔禾区 has 650205001 (柳树街街道办事处), "
                          "650205100 (乌尔禾镇人民政府), 650205400 (百口泉产业园区管委会)")


def test_a_broken_district_file_is_one_line_for_token(tmp_path, capsys):
    bad = tmp_path / "district.toml"
    bad.write_text((ROOT / "config" / "urho.toml").read_text(encoding="utf-8").replace(
        "monthly_fen = 90000", "monthly_fen = -1", 1), encoding="utf-8")
    assert cli.main(["token", "--role", "clerk", "--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{bad} is not a valid district file: standards.0.monthly_fen: Input should be greater than or " \
           "equal to 0 (given: -1)" in err and "./jz config check" in err


def test_config_check_ready(capsys, monkeypatch):
    monkeypatch.delenv("JZ_HOLIDAY_FILE", raising=False)
    assert cli.main(["config", "check", "--date", "2026-06-01"]) == 0
    out = capsys.readouterr().out
    assert "business date   2026-06-01 (given)" in out and "ready for 2026-06-01" in out
    assert (f"holiday files   {ROOT / 'config' / 'holidays/xinjiang'} (holiday_files), no JZ_HOLIDAY_FILE / --holidays\n"
            "                loaded: national: chinesecalendar 2004–2026, national files none; "
            "regional 新疆维吾尔自治区 (650000): 2022, 2023, 2025, 2026\n") in out


def test_config_check_defaults_to_today_in_the_districts_time_zone(capsys):
    cli.main(["config", "check"])
    assert "(today in Asia/Shanghai)" in capsys.readouterr().out


def test_config_check_not_ready_lists_what_is_missing(capsys, monkeypatch):
    monkeypatch.delenv("JZ_HOLIDAY_FILE", raising=False)
    assert cli.main(["config", "check", "--date", "2031-03-03"]) == 1
    out = capsys.readouterr().out
    assert "NOT READY for 2031-03-03: 5 missing" in out
    assert "1. standards: no dibao standard for urban 2031" in out
    assert '     year = 2031\n     area = "urban"\n     category = "dibao"\n     monthly_fen =' in out
    words = " ".join(out.split())
    assert "5. calendar: the working-day calendar lacks the holidays of 2031: no national notice for 2031" in words
    assert "no regional holidays of 新疆维吾尔自治区 (650000) for 2031 (its files loaded: 2022, 2023, 2025, 2026)" in words
    assert "fix: national-2031.json from the State Council's notice" in words


def _holiday_file(year: int, **changes) -> str:
    """A test fixture in the shape of the State Council's notice — NOT a real one."""
    return json.dumps({"format": "jiuzhu.holidays/1", "year": year, "scope": "national",
                       "source": {"issuer": "国务院办公厅", "title": f"测试用：{year}年部分节假日安排（虚构）"},
                       "holidays": [{"name": "测试假日", "from": f"{year}-04-01"}], "workdays": []} | changes)


def test_config_check_takes_holiday_files_from_holidays_or_jz_holiday_file(tmp_path, capsys, monkeypatch):
    (tmp_path / "2031.json").write_text(_holiday_file(2031), encoding="utf-8")
    monkeypatch.setenv("JZ_HOLIDAY_FILE", str(tmp_path))
    assert cli.main(["config", "check", "--date", "2031-03-03"]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path} (JZ_HOLIDAY_FILE)" in out and "national files 2031;" in out
    assert "no national notice" not in out and "no regional holidays of 新疆维吾尔自治区 (650000) for 2031" in " ".join(out.split())
    monkeypatch.delenv("JZ_HOLIDAY_FILE")
    assert cli.main(["config", "check", "--date", "2031-03-03", "--holidays", str(tmp_path / "2031.json")]) == 1
    assert f"{tmp_path / '2031.json'} (--holidays)" in capsys.readouterr().out


def test_config_check_with_a_bad_holiday_file_is_one_worded_line(tmp_path, capsys):
    bad = tmp_path / "2031.json"
    bad.write_text(_holiday_file(2031, workdays=[{"name": "调休", "date": "2031-04-02"}]), encoding="utf-8")
    assert cli.main(["config", "check", "--date", "2031-03-03", "--holidays", str(bad)]) == 1
    out, err = capsys.readouterr()
    assert out == (f"not ready: holiday file {bad}: workdays[0].date: 调休上班日须为周六或周日 / a made-up working day "
                   "is a Saturday or a Sunday (every service refuses to start on it)\n")
    assert err == ""
    bad.write_text(json.dumps({"years": [2031], "holidays": ["2031-01-01"], "workdays": []}))  # the old shape
    assert cli.main(["config", "check", "--holidays", str(bad)]) == 1
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and f"holiday file {bad}: format: Field required" in out and "Traceback" not in out


def test_config_check_of_an_invalid_file_lists_its_problems_in_words(tmp_path, capsys):
    bad = tmp_path / "district.toml"
    bad.write_text((ROOT / "config" / "urho.toml").read_text(encoding="utf-8").replace(
        'timezone = "Asia/Shanghai"', 'timezone = "Asia/Shanghai"\nmayor = "x"'), encoding="utf-8")
    assert cli.main(["config", "check", "--config", str(bad)]) == 1
    out, err = capsys.readouterr()
    assert f"{bad} cannot be used — not ready:\n  * district.mayor: Extra inputs are not permitted (given: 'x')" in out
    assert "Traceback" not in out + err
