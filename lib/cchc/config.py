"""Where things live. Environment variables override the defaults (tests use them)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return Path(os.environ.get("CCHC_DATA_DIR", PROJECT_ROOT / "data"))


def reports_dir() -> Path:
    return Path(os.environ.get("CCHC_REPORTS_DIR", PROJECT_ROOT / "reports"))


def params_dir() -> Path:
    return Path(os.environ.get("CCHC_PARAMS_DIR", PROJECT_ROOT / "params"))


def notebooks_dir() -> Path:
    return Path(os.environ.get("CCHC_NOTEBOOKS_DIR", PROJECT_ROOT / "notebooks"))
