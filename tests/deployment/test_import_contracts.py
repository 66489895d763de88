"""The import contracts of `.importlinter` hold (import-linter): services never import each other,
the shared libraries know no service, event contracts are plain value types, and inside every
service the layers point one way (domain ← adapters ← service_layer ← entrypoints ← bootstrap); the kernel
has no infrastructure, and a service's domain imports only the kernel and the contracts."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_contracts_hold():
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "BROKEN" not in result.stdout and "6 kept, 0 broken" in result.stdout


SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "src").is_dir())


def test_a_services_tests_import_no_other_service():
    """Two services together are tested in tests/integration, never from one service's own tests."""
    found = []
    for service in SERVICES:
        others = "|".join(s for s in SERVICES if s != service)
        imports_another = re.compile(rf"^\s*(from|import)\s+jiuzhu_({others})\b", re.M)
        for test in (ROOT / "services" / service / "tests").rglob("*.py"):
            if imports_another.search(test.read_text(encoding="utf-8")):
                found.append(str(test.relative_to(ROOT)))
    assert found == []
