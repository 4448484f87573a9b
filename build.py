#!/usr/bin/env python3
"""Build the briefing archive: ``python build.py`` (see ``python build.py --help``)."""

import sys
from pathlib import Path

from briefing import codecache

codecache.install()  # before the package's dataclasses are made (see briefing/codecache.py)

from briefing.cli import run  # noqa: E402

if __name__ == "__main__":
    sys.exit(run(root=Path(__file__).resolve().parent))
