"""Where things live. Environment variables override the defaults (tests use them)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return Path(os.environ.get("CCHC_DATA_DIR", PROJECT_ROOT / "data"))


def reports_dir() -> Path:
    return Path(os.environ.get("CCHC_REPORTS_DIR", PROJECT_ROOT / "reports"))


def params_dir() -> Path:
    return Path(os.environ.get("CCHC_PARAMS_DIR", PROJECT_ROOT / "params"))


def chromium() -> str:
    """The Chromium that prints the PDFs (``make setup`` installs Debian's); ``CCHC_CHROMIUM`` names another."""
    return os.environ.get("CCHC_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def notebooks_dir() -> Path:
    return Path(os.environ.get("CCHC_NOTEBOOKS_DIR", PROJECT_ROOT / "notebooks"))
