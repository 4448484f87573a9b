"""Rendering pages in worker processes while the parent writes them.

Rendering is most of a cold build's time after annotation, and it is pure work over
the archive: forked workers inherit the archive and the page makers as they are (no
pickling of either), render the pages in order, and hand back their bytes, while
the parent hashes and writes (:func:`briefing.relink.write_changed`). Without fork
(or for a few pages) the pages are rendered in the parent as before.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterator

from .relink import Make

MIN_PAGES = 64  # fewer pages to render than this: starting workers costs more
CHUNK = 8  # pages per task: small enough to keep both workers busy to the end
AHEAD = 3  # chunks per worker rendered ahead of the writing

_MAKERS: list[Callable[[], str | bytes]] = []  # set before the fork, read by the workers


class _Failed:
    """A page whose rendering raised: the parent renders it again to raise the error."""


def _render_range(start: int, stop: int) -> list:
    return [_render(i) for i in range(start, stop)]


def _window(pool, count: int, ahead: int) -> Iterator:
    """The pages' results in order, with at most ``ahead`` chunks rendered or in the works
    beyond the one being written: pages the parent has not written yet wait in the
    workers' queue, not in its memory (a big download takes it a while to write)."""
    chunks = [(i, min(i + CHUNK, count)) for i in range(0, count, CHUNK)]
    pending: deque = deque()
    sent = 0
    for _ in chunks:
        while sent < len(chunks) and len(pending) < ahead:
            pending.append(pool.apply_async(_render_range, chunks[sent]))
            sent += 1
        yield from pending.popleft().get()


def _render(i: int):
    try:
        content = _MAKERS[i]()
    except Exception:  # not every exception pickles (Jinja's keep their own arguments)
        return _Failed()
    return content.encode("utf-8") if isinstance(content, str) else content


@contextlib.contextmanager
def rendering(files: dict[str, str | bytes | Make], jobs: int) -> Iterator[bool]:
    """Within the block, the :class:`Make` pages of ``files`` render in ``jobs`` workers.

    Yields whether they do.
    Their makers are replaced by ones that take the workers' results in the order
    that :func:`~briefing.relink.write_changed` asks for them (sorted paths).
    :class:`Reuse` pages are left alone: most are linked, not rendered.
    """
    order = [rel for rel in sorted(files) if type(files[rel]) is Make]
    if jobs < 2 or len(order) < MIN_PAGES or "fork" not in mp.get_all_start_methods():
        yield False
        return
    makers = [files[rel].make for rel in order]
    _MAKERS[:] = makers
    workers = min(jobs, len(order) // CHUNK)
    try:
        pool = mp.get_context("fork").Pool(workers)
    except OSError:  # no processes to be had: render here
        yield False
        return
    finally:
        _MAKERS[:] = []  # the workers have their copy
    try:
        results = _window(pool, len(order), AHEAD * workers)

        def taker(make):
            def take():
                got = next(results)
                return make() if isinstance(got, _Failed) else got

            return take

        for rel, make in zip(order, makers, strict=True):
            files[rel] = Make(taker(make))
        yield True
    finally:
        pool.terminate()
        pool.join()


__all__ = ["MIN_PAGES", "rendering"]
