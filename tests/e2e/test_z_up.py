"""``./jz up`` as an operator runs it: in the background, on its own ports and state directory.
It says when each service is healthy, restarts a service that was killed and says so, logs
requests and committed events, and stops everything on SIGINT (which a shell leaves ignored in a
background job) and on SIGTERM."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
PORT_BASE = 28100


class Up:
    def __init__(self, state: Path, env: dict[str, str]):
        self.lines: list[str] = []
        # SIG_IGN for SIGINT in the child, as `./jz up &` gets from a non-interactive shell.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jiuzhu_devstack", "up", "--port-base", str(PORT_BASE)],
            cwd=ROOT, env={**os.environ, **env, "JZ_STATE_DIR": str(state), "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 240) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [line for line in self.lines if text in line]
            if found:
                return found[-1]
            if self.process.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.2)
        raise AssertionError(f"{text!r} not printed; output:\n" + "\n".join(self.lines[-60:]))


def _pid_listening_on(port: int) -> int:
    for conn in psutil.net_connections(kind="tcp"):
        if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_LISTEN and conn.pid:
            return conn.pid
    raise AssertionError(f"nothing listens on {port}")


@pytest.mark.timeout(600)
def test_up_reports_health_restarts_a_killed_service_logs_and_stops_on_sigint(tmp_path, infrastructure):
    # The test run's own servers (the district's credentials directory is generated afresh).
    up = Up(tmp_path / "state", {"NATS_URL": "", "DATABASE_URL": infrastructure.database_url})
    try:
        up.wait_for("all 14 services healthy")
        healthy = [line for line in up.lines if "healthy after" in line]
        assert len(healthy) == 15, healthy  # the services, then the staff console
        console = f"http://127.0.0.1:{PORT_BASE + 9}"
        up.wait_for(f"staff console (工作台): {console}/")
        signin = httpx.get(f"{console}/signin", timeout=5)
        assert signin.status_code == 200 and "刘窗口" in signin.text
        assert any("intake-liushujie" in line and f"http://127.0.0.1:{PORT_BASE + 10}/docs" in line for line in up.lines)

        intake = f"http://127.0.0.1:{PORT_BASE + 10}"
        assert httpx.get(f"{intake}/openapi.json", timeout=5).status_code == 200
        os.kill(_pid_listening_on(PORT_BASE + 10), signal.SIGKILL)
        up.wait_for("intake-liushujie exited with code -9; restarting in 1 s")
        up.wait_for("intake-liushujie restarted")
        deadline = time.monotonic() + 120
        while True:  # back, and healthy
            try:
                if httpx.get(f"{intake}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "intake did not come back"
            time.sleep(0.3)

        logs = tmp_path / "state" / "logs"
        assert "GET /openapi.json 200" in (logs / "intake-liushujie.log").read_text()
        assert "committed authority_granted" in (logs / "decision-liushujie.log").read_text()
        assert "restarted" in (logs / "supervisor.log").read_text()
        children = psutil.Process(up.process.pid).children(recursive=True)
        assert len(children) >= 16  # 14 services, the console, the check-centre simulator, the embedded NATS

        up.process.send_signal(signal.SIGINT)
        assert up.process.wait(90) == 0
        up.wait_for("stopped.")
        assert not [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
    finally:
        if up.process.poll() is None:
            # Each service runs in a session of its own: killing up's group alone would orphan them
            # (and hold these ports for the next run).
            for child in psutil.Process(up.process.pid).children(recursive=True):
                child.kill()
            os.killpg(up.process.pid, signal.SIGKILL)
