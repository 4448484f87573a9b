"""The pipeline, end to end: read -> clean -> annotate -> index -> render -> write.

Each stage is its own module; this one only wires them together and makes sure that
one bad article costs that article alone: its error is reported and the rest build.

Builds are incremental (see :mod:`briefing.cache`): annotated articles are cached by
content hash and the version of the knowledge and code; only new or changed articles
are annotated, in parallel across cores (``jobs``); only files whose bytes changed are
written (:mod:`briefing.relink`); and a rebuild whose inputs and output are as the
last build left them answers at once. The heavy modules are imported lazily, so that
a no-op rebuild loads none of them.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import sys
import threading
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache as _cache
from . import recache
from .errors import BriefingError, Diagnostics
from .progress import Progress

if TYPE_CHECKING:
    from .clean import Cleaner
    from .config import SiteConfig
    from .knowledge import Knowledge
    from .model import Article

ROOT = Path(__file__).resolve().parent.parent
PATTERNS = "patterns.marshal"  # compiled regular expressions (briefing.recache), any version
SETTINGS = "settings.pickle"  # site.yaml as last read (Builder._settings)
PATTERNS_EVERY = 5.0  # seconds: a worker adds what it compiled to the file at most this often
MIN_PARALLEL = 8  # fewer articles to annotate than this: a pool costs more than it saves


@dataclass
class Project:
    """Where a project's parts live; by default the folders beside ``build.py``."""

    root: Path = ROOT
    content: Path | None = None
    templates: Path | None = None
    output: Path | None = None
    cache_dir: Path | None = None

    def __post_init__(self):
        # absolute: the cache keys and the build state hold these paths, and `--root .`
        # must find what `--root /the/project` left (and the reverse)
        self.root = Path(self.root).absolute()
        self.content = Path(self.content).absolute() if self.content else self.root / "content"
        self.templates = (
            Path(self.templates).absolute() if self.templates else self.root / "templates"
        )
        self.output = Path(self.output).absolute() if self.output else self.root / "site"
        self.cache_dir = (
            Path(self.cache_dir).absolute() if self.cache_dir else self.root / ".briefing-cache"
        )

    @cached_property
    def config(self) -> SiteConfig:
        from . import config as _config

        return _config.load(self.content / "site.yaml")

    @cached_property
    def knowledge(self) -> Knowledge:
        from . import knowledge as _knowledge

        return _knowledge.load(self.content)

    @cached_property
    def cleaner(self) -> Cleaner:
        from .clean import Cleaner
        from .knowledge import cleaning as _cleaning

        return Cleaner(_cleaning.load(self.content / "cleaning.yaml"))

    def inputs(self) -> list[Path]:
        return [self.root / folder for folder in self.config.articles]

    def forget(self, *names: str) -> None:
        """Drop loaded settings or knowledge so that the next use reads the files again."""
        for name in names:
            self.__dict__.pop(name, None)


class BuildResult:
    """What a build did. ``articles`` of a no-op rebuild are loaded from the cache on use."""

    def __init__(self, diag: Diagnostics | None = None):
        self.diag = diag or Diagnostics()
        self.files = 0  # files in the site
        self.written = 0  # files written (new or changed bytes)
        self.annotated = 0  # articles annotated by this build (the rest came from the cache)
        self.count = 0  # articles in the site
        self.seconds = 0.0
        self.noop = False
        self.fast = False  # only the edited articles' pages were made, without an index
        self.timings: dict[str, float] = {}
        self._articles: list[Article] | None = []
        self._loader = None

    @property
    def articles(self) -> list[Article]:
        if self._articles is None:
            self._articles = self._loader() if self._loader else []
        return self._articles

    @articles.setter
    def articles(self, value: list[Article]) -> None:
        self._articles = value
        self.count = len(value)

    def summary(self, output: Path) -> str:
        how = "nothing changed" if self.noop else f"{self.annotated} annotated"
        pages = f"{self.files} pages" + ("" if self.noop else f" ({self.written} written)")
        return f"built {self.count} articles ({how}), {pages} in {self.seconds:.2f} s -> {output}"


# -- one article ------------------------------------------------------------------------
def _annotation_error(path: Path, e: Exception) -> BriefingError:
    import traceback  # and textwrap with it: only when an annotator fails

    where = traceback.extract_tb(e.__traceback__)[-1]
    return BriefingError(
        path,
        None,
        f"annotation failed ({type(e).__name__}: {e} at {Path(where.filename).name}:"
        f"{where.lineno}) — please report this article",
    )


def process_file(
    path: Path, project: Project, diag: Diagnostics, timings: dict | None = None
) -> Article | None:
    """Read, clean and annotate one file; None (with the error noted) if it cannot be."""
    from . import annotate as _annotate
    from .read import read_article

    t0 = time.perf_counter()
    try:
        raw = read_article(path, diag)
        t1 = time.perf_counter()
        article = project.cleaner.clean(raw)
    except BriefingError as e:
        diag.error(e)
        return None
    t2 = time.perf_counter()
    try:
        _annotate.annotate(article, project.knowledge, diag)
    except Exception as e:  # an annotator bug must not cost the rest of the archive
        diag.error(_annotation_error(path, e))
        return None
    if timings is not None:
        t3 = time.perf_counter()
        timings["read"] = timings.get("read", 0.0) + t1 - t0
        timings["clean"] = timings.get("clean", 0.0) + t2 - t1
        timings["annotate"] = timings.get("annotate", 0.0) + t3 - t2
    return article


def _check_unique(article: Article, path: Path, ids: dict, slugs: dict, diag) -> bool:
    if article.id in ids:
        diag.error(
            BriefingError(
                path,
                None,
                f"duplicate article id {article.id!r} (also {ids[article.id]}) — rename one file",
            )
        )
        return False
    if article.slug in slugs:
        diag.error(
            BriefingError(
                path,
                None,
                f"duplicate slug {article.slug!r} (also {slugs[article.slug]}) — set another 'slug'",
            )
        )
        return False
    ids[article.id] = slugs[article.slug] = article.source
    return True


