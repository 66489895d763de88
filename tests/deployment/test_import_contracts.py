"""The import contracts of `.importlinter` hold (import-linter): services never import each other,
the shared libraries know no service, event contracts are plain value types, and inside every
service the layers point one way (domain ← adapters ← service_layer ← entrypoints ← bootstrap); the kernel
has no infrastructure, and a service's domain imports only the kernel and the contracts."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_contracts_hold():
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "BROKEN" not in result.stdout and "6 kept, 0 broken" in result.stdout
