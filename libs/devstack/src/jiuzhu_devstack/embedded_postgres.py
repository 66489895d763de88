"""A real PostgreSQL from the ``pgserver`` wheel's binaries, run on a loopback TCP port.

We drive ``initdb``/``pg_ctl`` ourselves (rather than ``pgserver.get_server``) to listen on TCP,
to raise ``max_connections`` for fourteen services, and to be able to restart it in fault tests.
As root, PostgreSQL runs as the system user ``pgserver``, as pgserver itself does.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from jiuzhu_devstack.ports import free_port, port_is_free


def _bin(name: str) -> str:
    os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")  # pgserver's platformdirs warns without it
    from pgserver._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


class EmbeddedPostgres:
    def __init__(self, data_dir: Path, port: int | None = None):
        self.data_dir = Path(data_dir)
        self.pgdata = self.data_dir / "pgdata"
        self.port = port if port and port_is_free(port) else free_port()
        self.user: str | None = None

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _prepare(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            import pwd
            import stat

            from pgserver._commands import POSTGRES_BIN_PATH
            from pgserver.utils import ensure_folder_permissions, ensure_prefix_permissions, ensure_user_exists

            self.user = "pgserver"
            ensure_user_exists(self.user)
            ensure_prefix_permissions(self.data_dir)
            ensure_prefix_permissions(POSTGRES_BIN_PATH)
            ensure_folder_permissions(POSTGRES_BIN_PATH, stat.S_IRGRP | stat.S_IROTH | stat.S_IXGRP | stat.S_IXOTH)
            ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", stat.S_IRGRP | stat.S_IROTH)
            entry = pwd.getpwnam(self.user)
            os.chown(self.data_dir, entry.pw_uid, entry.pw_gid)

    def _run(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(list(args), check=True, timeout=timeout, user=self.user,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> "EmbeddedPostgres":
        self._prepare()
        if not (self.pgdata / "PG_VERSION").exists():
            self._run(_bin("initdb"), "-D", str(self.pgdata), "--auth=trust", "--encoding=utf8", "-U", "postgres")
        options = (f"-h 127.0.0.1 -p {self.port} -c unix_socket_directories='' -c max_connections=600 "
                   "-c shared_buffers=256MB")
        try:
            self._run(_bin("pg_ctl"), "-D", str(self.pgdata), "-w", "-t", "60", "-l",
                      str(self.data_dir / "postgres.log"), "-o", options, "start", timeout=90)
        except subprocess.CalledProcessError as exc:
            log = (self.data_dir / "postgres.log")
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {exc.stderr!r}\n{tail}") from exc
        return self

    def stop(self, mode: str = "fast") -> None:
        if (self.pgdata / "postmaster.pid").exists():
            try:
                self._run(_bin("pg_ctl"), "-D", str(self.pgdata), "-w", "-m", mode, "stop")
            except subprocess.CalledProcessError:
                pass

    def restart(self) -> None:
        self.stop()
        self.start()
