"""Rendering and writing pages in worker processes.

Rendering is most of a cold build's time after annotation, and it is pure work over
the archive: forked workers inherit the archive and the page makers as they are (no
pickling of either), render the pages, and place each one as
:func:`briefing.relink.write_changed` would (:func:`briefing.relink.place_made`: kept if
the site has its bytes, else written into the new folder), handing back only its hash.
The parent meanwhile makes the big downloads and links what did not change. Without
fork (or for a few pages) the pages are rendered and written in the parent. An archive
too big for such workers (see :data:`MEMORY`) has its article pages made by an
:class:`ArticleWorker`, forked before the archive was loaded, from their cache entries.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from itertools import chain
from pathlib import Path

from .relink import Later, Make, Manifest, place_made

MIN_PAGES = 64  # fewer pages to render than this: starting workers costs more
CHUNK = 8  # pages per task: small enough to keep both workers busy to the end
# What the build may take of the memory. A worker shares the parent's pages only until
# it writes to them: CPython writes reference counts, and its allocator puts the
# worker's new objects in the free slots of the parent's pools, all over the heap. Each
# worker may come to hold a copy, so as many are started as copies fit. Measured at
# 10,000 articles (420 MB): two such workers, 72 s and 990 MB for the whole build; one for
# the article pages alone still 720 MB. Then the article pages go to an ArticleWorker,
# forked before the archive was loaded (36 MB), and the rest render here: 73-80 s and
# 440 MB, against 81-85 s and 420 MB all here.
MEMORY = 500 * 2**20

# Articles from which a build forks an ArticleWorker before annotating, in case the
# workers forked after indexing do not fit in MEMORY (below this many, they always do).
EARLY_ARTICLES = 2000

# set before the fork, read by the workers: the makers, their paths, the site and manifest
_MAKERS: list[Callable[[], str | bytes]] = []
_TARGET: list = []  # [paths, output, old manifest]
_PAGE: list[Callable] = []  # an ArticleWorker's page maker


class _Failed:
    """A page a worker did not make (it raised, or only the archive can tell how): the
    parent makes it (and raises the error, if it was one)."""


def _render(i: int):
    try:
        content = _MAKERS[i]()
        data = content.encode("utf-8") if isinstance(content, str) else content
        paths, output, old = _TARGET
        return place_made(data, paths[i], output, old)
    except Exception:  # not every exception pickles (Jinja's keep their own arguments)
        return _Failed()


class Workers:
    """The render workers of one write; :meth:`begin` sets them going."""

    def __init__(self, pool, count: int):
        self.pool, self.count = pool, count
        self._results: Iterator | None = None

    def begin(self) -> None:
        """Start placing pages: only once the new site folder may be written (a stale one
        left by a killed build is cleared first, see :func:`briefing.write.recover`)."""
        if self._results is None:
            chunks = [(i, min(i + CHUNK, self.count)) for i in range(0, self.count, CHUNK)]
            # results are hashes, not pages: every chunk may be sent at once
            parts = self.pool.imap(_render_chunk, chunks)
            self._results = chain.from_iterable(parts)

    def next(self):
        self.begin()
        return next(self._results)


def _copies_that_fit() -> int:
    """How many processes of this one's present size fit in :data:`MEMORY`."""
    try:
        with open("/proc/self/statm") as f:
            resident = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):  # not Linux: no way to tell, no limit
        return 1 << 16
    return MEMORY // max(resident, 1)


def _render_chunk(bounds: tuple[int, int]) -> list:
    return [_render(i) for i in range(*bounds)]


class ArticleWorker:
    """One process, forked while this one is still small, that makes article pages.

    A build of a big archive forks it before annotating: it holds the knowledge and
    nothing of the archive, so it copies next to nothing when it renders (see
    :data:`MEMORY`). Given an article's page as data, ``page(*job)`` returns its bytes,
    or None when only the archive can tell (the page is then made here).
    """

    def __init__(self, page: Callable[..., bytes | None]):
        from concurrent.futures import ProcessPoolExecutor

        _PAGE[:] = [page]
        try:
            self.pool = ProcessPoolExecutor(1, mp_context=mp.get_context("fork"))
            self.pool.submit(int).result()  # forked now, not when the archive is big
        finally:
            _PAGE.clear()  # the worker has its copy

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _article_chunk(jobs: list[tuple], output: str) -> list:
    out = []
    for rel, old, job in jobs:
        try:
            data = _PAGE[0](*job)
            out.append(_Failed() if data is None else place_made(data, rel, output, old))
        except Exception:
            out.append(_Failed())
    return out


