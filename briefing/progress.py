"""A one-line progress bar for long builds, drawn only on a terminal."""

from __future__ import annotations

import sys
import time

WIDTH = 30
DELAY = 0.5  # seconds before the bar appears: short builds print nothing
EVERY = 0.1  # seconds between redraws


class Progress:
    """``with Progress(n, "annotating") as bar: ... bar.advance()``."""

    def __init__(self, total: int, label: str, stream=None, enabled: bool | None = None):
        self.total, self.label = total, label
        self.stream = stream if stream is not None else sys.stdout
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = bool(enabled)
        self.done = 0
        self.started = time.perf_counter()
        self._drawn = 0.0
        self._shown = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled or not self.total:
            return
        now = time.perf_counter()
        if now - self.started < DELAY or (now - self._drawn < EVERY and self.done < self.total):
            return
        self._drawn = now
        self._shown = True
        filled = WIDTH * self.done // self.total
        rate = self.done / max(now - self.started, 1e-6)
        left = (self.total - self.done) / rate if rate else 0
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] "
            f"{self.done}/{self.total}  {now - self.started:.1f} s, ~{left:.0f} s left "
        )
        self.stream.flush()

    def close(self) -> None:
        if self._shown:
            self.stream.write("\r\033[K")  # clear the bar: the summary line follows
            self.stream.flush()
            self._shown = False

    def stage(self, label: str) -> None:
        """Say which long stage runs now ("rendering..."), until the next one or close."""
        if not self.enabled:
            return
        self.stream.write(f"\r\033[K{label}...")
        self.stream.flush()
        self._shown = True
