"""Where the system Chromium is, and why the browser tests cannot run when it is not there."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

MISSING = (
    "BROWSER TESTS NOT RUN: no Chromium at {path}. Install Debian's package "
    "(apt-get install chromium; scripts/test does so when it runs as root with apt) "
    "or set LEDGER_CHROMIUM to a Chromium executable."
)


def chromium_path() -> Path:
    named = os.environ.get("LEDGER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return Path(named)


def launch_arguments() -> list[str]:
    """Chromium refuses to sandbox itself as root (containers run tests so)."""
    return ["--no-sandbox"] if os.geteuid() == 0 else []
