"""Annotation in worker processes: the articles to annotate are shared among processes
forked with the knowledge loaded (``--jobs``), each caching what it annotated.

An article crosses back pickled, in its slim form (see :mod:`briefing.slim`) when its
full form went to the build cache; its line of ``annotations.json`` is made here too,
in parallel. The compiled regular expressions each worker makes are added to the
cache's patterns file (:mod:`briefing.recache`), for the next process to load.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from . import cache as _cache
from . import recache
from .errors import BriefingError, Diagnostics
from .progress import Progress
from .project import Project, process_file

PATTERNS = "patterns.marshal"  # compiled regular expressions (briefing.recache), any version
PATTERNS_EVERY = 5.0  # seconds: a worker adds what it compiled to the file at most this often
MIN_PARALLEL = 8  # fewer articles to annotate than this: a pool costs more than it saves

_WORKER: dict = {}


def _init(project: Project, cache_root: str | None, version: str) -> None:
    _WORKER.update(project=project, cache_root=cache_root, version=version)
    if cache_root is not None:
        recache.use(Path(cache_root) / PATTERNS)


def _pool_init(project: Project, cache_root: str | None, version: str) -> None:
    """:func:`_init` in a pool's worker, which also adds the patterns it compiled
    to the file as it ends: it saves at most every few seconds, and what it compiled
    after its last save, the first edit after a cold build compiled again (40 ms)."""
    _init(project, cache_root, version)
    if cache_root is not None:
        from multiprocessing import util

        util.Finalize(None, recache.save, exitpriority=10)  # run as the worker exits


def annotate_one(job: tuple[int, str, str | None], pickled: bool = True):
    """(position, outcome) of one file; from a worker process the article travels pickled.

    The outcome is ("ok", article or its pickle, warnings, timings) or
    ("error", errors, warnings, timings).
    """
    position, path, key = job
    diag = Diagnostics()
    timings: dict[str, float] = {}
    article = process_file(Path(path), _WORKER["project"], diag, timings)
    recache.save(every=PATTERNS_EVERY)
    warnings = [(w.path, w.line, w.message) for w in diag.warnings]
    if article is None:
        errors = [(e.path, e.line, e.message) for e in diag.errors]
        return position, ("error", errors, warnings, timings)
    from .downloads import export_line

    line = export_line(article, _WORKER["project"].root)  # in parallel, and cached
    root, version = _WORKER["cache_root"], _WORKER["version"]
    # an article edited while it was read must not be cached under its old key
    keep = bool(key and root) and _cache.article_key(_cache.FileIndex(), version, path) == key
    if not keep:  # the build keeps the full article: there is nowhere to read it back from
        if pickled:
            article = pickle.dumps((_cache.FORMAT, article, warnings), pickle.HIGHEST_PROTOCOL)
        return position, ("ok", article, warnings, timings)
    from .slim import slim

    lite = slim(article)
    article.__dict__.pop("_export_line", None)  # stored beside it
    data = _cache.pack(lite, warnings, line, article)
    _cache.ArticleCache(Path(root), version).store(key, data)
    return position, ("ok", _cache.head(data) if pickled else lite, warnings, timings)


def _pool_context():
    import multiprocessing as mp

    # fork shares the loaded knowledge with the workers for free; spawn pickles it
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    return mp.get_context(method)


def annotate(project: Project, jobs: int, todo, store, version: str, show: Progress):
    """Annotate ``todo``, ``[(position, path, key)]``, in ``jobs`` processes (here when
    one, or when too few articles to pay for a pool); yields (position, outcome, pickled)
    in any order, ``outcome`` as :func:`annotate_one` gives it."""
    cache_root = str(project.cache_dir) if store is not None else None
    if jobs > 1 and len(todo) >= MIN_PARALLEL:
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        workers = min(jobs, len(todo))
        chunk = max(1, min(16, len(todo) // (workers * 8)))
        pool = ProcessPoolExecutor(
            workers, _pool_context(), _pool_init, (project, cache_root, version)
        )
        try:
            for position, outcome in pool.map(annotate_one, todo, chunksize=chunk):
                show.advance()
                yield position, outcome, True
        except BrokenProcessPool:  # a worker was killed (out of memory?): no hang
            raise BriefingError(
                None, None, "an annotation process died — run again with --jobs 1"
            ) from None
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return
    _init(project, cache_root, version)
    for job in todo:
        position, outcome = annotate_one(job, pickled=False)
        show.advance()
        yield position, outcome, False
    recache.save()
