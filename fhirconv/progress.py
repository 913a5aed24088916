"""A one-line progress bar for batch conversions, on stderr.

Deliberately tiny (no dependency): it draws only when the stream is a terminal, so logs, pipes and CI output never
receive carriage returns, and it redraws at most ten times a second so that drawing costs nothing next to a
conversion.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from typing_extensions import Self

__all__ = ["Progress"]

_WIDTH = 24  # characters of the bar itself
_REDRAW_S = 0.1


class Progress:
    """``with Progress(total) as bar: ... bar.advance()`` draws ``[#####....] 12/40 reports 8.1/s 3s left``.

    ``enabled=None`` (the default) means: draw only if ``stream`` is a terminal.
    """

    def __init__(
        self, total: int, stream: TextIO | None = None, enabled: bool | None = None, unit: str = "reports"
    ) -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = bool(isatty and isatty()) if enabled is None else enabled
        self._start = time.monotonic()
        self._last_draw = 0.0
        self._drawn = False

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def advance(self, n: int = 1, failed: bool = False) -> None:
        self.done += n
        self.failed += n if failed else 0
        now = time.monotonic()
        if self.enabled and (now - self._last_draw >= _REDRAW_S or self.done >= self.total):
            self._last_draw = now
            self._draw(now)

    def line(self, now: float | None = None) -> str:
        """The text of the bar (without the carriage return)."""
        now = time.monotonic() if now is None else now
        elapsed = max(now - self._start, 1e-9)
        frac = min(self.done / self.total, 1.0) if self.total else 1.0
        filled = int(frac * _WIDTH)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        failed = f", {self.failed} failed" if self.failed else ""
        return (
            f"[{'#' * filled}{'.' * (_WIDTH - filled)}] {self.done}/{self.total} {self.unit}{failed} "
            f"{rate:.1f}/s {left:.0f}s left"
        )

    def _draw(self, now: float) -> None:
        # \x1b[K clears what a longer previous line left behind.
        self.stream.write("\r" + self.line(now) + "\x1b[K")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """Erase the bar so that the summary lines that follow start on a clean line."""
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False
