"""What a ``./jz`` command says when it cannot do what was asked: one line on stderr, exit 2."""

from __future__ import annotations

from pathlib import Path


class CommandError(Exception):
    """Raised by a command; ``cli.main`` prints ``jz <command>: <message>`` and returns 2."""


def load_config(path: Path):
    """The district file, or a ``CommandError`` naming its first problem (``./jz config check`` lists all)."""
    from jiuzhu_kernel.district_config_check import ConfigUnreadable, load

    try:
        return load(path)
    except ConfigUnreadable as exc:
        raise CommandError(f"{exc}; ./jz config check --config {path} lists every problem") from None
