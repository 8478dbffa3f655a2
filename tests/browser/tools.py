"""The external tools the page-level tests drive, and what to do when one is missing."""

import os
import shutil
from pathlib import Path

from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(message):
    """Skip locally; in CI a missing tool is a failure, never a silent skip."""
    import pytest

    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def require(path: Path, why: str) -> Path:
    if not path.exists():
        unavailable(f"{path} is missing: {why}")
    return path


def java() -> str:
    found = shutil.which("java")
    if not found:
        unavailable("java is missing: the Nu HTML Checker needs a Java runtime")
    return found