class _Early:
    """:class:`Workers` for the article pages of an :class:`ArticleWorker`.

    The pages go in chunks, taken in order. This process comes to them once it has
    made the rest of the site: a chunk the worker has not started by then is made here
    (its task cancelled), so that both work to the end.
    """

    def __init__(self, worker: ArticleWorker, chunks: list[list[tuple]], output: str):
        self.worker, self.chunks, self.output = worker, chunks, output
        self._futures: list | None = None
        self._taken: Iterator = iter(())
        self._next = 0  # the chunk to take next

    def begin(self) -> None:
        if self._futures is None:
            submit = self.worker.pool.submit
            self._futures = [submit(_article_chunk, c, self.output) for c in self.chunks]

    def next(self):
        self.begin()
        got = next(self._taken, None)
        while got is None and self._next < len(self.chunks):
            future, size = self._futures[self._next], len(self.chunks[self._next])
            self._next += 1
            if future.cancel():  # not started: made here
                self._taken = iter([_Failed() for _ in range(size)])
            else:
                try:
                    self._taken = iter(future.result())
                except BrokenProcessPool:  # the worker died: the rest are made here
                    self._taken = iter([_Failed() for _ in range(size)])
            got = next(self._taken, None)
        return got if got is not None else _Failed()


@contextlib.contextmanager
def rendering(
    files: dict[str, str | bytes | Make],
    jobs: int,
    output: str | Path,
    old: Manifest | None,
    early: ArticleWorker | None = None,
    articles: Callable[[], dict[str, tuple]] | None = None,
) -> Iterator[Workers | _Early | None]:
    """Within the block, the :class:`Make` pages of ``files`` render in ``jobs`` workers,
    which place them for a :func:`~briefing.relink.write_changed` of ``output``.

    When fewer workers than ``jobs`` fit in :data:`MEMORY`, the ``early`` worker makes
    the pages of ``articles()`` (path -> the job its maker takes; asked for only then:
    at 10,000 articles, making the jobs takes a rebuild of a few pages 0.05 s), and this
    process the rest, as ``write_changed`` writes them.

    Yields the :class:`Workers` (pass their ``begin`` to ``write_changed``), or None when
    the pages render in this process (one job, few pages, no fork, or no memory to spare
    for a worker, see :data:`MEMORY`). Their makers are replaced by ones that take the
    workers' results in the order of ``files``' sorted paths, as ``write_changed`` asks
    for them. :class:`Reuse` pages are left alone: most are linked, not rendered.
    If the block fails, whatever the workers wrote of the new folder is removed.
    """
    order = [rel for rel in sorted(files) if type(files[rel]) is Make]
    if jobs < 2 or len(order) < MIN_PAGES or "fork" not in mp.get_all_start_methods():
        yield None
        return
    workers = min(jobs, len(order) // CHUNK, _copies_that_fit() - 1)
    if workers < jobs and early is not None and articles is not None:
        yield _articles_early(files, early, articles(), output, old)
        return
    if workers < 1:
        yield None
        return
    makers = [files[rel].make for rel in order]
    _MAKERS[:] = makers
    _TARGET[:] = [order, output, old]
    try:
        pool = mp.get_context("fork").Pool(workers)
    except OSError:  # no processes to be had: render here
        yield None
        return
    finally:
        _MAKERS[:], _TARGET[:] = [], []  # the workers have their copy
    running = Workers(pool, len(order))
    try:
        for rel, make in zip(order, makers, strict=True):
            files[rel] = Make(_taker(running, make))
        yield running
    except BaseException:
        pool.terminate()
        pool.join()
        # a worker may have written after write_changed cleared the new folder
        output = Path(output)
        shutil.rmtree(output.parent / f".{output.name}.tmp", ignore_errors=True)
        raise
    finally:
        pool.terminate()
        pool.join()


def _articles_early(files, early: ArticleWorker, articles: dict, output, old) -> _Early:
    todo = sorted(rel for rel in articles if type(files.get(rel)) is Make)
    jobs = [(rel, {rel: old[rel]} if old and rel in old else None, articles[rel]) for rel in todo]
    size = max(CHUNK, len(jobs) // 64)  # few messages, yet pages come back as they are made
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    running = _Early(early, chunks, str(output))
    for rel in todo:
        files[rel] = Later(_taker(running, files[rel].make))
    return running


def _taker(running: Workers | _Early, make: Callable[[], str | bytes]):
    """A page's maker that takes what the workers made of it, in turn, or makes it here
    if they did not."""

    def take():
        got = running.next()
        return make() if isinstance(got, _Failed) else got

    return take


__all__ = ["EARLY_ARTICLES", "MEMORY", "MIN_PAGES", "ArticleWorker", "Workers", "rendering"]