def process(paths: list[str | Path], project: Project, diag: Diagnostics) -> list[Article]:
    """Every article under ``paths``, annotated; duplicates of an id or slug are refused."""
    from .read import discover

    articles: list[Article] = []
    ids: dict[str, str] = {}
    slugs: dict[str, str] = {}
    for path in discover(paths, diag):
        article = process_file(path, project, diag)
        if article is not None and _check_unique(article, path, ids, slugs, diag):
            articles.append(article)
    return articles


def load_article(path: str | Path, project: Project | None = None) -> Article:
    """One annotated article; raises :class:`BriefingError` if it cannot be read."""
    diag = Diagnostics()
    article = process_file(Path(path), project or Project(), diag)
    if article is None:
        raise diag.errors[0]
    return article


# -- annotation in worker processes -------------------------------------------------------
_WORKER: dict = {}


def _worker_init(project: Project, cache_root: str | None, version: str) -> None:
    _WORKER.update(project=project, cache_root=cache_root, version=version)
    if cache_root is not None:
        recache.use(Path(cache_root) / PATTERNS)


def _pool_worker_init(project: Project, cache_root: str | None, version: str) -> None:
    """:func:`_worker_init` in a pool's worker, which also adds the patterns it compiled
    to the file as it ends: it saves at most every few seconds, and what it compiled
    after its last save, the first edit after a cold build compiled again (40 ms)."""
    _worker_init(project, cache_root, version)
    if cache_root is not None:
        from multiprocessing import util

        util.Finalize(None, recache.save, exitpriority=10)  # run as the worker exits


def _annotate_one(job: tuple[int, str, str | None], pickled: bool = True):
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


class Articles:
    """The full articles and export lines that pages need, read back from the build cache.

    A build keeps slim articles in memory (see :mod:`briefing.slim`); an article's own
    page and ``annotations.json`` take what they need of the full one from the cache
    entry, one article at a time. Articles kept whole (no cache) serve themselves.
    """

    def __init__(self, store: _cache.ArticleCache | None, keys: dict[str, str], root: Path):
        self.store, self.keys, self.root = store, keys, root

    def _key(self, article) -> str | None:
        from .slim import SlimArticle

        return self.keys.get(article.id) if isinstance(article, SlimArticle) else None

    def full(self, article):
        """The article with every layer."""
        key = self._key(article)
        if key is None:
            return article
        got = self.store.full(key) if self.store is not None else None
        if got is None:
            raise BriefingError(article.source, None, "its build cache entry is gone — build again")
        return got

    def line(self, article, root: Path | None) -> str:
        """The article's line of ``annotations.json``, sources relative to ``root``."""
        from .downloads import export_line

        key = self._key(article)
        if key is not None and self.store is not None and str(root) == str(self.root):
            got = self.store.line(key)
            if got:
                return got
        return export_line(self.full(article), root)


