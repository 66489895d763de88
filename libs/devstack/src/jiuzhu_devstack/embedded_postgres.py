"""A real PostgreSQL from the ``pgserver`` wheel's binaries, run on a loopback TCP port.

We drive ``initdb``/``pg_ctl`` ourselves (rather than ``pgserver.get_server``) to listen on TCP,
to raise ``max_connections`` for fourteen services, and to be able to restart it in fault tests.
As root, PostgreSQL runs as the system user ``pgserver``, as pgserver itself does.

Password authentication (SCRAM), never ``trust``: a loopback port is reachable by every local user.
The superuser's password is generated once and kept beside the data, readable by the owner only;
each service gets a role of its own that owns only its database (``databases.provision``).
A cluster made before this (trust) is converted on its next start.
"""

from __future__ import annotations

import os
import secrets
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
        self.password_file = self.data_dir / "superuser-password"

    @property
    def password(self) -> str:
        if not self.password_file.exists():
            fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(24) + "\n")
        return self.password_file.read_text().strip()

    @property
    def url(self) -> str:
        return f"postgresql://postgres:{self.password}@127.0.0.1:{self.port}/postgres"

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

    def _initdb(self) -> None:
        pwfile = self.data_dir / f".initdb-{secrets.token_hex(4)}"
        pwfile.write_text(self.password + "\n")
        try:
            if self.user:  # initdb runs as the pgserver user and must read it
                import pwd

                entry = pwd.getpwnam(self.user)
                os.chown(pwfile, entry.pw_uid, entry.pw_gid)
            pwfile.chmod(0o400)
            self._run(_bin("initdb"), "-D", str(self.pgdata), "--auth=scram-sha-256", f"--pwfile={pwfile}",
                      "--encoding=utf8", "-U", "postgres")
        finally:
            pwfile.unlink(missing_ok=True)

    def _convert_trust_cluster(self) -> None:
        """A cluster initialised with ``trust`` (before passwords): set the password, then SCRAM."""
        hba = self.pgdata / "pg_hba.conf"
        text = hba.read_text() if hba.exists() else ""
        if " trust" not in text:
            return
        import asyncio

        import asyncpg

        async def set_password() -> None:
            conn = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/postgres")
            try:
                await conn.execute(f"ALTER ROLE postgres PASSWORD '{self.password}'")
            finally:
                await conn.close()

        asyncio.run(set_password())
        hba.write_text(text.replace(" trust", " scram-sha-256"))
        self._run(_bin("pg_ctl"), "-D", str(self.pgdata), "reload")

    def start(self) -> "EmbeddedPostgres":
        self._prepare()
        if not (self.pgdata / "PG_VERSION").exists():
            self._initdb()
        options = (f"-h 127.0.0.1 -p {self.port} -c unix_socket_directories='' -c max_connections=600 "
                   "-c shared_buffers=256MB")
        try:
            self._run(_bin("pg_ctl"), "-D", str(self.pgdata), "-w", "-t", "60", "-l",
                      str(self.data_dir / "postgres.log"), "-o", options, "start", timeout=90)
        except subprocess.CalledProcessError as exc:
            log = (self.data_dir / "postgres.log")
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {exc.stderr!r}\n{tail}") from exc
        self._convert_trust_cluster()
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
