"""``./jz`` commands called in-process: usage, help, token errors, config check."""

import subprocess
from pathlib import Path

import pytest

from jiuzhu_devstack import cli

ROOT = Path(__file__).resolve().parents[3]


def test_jz_alone_prints_a_clean_usage_naming_every_command():
    shown = subprocess.run(["bash", str(ROOT / "jz")], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0 and shown.stdout.startswith("usage: ./jz COMMAND")
    assert "set -euo" not in shown.stdout and not any(line.startswith("#") for line in shown.stdout.splitlines())
    for command in ("up [--clock bus]", "test", "token", "clock show|set", "config check", "credentials", "bench"):
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
    assert "bus: for rehearsals and training" in out and "./jz clock set|advance|reset" in out
    assert "--port-base" in out and "base+10" in out
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


def test_config_check_ready(capsys):
    assert cli.main(["config", "check", "--date", "2026-06-01"]) == 0
    out = capsys.readouterr().out
    assert "business date   2026-06-01 (given)" in out and "ready for 2026-06-01" in out


def test_config_check_defaults_to_today_in_the_districts_time_zone(capsys):
    cli.main(["config", "check"])
    assert "(today in Asia/Shanghai)" in capsys.readouterr().out


def test_config_check_not_ready_lists_what_is_missing(capsys):
    assert cli.main(["config", "check", "--date", "2031-03-03"]) == 1
    out = capsys.readouterr().out
    assert "NOT READY for 2031-03-03: 5 missing" in out
    assert "1. standards: no dibao standard for urban 2031" in out
    assert '     year = 2031\n     area = "urban"\n     category = "dibao"\n     monthly_fen =' in out
    assert "5. calendar: the working-day calendar does not know the holidays of 2031" in out


def test_config_check_of_an_invalid_file_lists_its_problems_in_words(tmp_path, capsys):
    bad = tmp_path / "district.toml"
    bad.write_text((ROOT / "config" / "urho.toml").read_text(encoding="utf-8").replace(
        'timezone = "Asia/Shanghai"', 'timezone = "Asia/Shanghai"\nmayor = "x"'), encoding="utf-8")
    assert cli.main(["config", "check", "--config", str(bad)]) == 1
    out, err = capsys.readouterr()
    assert f"{bad} cannot be used — not ready:\n  * district.mayor: Extra inputs are not permitted (given: 'x')" in out
    assert "Traceback" not in out + err