# -- the build ----------------------------------------------------------------------------
class Builder:
    """Builds one project's site again and again, each time doing only what changed.

    ``python build.py`` uses one for one build; ``serve`` keeps one alive, so that the
    knowledge, the annotated articles and the last build's state stay in memory.
    """

    def __init__(
        self,
        project: Project,
        *,
        jobs: int | None = None,
        use_cache: bool = True,
        progress: bool | None = None,
        keep_in_memory: bool = False,
    ):
        self.project = project
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.use_cache = use_cache
        self.progress = progress
        self.keep_in_memory = keep_in_memory
        self.state: _cache.BuildState | None = None
        self.memo: dict[str, Article] = {}
        self._memo_warnings: dict[str, list] = {}
        self._kb_version: str | None = None
        self._site_hash: str | None = None
        self._env = None  # the Jinja environment, kept between builds
        self._uses: dict = {}  # the templates each template names, by its source
        self._archive = None  # the last build's index, kept in memory for quick()
        self._early = None  # the article pages' worker of a big build (pagepool.ArticleWorker)
        if use_cache:  # before the annotators are imported: some compile as they load
            recache.use(project.cache_dir / PATTERNS)

    # -- paths the build depends on ------------------------------------------------------
    def _watched(self, folders: list[str], inputs: list[str] | None) -> list[str]:
        """Every file whose change could change the site: a superset is harmless."""
        p = self.project
        files = _cache.code_files() + _cache.tree_files(p.content)
        files += _cache.tree_files(p.templates)
        for given in inputs if inputs is not None else [str(p.root / f) for f in folders]:
            if os.path.isdir(given):
                files += _cache.tree_files(Path(given))
            else:
                files += [given] + [s for s in _cache.sidecars(given) if os.path.exists(s)]
        return sorted(set(files))

    def _params(self, inputs: list[str] | None, strict: bool) -> str:
        p = self.project
        where = [str(x) for x in (p.root, p.content, p.templates, p.output)]
        return _cache.combine(_cache.FORMAT, where, inputs, strict)

    def _load_state(self) -> _cache.BuildState | None:
        if self.state is None and self.use_cache:
            self.state = _cache.BuildState.load(self.project.cache_dir, self.project.output)
        return self.state

    def _scan(self, folders: list[str], inputs, index: _cache.FileIndex):
        """``(folders, watched files, their hashes, none changed)``: one stat per file."""
        watched = self._watched(folders, inputs)
        hashes, same = index.scan(watched)
        return list(folders), watched, hashes, same

    def _noop(self, state, scanned, result: BuildResult, strict: bool) -> bool:
        _, watched, _, same = scanned
        if watched != state.watched or not same:
            return False
        if not state.output_intact(self.project.output):
            return False
        for kind, path, line, message in state.diagnostics:
            if kind == "error":
                result.diag.error(BriefingError(path, line, message))
            else:
                result.diag.warn(path, line, message)
        if strict and state.diagnostics:
            raise BriefingError(
                None,
                None,
                "--strict: the build has problems (above) — fix them or build without --strict; "
                "the previous site is kept",
            )
        result.noop = True
        result.files = state.files_count
        result.count = state.articles
        result._articles = None
        result._loader = lambda: self._load_articles(state.keys, state.version)
        if state.files.hashed:  # touched files were hashed: remember, not to hash them again
            state.files.hashed = 0
            state.save(self.project.cache_dir, self.project.output)
        return True

    def _load_articles(self, keys: list[str], version: str) -> list[Article]:
        store = _cache.ArticleCache(self.project.cache_dir, version)
        out = []
        for key in keys:
            got = self.memo.get(key) or (store.get(key) or (None,))[0]
            if got is not None:
                out.append(got)
        return out

    # -- a rebuild that needs no index -----------------------------------------------------
    def _fast(self, state, now: _Inputs, store, result, maker) -> bool:
        """Rebuild after edits that change only what the edited articles' own pages show.

        When the articles are the last build's, the knowledge, templates and settings too,
        and each edited article's slim view (everything other pages show of it, see
        :mod:`briefing.slim`) is as it was, every other page is as it was: the edited
        articles' pages and ``annotations.json`` are made, linked as the last build linked
        them, and nothing is loaded or indexed. So are edited static files (a style
        sheet), which no page is made from: they are copied. False (having done no harm)
        when that does not hold; the edited articles are then in the cache for the whole
        build. ``now``: the inputs as this build found them. ``maker``: the pages' maker
        forked by :meth:`_fast_maker`, or None. Called only where :func:`_may_be_fast`
        holds (it is checked before the knowledge loads).
        """
        p = self.project
        f = state.fast
        keys = now.keys
        if store is None or f["basis"] != now.basis or f["templates"] != now.templates.jinja:
            return False
        if f["paths"] != now.paths or len(state.keys) != len(keys):
            return False
        if str(p.content.parent) != str(p.root) or state.output_id != _cache.output_id(p.output):
            return False  # the export's sources are relative to the root: as the cache has them
        static = now.templates.static
        if set(static) != set(f["static"]):  # a file added or removed: the whole build
            return False
        restyled = sorted(rel for rel, h in static.items() if f["static"][rel] != h)
        changed = [i for i, (k, old) in enumerate(zip(keys, state.keys, strict=True)) if k != old]
        if not (changed or restyled) or None in keys:
            return False
        return self._fast_edits(state, now, changed, restyled, store, result, maker)

    def _fast_maker(self, state, params):
        """The page maker for :meth:`_fast`, forked now to load the templates while this
        process loads the knowledge and annotates (see :mod:`briefing.forked`); None
        where it would not pay: a build that cannot be fast, one job, or a process that
        has its templates already or runs other threads (``serve``)."""
        if not _may_be_fast(state, params):
            return None
        if not self.use_cache or self.jobs < 2 or not hasattr(os, "fork"):
            return None
        if "briefing.render" in sys.modules or threading.active_count() > 1:
            return None
        from .forked import ForkedMaker

        return ForkedMaker(self._maker)

    def _fast_edits(self, state, now: _Inputs, changed, restyled, store, result, maker) -> bool:
        """:meth:`_fast` past its checks: the ``changed`` articles annotated, their pages
        made by ``maker`` (or here, if None), the ``restyled`` static files copied, the
        site and the state updated."""
        p = self.project
        f = state.fast
        keys = now.keys
        from .slim import SlimArticle

        tick = time.perf_counter()
        todo = [(i, now.paths[i], keys[i]) for i in changed]
        edited = {}
        for i, (status, payload, warnings, _), pickled in self._annotate(
            todo, store, now.version, Progress(0, "", enabled=False)
        ):
            if status != "ok" or warnings:
                return False
            edited[i] = pickle.loads(payload)[1] if pickled else payload
        result.annotated = len(edited)  # if not taken, the whole build finds them cached
        for i, lite in edited.items():
            if not isinstance(lite, SlimArticle) or (lite.id, lite.view) != tuple(f["views"][i]):
                return False
        result.timings["annotate"] = time.perf_counter() - tick
        tick = time.perf_counter()
        try:
            report, made_from = self._fast_write(state, now, edited, restyled, store, maker)
        except (_NeedFull, LookupError):
            return False
        result.timings["render+write"] = time.perf_counter() - tick
        if self.keep_in_memory:
            for i, lite in edited.items():
                self.memo.pop(state.keys[i], None)
                self.memo[keys[i]] = lite
        state = _cache.BuildState(**{**vars(state)})
        state.files.restrict(now.watched)
        state.files.stamp, state.files.hashed = now.stamp, 0
        state.watched, state.keys = now.watched, list(keys)
        state.manifest, state.pages, state.files_count = report.manifest, made_from, report.files
        state.output_id = _cache.output_id(p.output)
        state.fast = {**f, "static": now.templates.static}
        self.state = state
        state.save(p.cache_dir, p.output)
        store.touch()
        result.count, result.fast = len(keys), True
        result.files, result.written = report.files, report.written
        result._articles = None
        result._loader = lambda: self._load_articles(list(keys), now.version)
        return True

    def _fast_write(self, state, now: _Inputs, edited: dict, restyled, store, maker):
        from . import downloads, urls, write
        from .relink import Stream, write_in_place

        p = self.project
        f, keys, basis = state.fast, now.keys, now.basis
        shared = f["shared"]
        made_from = dict(state.pages)
        files: dict = {}
        if edited:
            look = f["looks"][urls.ARTICLE_TEMPLATE]
            files.update(self._fast_articles(state, f, keys, edited, store, maker))
            for i, path in zip(edited, files, strict=True):
                made_from[path] = _made_from(basis, shared, path, [keys[i]], look)
            made_from[downloads.JSON_PATH] = _made_from(
                basis, shared, downloads.JSON_PATH, _every(keys)
            )
            swaps = [(store.line(state.keys[i]), store.line(keys[i])) for i in edited]
            if not all(old and new for old, new in swaps):
                raise _NeedFull
            export = os.path.join(p.output, downloads.JSON_PATH)  # in the same order: same ids
            files[downloads.JSON_PATH] = Stream(lambda: downloads.spliced_chunks(export, swaps))
        for rel in restyled:  # bytes: copied as they are, whatever their encoding
            files[rel] = (p.templates / rel).read_bytes()
            made_from[rel] = _made_from(basis, shared, rel, [], now.templates.static[rel])
        with write.build_lock(p.output):
            report = write_in_place(files, p.output, state.manifest)
        if report is None:
            raise _NeedFull  # a file of the site is not as written: the whole build mends it
        return report, made_from

    def _fast_articles(self, state, f: dict, keys, edited: dict, store, maker):
        """{path: page} of the ``edited`` articles, made later (see :func:`_later_pages`),
        linked as :meth:`quick` links them: the same page slugs, speakers and themes."""
        from .index import entries_linked

        fulls = [store.full(keys[i]) for i in edited]
        if None in fulls:
            raise _NeedFull
        entries = entries_linked(
            fulls, self.project.knowledge, f["slugs"], f["speakers"], f["themes"]
        )
        if not entries:
            raise _NeedFull
        if maker is not None:
            pages = maker.submit(entries)  # made in the child while the export is spliced
        else:
            make = self._maker()

            def pages():
                return [make(e) for e in entries]

        return _later_pages(entries, pages)

    # -- knowledge, per version --------------------------------------------------------------
    def _settings(self, index: _cache.FileIndex) -> None:
        """The site's settings as ``site.yaml`` has them now, read back from the cache
        while the file and the code are as they were: no YAML parser to import (some
        10 ms), here or in the page maker forked next."""
        p = self.project
        path = p.content / "site.yaml"
        site_hash = index.hash(path)
        if site_hash != self._site_hash:
            p.forget("config")
            self._site_hash = site_hash
        if "config" in p.__dict__ or not self.use_cache:
            return
        key = (_cache.code_version(index), site_hash, str(path))
        p.__dict__["config"] = _cache.kept(p.cache_dir / SETTINGS, key, lambda: p.config)

    def _knowledge(self, index: _cache.FileIndex, store: _cache.ArticleCache | None, version):
        p = self.project
        if version == self._kb_version and "knowledge" in p.__dict__:
            return
        p.forget("knowledge", "cleaner")

        def load():
            return _read_knowledge(p.content)

        kb, rules = store.knowledge(load) if store is not None else load()
        from .clean import Cleaner

        p.__dict__.update(knowledge=kb, cleaner=Cleaner(rules))
        self._kb_version = version
        self.memo.clear()

    # -- annotation -------------------------------------------------------------------------
    def _annotate(self, jobs_todo, store, version, show: Progress):
        """Annotate ``[(position, path, key)]``; yields (position, outcome) in any order."""
        p = self.project
        cache_root = str(p.cache_dir) if store is not None else None
        if self.jobs > 1 and len(jobs_todo) >= MIN_PARALLEL:
            from concurrent.futures import ProcessPoolExecutor
            from concurrent.futures.process import BrokenProcessPool

            workers = min(self.jobs, len(jobs_todo))
            chunk = max(1, min(16, len(jobs_todo) // (workers * 8)))
            pool = ProcessPoolExecutor(
                workers, _pool_context(), _pool_worker_init, (p, cache_root, version)
            )
            try:
                for position, outcome in pool.map(_annotate_one, jobs_todo, chunksize=chunk):
                    show.advance()
                    yield position, outcome, True
            except BrokenProcessPool:  # a worker was killed (out of memory?): no hang
                raise BriefingError(
                    None, None, "an annotation process died — run again with --jobs 1"
                ) from None
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
            return
        _worker_init(p, cache_root, version)
        for job in jobs_todo:
            position, outcome = _annotate_one(job, pickled=False)
            show.advance()
            yield position, outcome, False
        recache.save()

    def _environment(self, render):
        """The Jinja environment, made once; compiled templates cached on disk.

        Jinja recompiles a template whose file changed (``auto_reload``), so one
        environment serves every rebuild of ``serve``; the bytecode cache spares a
        fresh process the compiling of every template.
        """
        if self._env is None:
            env = render.environment(self.project.templates)
            if self.use_cache:
                import jinja2

                folder = self.project.cache_dir / "jinja"
                with contextlib.suppress(OSError):
                    folder.mkdir(parents=True, exist_ok=True)
                    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
            self._env = env
        return self._env

    def _render(
        self, render, archive, config, basis: str, templates, kept, keys, views, old: dict, store
    ):
        """The site's files, each made when written, and what each page was made from.

        A page whose articles, templates and shared parts are as they were is not
        rendered again (see :func:`_planned`). Returns ``(files, made_from, seconds,
        shared, looks)``: ``seconds`` holds the time spent rendering so far, for
        ``--timings``; ``shared`` is the plan's hash of what every page shows; ``looks``
        the hash of what each template is made of (see :meth:`_Templates.looks`), as
        ``kept`` has them when the templates are the last build's.
        """
        env = self._environment(render)
        spent = [0.0]

        def timed(make):
            def made():
                tick = time.perf_counter()
                try:
                    return make()
                finally:
                    spent[0] += time.perf_counter() - tick

            return made

        source = Articles(store, keys, self.project.root)
        planned = render.plan(archive, config, self.project.templates, env, source=source)
        used = {page.template for page in planned[1] if page.template}
        looks = templates.looks(
            used, lambda names: render.template_uses(env, names, self._uses), kept
        )
        files, made_from = _planned(planned, basis, looks, keys, views, old, timed)
        return files, made_from, spent, planned[0], looks

    def build(
        self,
        inputs: list[str | Path] | None = None,
        strict: bool = False,
        diag: Diagnostics | None = None,
    ) -> BuildResult:
        """Build the site into ``project.output``; the previous site survives failure."""
        try:
            return self._build(inputs, strict, diag)
        except BaseException:
            # the state in memory took the failed build's scan of the files: the next
            # build would find nothing changed since, and call the failure a success
            self._archive, self.state = None, None
            raise
        finally:
            self._close_early()
            gc.unfreeze()

    def _close_early(self) -> None:
        if self._early is not None:
            self._early.close()
            self._early = None

    def _fork_early(self, count: int, store) -> None:
        """Fork the worker that will make a big archive's article pages, while this
        process holds only the knowledge (see :class:`briefing.pagepool.ArticleWorker`)."""
        import multiprocessing as mp

        from . import pagepool

        if self.jobs < 2 or store is None or count < pagepool.EARLY_ARTICLES:
            return
        if "fork" not in mp.get_all_start_methods():
            return
        makers: list = []  # made once in the worker, for the thousands of pages it makes

        def page(key: str, slug: str, speakers: dict, themes: dict) -> bytes | None:
            full = store.full(key)
            if full is None:
                return None
            if not makers:
                makers.append(self._maker())
            made = self._pages_linked([full], {full.id: slug}, speakers, themes, make=makers[0])
            if made is None:  # linked otherwise than the page's own slugs say: made here
                return None
            return next(iter(made.values())).encode("utf-8")

        with contextlib.suppress(OSError):  # no process to be had: the pages are made here
            self._early = pagepool.ArticleWorker(page)

    def quick(self, changed, open_pages=()) -> list[str]:
        """Write the pages of edited articles at once, linked as in the last build.

        ``serve`` calls this before the whole rebuild, so that the page being edited
        is served in a moment (as Hugo's fast render does); the rebuild that follows
        makes every page as usual, this one included. Only edits to the text of
        articles already in the last build qualify: anything else (a new article, a
        sidecar, templates, an edit that changes a slug or a speaker's link, an article
        with errors) writes nothing and returns [].

        An edit to the knowledge alone (:func:`briefing.cache.knowledge_files`) changes
        every article: then the pages of ``open_pages`` (article pages the preview
        shows, as site paths) are written with the knowledge as it now is (see
        :meth:`_quick_knowledge`), and no others. An edit to templates alone may change
        every page: then ``open_pages`` are made with them (:meth:`_quick_templates`).
        """
        changed = sorted(changed)
        if not changed or not self.keep_in_memory:
            return []
        knowledge = {os.path.normpath(k) for k in _cache.knowledge_files(self.project.content)}
        if all(os.path.normpath(c) in knowledge for c in changed):
            return self._quick_knowledge(list(open_pages))
        if all(self._template(c) for c in changed):
            return self._quick_templates(list(open_pages))
        links = self._last_links()
        if links is None:
            return []
        from .read import ARTICLE_SUFFIXES

        sources = set(links[0].values())
        if any(c not in sources or not c.lower().endswith(ARTICLE_SUFFIXES) for c in changed):
            return []
        return self._write_first(self._article_pages(changed, links))

    def _quick_knowledge(self, open_pages: list[str]) -> list[str]:
        """:meth:`quick` after an edit to the knowledge: the articles of ``open_pages``
        annotated with the knowledge as the files now have it, and their pages written.

        Fixing an alias or a lexicon in ``serve`` then shows on the open article in well
        under a second, where the rebuild of every article takes seconds (a minute at
        10,000). The knowledge loads beside this builder's, never into it: the project,
        the build state and its index of files stay as the last build left them, for the
        rebuild to find the edit (it takes the knowledge from the cache, loaded here).
        """
        links = self._last_links() if open_pages else None
        todo = _open_sources(links, open_pages)
        if not todo:
            return []
        import copy
        import functools

        from .clean import Cleaner

        p = self.project
        version = _cache.version(_cache.FileIndex(), p.content)
        store = _cache.ArticleCache(p.cache_dir, version) if self.use_cache else None
        load = functools.partial(_read_knowledge, p.content)
        kb, rules = store.knowledge(load) if store is not None else load()
        now = copy.copy(p)  # the project with the knowledge as it now is
        now.__dict__.update(knowledge=kb, cleaner=Cleaner(rules))
        return self._write_first(self._article_pages(todo, links, now))

    def _template(self, path: str) -> bool:
        """Whether ``path`` is a template (of the templates folder, not a static file)."""
        folder = os.path.normpath(self.project.templates)
        rel = os.path.relpath(os.path.normpath(path), folder).replace(os.sep, "/")
        return not rel.startswith(("../", STATIC)) and rel != ".."

    def _quick_templates(self, open_pages: list[str]) -> list[str]:
        """:meth:`quick` after an edit to templates: the pages of ``open_pages`` made with
        them, as the rebuild will make them, which at 10,000 articles takes half a minute
        when a template every page extends changed.

        Article pages are made from their files, linked as the last build linked them;
        other pages from the last build's index (:meth:`_index_kept`; what they show of
        articles is what their slim forms hold, which a rebuild without index leaves as
        it was). Pages that show whole articles beside the article's page (the export)
        are left to the rebuild."""
        links = self._last_links() if open_pages else None
        if links is None:
            return []
        made: dict[str, str] = {}
        todo = _open_sources(links, open_pages)
        if todo:
            linked = self._article_pages(todo, links)
            if linked is None:
                return []
            made.update(linked)
        others = {page for page in open_pages if page not in links[0]}
        archive = self._index_kept() if others else None
        if archive is not None:
            from . import render

            env = self._environment(render)
            _, planned = render.plan(archive, self.project.config, self.project.templates, env)
            for page in planned:
                if page.path in others and page.template and not page.full and not page.stream:
                    made[page.path] = page.render()
        return self._write_first(made)

    def _index_kept(self):
        """The last build's index: kept by this builder, else made again from the cache
        (a preview started on a site that was up to date made none: once, 0.6 s at 1,000
        articles); None when the last build had problems, or its articles are not all
        in the cache."""
        state = self.state
        if self._archive is None and self.keep_in_memory and state is not None and state.fast:
            from .index import build_index

            articles = self._load_articles(state.keys, state.version)
            if len(articles) == len(state.keys):
                with _no_gc():
                    self._archive = build_index(articles, self.project.knowledge)
        return self._archive

    def _write_first(self, made: dict[str, str] | None) -> list[str]:
        """Write the pages ``made`` by :meth:`quick` into the site; their paths."""
        if not made:
            return []
        from .relink import replace_recorded

        # recorded, or the rebuild that follows would find the site not as it wrote it
        # and make it whole again (a second instead of a tenth)
        manifest = self.state.manifest if self.state is not None else {}
        for rel, text in made.items():
            replace_recorded(self.project.output, rel, text.encode("utf-8"), manifest)
        return sorted(made)

    def _article_pages(self, sources, links, project: Project | None = None):
        """{path: page} of the articles of the files ``sources``, read and annotated with
        ``project``'s knowledge (by default this builder's), linked as ``links`` (of
        :meth:`_last_links`) say; None when one has problems or links otherwise."""
        project = project or self.project
        diag = Diagnostics()
        articles = [process_file(Path(s), project, diag) for s in sources]
        if diag.errors or diag.warnings or any(a is None for a in articles):
            return None
        _, slugs, speakers, themes = links
        kb = project.knowledge if project is not self.project else None
        return self._pages_linked(articles, slugs, speakers, themes, kb=kb)

    def _pages_linked(self, articles, slugs, speakers, themes, make=None, kb=None):
        """{path: page} of ``articles``, linked as the last build linked them (``slugs``
        of the articles' pages by id, of speakers and themes); None when an edit would
        change links (see :func:`briefing.index.entries_linked`). ``make``: a page maker
        of :meth:`_maker` to use again, else one is made from the last archive. ``kb``:
        the knowledge the articles were annotated with, if not the project's."""
        from .index import entries_linked

        kb = kb if kb is not None else self.project.knowledge
        entries = entries_linked(articles, kb, slugs, speakers, themes)
        if not entries:
            return None
        make = make or self._maker(self._archive)
        return {e.path: make(e) for e in entries}

    def _maker(self, archive=None):
        """What makes an article page, with ``archive`` or none (the page needs none)."""
        from . import render

        p = self.project
        env = self._environment(render)
        source = archive if archive is not None else _NoArchive()
        return render.article_maker(source, p.config, p.templates, env)

    def warm(self) -> None:
        """Annotate one article and let it go: the annotators compile their patterns on
        first use (a few tenths of a second), which the first edit in ``serve`` would pay."""
        links = self._last_links()
        if links and links[0]:
            with contextlib.suppress(Exception):
                process_file(Path(min(links[0].values())), self.project, Diagnostics())

    def _last_links(self):
        """``(pages, page slugs, speaker slugs, theme slugs)`` of the last build, or None:
        ``pages`` maps the site path of each article's page to the article's file.

        From the last build's index when this builder made it, else from its state (a
        rebuild that needed no index, or a no-op, leaves the index unmade)."""
        from . import urls

        state = self.state if self.state is not None else self._load_state()
        if state is not None and state.fast:
            f = state.fast
            slugs = f["slugs"]
            pages = {
                urls.article(slugs[i]): path
                for path, (i, _) in zip(f["paths"], f["views"], strict=True)
                if i in slugs
            }
            return pages, slugs, f["speakers"], f["themes"]
        archive = self._archive
        if archive is None:
            return None
        return (
            {e.path: str(e.article.source) for e in archive.articles},
            {e.article.id: e.slug for e in archive.articles},
            {x.id: x.slug for x in archive.leaders},
            {t.id: t.slug for t in archive.topics},
        )

    def _build(self, inputs, strict: bool, diag: Diagnostics | None) -> BuildResult:
        started = time.perf_counter()
        p = self.project
        result = BuildResult(diag=diag)
        given = [str(x) for x in inputs] if inputs else None
        params = self._params(given, strict)
        state = self._load_state()
        stamp = time.time_ns()
        # hashed now, before any article is read: an edit during the build is seen next time
        scanned = None
        if state is not None and state.params == params:
            scanned = self._scan(state.folders, given, state.files)
        if scanned is not None and self._noop(state, scanned, result, strict):
            result.seconds = time.perf_counter() - started
            result.timings["check"] = result.seconds
            return result
        t = result.timings
        tick = time.perf_counter()
        index = state.files if state is not None else _cache.FileIndex()
        self._settings(index)
        maker = self._fast_maker(state, params)
        try:
            version = _cache.version(index, p.content)
            store = _cache.ArticleCache(p.cache_dir, version) if self.use_cache else None
            self._knowledge(index, store, version)
            config, kb = p.config, p.knowledge  # fatal errors surface before any work
            t["knowledge"] = time.perf_counter() - tick
            tick = time.perf_counter()
            from .read import article_files

            folders = list(config.articles)
            if scanned is None or scanned[0] != folders:  # site.yaml names other folders
                scanned = self._scan(folders, given, index)
            _, watched, hashes, _ = scanned
            paths = article_files(given or p.inputs(), result.diag)
            keys = [_cache.article_key(index, version, path, hashes) for path in paths]
            basis = _cache.combine(version, index.hash(p.content / "site.yaml"))
            templates = _Templates.scanned(p.templates, watched, index)
            t["scan"] = time.perf_counter() - tick
            now = _Inputs(paths, keys, version, basis, templates, watched, stamp)
            fast = _may_be_fast(state, params) and self._fast(state, now, store, result, maker)
        finally:
            if maker is not None:
                maker.close()
        if fast:
            result.seconds = time.perf_counter() - started
            return result

        self._fork_early(len(paths), store)  # before the articles are loaded
        tick = time.perf_counter()
        found: list = [None] * len(paths)  # (article, warnings) or ("error", errors, warnings)
        todo = []
        with _no_gc():
            for i, (path, key) in enumerate(zip(paths, keys, strict=True)):
                hit = self.memo.get(key) if key else None
                if hit is not None:
                    found[i] = (hit, self._memo_warnings.get(key, []))
                    continue
                got = store.get(key) if (store is not None and key) else None
                if got is not None:
                    found[i] = (_share(got[0]), got[1])
                else:
                    todo.append((i, path, key))
        t["load"] = time.perf_counter() - tick

        tick = time.perf_counter()
        cpu: dict[str, float] = {}
        show = Progress(len(todo), "annotating", enabled=self.progress)
        for position, (status, payload, warnings, timings), pickled in self._annotate(
            todo, store, version, show
        ):
            for k, v in timings.items():
                cpu[k] = cpu.get(k, 0.0) + v
            if status == "error":
                found[position] = ("error", payload, warnings)
            elif pickled:
                with _no_gc():
                    _, article, warnings = pickle.loads(payload)
                found[position] = (_share(article), warnings)
            else:
                found[position] = (payload, warnings)
        result.annotated += len(todo)
        t["annotate"] = time.perf_counter() - tick
        t.update({f"{k} (cpu)": v for k, v in cpu.items()})

        articles: list[Article] = []
        live: list[str] = []
        ids: dict[str, str] = {}
        slugs: dict[str, str] = {}
        memo: dict[str, Article] = {}
        memo_warnings: dict[str, list] = {}
        for path, key, got in zip(paths, keys, found, strict=True):
            if got is None:  # unreadable between scan and read
                result.diag.error(BriefingError(path, None, "cannot read — check permissions"))
                continue
            if got[0] == "error":
                for where, line, message in got[2]:
                    result.diag.warn(where, line, message)
                for where, line, message in got[1]:
                    result.diag.error(BriefingError(where, line, message))
                continue
            article, warnings = got
            for where, line, message in warnings:
                result.diag.warn(where, line, message)
            if _check_unique(article, path, ids, slugs, result.diag):
                articles.append(article)
                live.append(key)
            if self.keep_in_memory and key:
                memo[key], memo_warnings[key] = article, warnings
        if self.keep_in_memory:
            self.memo, self._memo_warnings = memo, memo_warnings
        result.articles = articles
        # the articles live to the end of the build: out of the collector's sight, its
        # passes over the objects that indexing and rendering make stay short
        gc.freeze()

        if strict and (result.diag.errors or result.diag.warnings):
            show.close()
            raise BriefingError(
                None,
                None,
                "--strict: the build has problems (above) — fix them or build without --strict; "
                "the previous site is kept",
            )
        from . import index as _index
        from . import pagepool, render, write
        from .relink import write_changed

        with show:
            tick = time.perf_counter()
            show.stage(f"indexing {len(articles)} articles")
            with _no_gc():  # its garbage is acyclic; its many objects live to the end
                archive = _index.build_index(articles, kb)
            gc.freeze()  # out of the collector's sight, as the articles are
            t["index"] = time.perf_counter() - tick
            tick = time.perf_counter()
            by_id = {a.id: k for a, k in zip(articles, live, strict=True)}
            views = {a.id: getattr(a, "view", None) or by_id[a.id] for a in articles}
            intact = state is not None and state.output_id == _cache.output_id(p.output)
            pages = state.pages if intact else {}
            last = state.fast if state is not None else {}
            kept = last["looks"] if last and last["templates"] == templates.jinja else None
            files, made_from, rendering, shared, looks = self._render(
                render, archive, config, basis, templates, kept, by_id, views, pages, store
            )
            show.stage(f"rendering and writing what changed of {len(files)} files")
            old = state.manifest if state is not None else None
            early = None
            if self._early is not None:  # an article's page, as data: what its worker needs
                early = {
                    e.path: (
                        by_id[e.article.id],
                        e.slug,
                        {s.id: s.slug for s in e.speakers},
                        {h.id: h.slug for h in e.themes},
                    )
                    for e in archive.articles
                    if by_id[e.article.id]
                }
            with (
                write.build_lock(p.output),
                pagepool.rendering(files, self.jobs, p.output, old, self._early, early) as workers,
            ):
                report = write_changed(files, p.output, old, workers and workers.begin)
            del files
            self._close_early()
            if workers:  # rendered and written in the workers
                t["render+write"] = time.perf_counter() - tick
            else:  # rendered as written: told apart by the time inside the page makers
                t["render"] = rendering[0]
                t["write"] = time.perf_counter() - tick - rendering[0]
        result.files, result.written = report.files, report.written
        if self.keep_in_memory:
            self._archive = archive

        if self.use_cache:
            tick = time.perf_counter()
            index.restrict(watched)
            index.stamp, index.hashed = stamp, 0
            self.state = _cache.BuildState(
                params=params,
                version=version,
                files=index,
                watched=watched,
                folders=folders,
                output_id=_cache.output_id(p.output),
                manifest=report.manifest,
                diagnostics=[("error", e.path, e.line, e.message) for e in result.diag.errors]
                + [("warning", w.path, w.line, w.message) for w in result.diag.warnings],
                articles=len(articles),
                files_count=report.files,
                pages=made_from,
                keys=live,
                fast=_links(
                    archive, articles, paths, views, basis, shared, templates, looks, result.diag
                ),
            )
            self.state.save(p.cache_dir, p.output)
            if store is not None:
                store.touch()
                if todo:
                    store.prune(set(k for k in keys if k))
            t["state"] = time.perf_counter() - tick
        result.seconds = time.perf_counter() - started
        return result


def _share(article):
    """A slim article with the strings it repeats from others shared (see slim.share)."""
    from .slim import SlimArticle, share

    return share(article) if isinstance(article, SlimArticle) else article


def _read_knowledge(content: Path):
    """``(knowledge, cleaning rules)`` as the files of ``content`` have them now, the
    knowledge with the annotators' tables (what the build cache keeps of a version)."""
    from . import knowledge as _knowledge
    from .annotate import prepare
    from .knowledge import cleaning as _cleaning

    return prepare(_knowledge.load(content)), _cleaning.load(content / "cleaning.yaml")


class _NeedFull(Exception):
    """A rebuild without index found something only a whole build can do."""


class _NoArchive:
    """The archive, for an article page made without one: a template that looks at it
    (the article page does not) sends the rebuild the whole way."""

    def __getattr__(self, name):
        raise _NeedFull


def _open_sources(links, open_pages) -> list[str]:
    """The files of the articles whose pages (of ``links``, see
    :meth:`Builder._last_links`) are among ``open_pages``, once each, in their order."""
    if links is None:
        return []
    pages = links[0]
    return list(dict.fromkeys(pages[page] for page in open_pages if page in pages))


def _links(
    archive, articles, paths, views, basis: str, shared: str, templates, looks: dict, diag
) -> dict:
    """What a rebuild without index needs of this build: how it linked its articles,
    and what it made their pages with."""
    if diag.errors or diag.warnings or len(articles) != len(paths):
        return {}
    return {
        "basis": basis,
        "templates": templates.jinja,
        "static": templates.static,
        "looks": looks,
        "shared": shared,
        "paths": [str(x) for x in paths],
        "views": [(a.id, views[a.id]) for a in articles],  # in the order of the paths
        "slugs": {e.article.id: e.slug for e in archive.articles},
        "speakers": {x.id: x.slug for x in archive.leaders},
        "themes": {t.id: t.slug for t in archive.topics},
    }


@dataclass
class _Inputs:
    """What a build found of its inputs, before reading any article."""

    paths: list  # the articles' files
    keys: list  # their cache keys (None: unreadable)
    version: str  # of the knowledge and code
    basis: str  # the knowledge, code and settings
    templates: _Templates  # the templates folder
    watched: list[str]  # every file the site is made from
    stamp: int  # when they were scanned (time_ns)


STATIC = "static/"  # the folder of the templates' folder copied into the site as it is


@dataclass
class _Templates:
    """The templates folder as a build scanned it: what pages are made with besides the
    knowledge, code and settings. ``files``: {path in the folder (POSIX): content hash}."""

    files: dict[str, str]

    @classmethod
    def scanned(cls, folder: Path, watched: list[str], index: _cache.FileIndex) -> _Templates:
        prefix = str(folder) + os.sep
        return cls(
            {
                f[len(prefix) :].replace(os.sep, "/"): index.entries[f][1]
                for f in watched
                if f.startswith(prefix) and f in index.entries
            }
        )

    @cached_property
    def static(self) -> dict[str, str]:
        """The static files, which pages link but are not made from."""
        return {rel: h for rel, h in self.files.items() if rel.startswith(STATIC)}

    @cached_property
    def jinja(self) -> str:
        """One hash of every other file: all that a template may be made of."""
        return _cache.combine(sorted(x for x in self.files.items() if not x[0].startswith(STATIC)))

    def looks(self, names, uses, kept: dict | None = None) -> dict[str, str]:
        """{name: hash of what the files made with ``name`` are made of}: a static file,
        itself; a template, itself and the templates it extends, includes or imports,
        as ``uses(templates)`` (:func:`briefing.render.template_uses`) finds them; all
        of them if it names one only as it runs. ``kept``: the looks of a build with
        the same templates, taken as they are (parsing them takes some 50 ms)."""
        static = self.static
        kept = kept or {}
        if all(n in static or n in kept for n in names):
            return {n: static[n] if n in static else kept[n] for n in names}
        made_of = uses(sorted(n for n in names if n not in static))
        out = {}
        for name in names:
            if name in static:
                out[name] = static[name]
            elif made_of.get(name) is None:
                out[name] = self.jinja
            else:
                out[name] = _cache.combine(sorted((n, self.files.get(n)) for n in made_of[name]))
        return out


def _may_be_fast(state, params: str) -> bool:
    """Whether the last build, as ``state`` has it, left what a rebuild without index
    needs (see :meth:`Builder._fast`): made with the same parameters, without problems,
    and its links recorded."""
    return (
        state is not None and state.params == params and bool(state.fast) and not state.diagnostics
    )


def _later_pages(entries, pages) -> dict:
    """{path: :class:`~briefing.relink.Later`} of the pages of ``entries``, which
    ``pages()`` gives in their order, called once, when the first of them is written."""
    from .relink import Later

    got: list = []

    def page(k: int):
        def taken():
            if not got:
                got.append(pages())
            return got[0][k]

        return Later(taken)

    return {e.path: page(k) for k, e in enumerate(entries)}


def _every(parts) -> str:
    """The articles of a page of the whole archive (many), hashed once for all its pages."""
    return _cache.combine(sorted(parts))


def _made_from(basis: str, shared: str, path: str, articles, look: str = "") -> str:
    """What a page is made from: ``articles`` are its articles' keys or views, or their
    :func:`_every` for a page of the whole archive; ``look``, the templates it is made
    with (see :meth:`_Templates.looks`). See :func:`_planned`; the index-free rebuild,
    ``Builder._fast``, computes the same for the pages it makes."""
    parts = articles if isinstance(articles, str) else sorted(articles)
    return _cache.combine(basis, shared, path, parts, look)


def _planned(planned, basis: str, looks: dict, keys: dict, views: dict, old: dict[str, str], timed):
    """Files from ``render.plan``: pages whose inputs are unchanged are reused unrendered.

    ``render.plan(archive, config, templates_dir, env, source=...)`` returns
    ``(shared, pages)``: ``shared`` is a hash of what every page shows beyond its own
    articles (site settings, counts, the slugs and names that links carry); each page
    has ``path``, ``articles`` (the ids of the articles whose annotations it shows, or
    None when it shows the whole archive), ``full``, ``template`` and ``render()``. A
    page is made from ``basis`` (the knowledge, code and settings), ``shared``, the
    templates it is made with (``looks`` by its ``template``: an edit to the topic's
    template makes only topic pages again), and its articles: their cache ``keys`` if
    it is ``full``, else their slim ``views`` (an edit that changes neither statements
    nor themes nor metadata leaves those as they were).
    Pages are rendered as they are written (``timed`` wraps each maker to count the time).
    """
    from .relink import Make, Reuse, Stream

    shared, pages = planned
    every = {}  # the articles of the pages of the whole archive, by full/view
    for full, of in ((True, keys), (False, views)):
        if all(of.values()):
            every[full] = _every(of.values())
    files: dict = {}
    made_from: dict[str, str] = {}
    for page in pages:
        deps, full = page.articles, page.full
        of = keys if full else views
        look = looks[page.template] if page.template else ""
        fp = None
        if deps is None:
            if full in every:
                fp = _made_from(basis, shared, page.path, every[full], look)
        elif all(of.get(d) for d in deps):
            fp = _made_from(basis, shared, page.path, [of[d] for d in deps], look)
        if fp is not None:
            made_from[page.path] = fp
        kept = fp is not None and old.get(page.path) == fp
        kind = Reuse if kept else Stream if getattr(page, "stream", False) else Make
        files[page.path] = kind(timed(page.render))
    return files, made_from


@contextlib.contextmanager
def _no_gc():
    """Unpickling and indexing make many objects and no cyclic garbage: the collector
    would only slow them (indexing 10,000 articles: 4.0 s with it, 2.3 s without)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build(
    project: Project,
    inputs: list[str | Path] | None = None,
    strict: bool = False,
    diag: Diagnostics | None = None,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: bool | None = None,
) -> BuildResult:
    """Build the whole site into ``project.output``; the previous site survives failure.

    Only what changed since the last build of this output is redone (see
    :class:`Builder`); ``use_cache=False`` annotates every article again.
    """
    builder = Builder(project, jobs=jobs, use_cache=use_cache, progress=progress)
    return builder.build(inputs, strict=strict, diag=diag)
