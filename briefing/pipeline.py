"""The pipeline, end to end: read -> clean -> annotate -> index -> render -> write.

Each stage is its own module; this one only wires them together. One article read,
cleaned and annotated is :mod:`briefing.project`'s (one bad article costs that article
alone: its error is reported and the rest build), many at once :mod:`briefing.workers`'.

Builds are incremental (see :mod:`briefing.cache`): annotated articles are cached by
content hash and the version of the knowledge and code; only new or changed articles
are annotated, in parallel across cores (``jobs``); only files whose bytes changed are
written (:mod:`briefing.relink`); a page is rendered only when what it is made from
changed, and edits that change only the edited articles' own pages take a rebuild
without index (:mod:`briefing.incremental`); a rebuild whose inputs and output are as
the last build left them answers at once. ``serve`` writes the open pages before the
rebuild (:mod:`briefing.quick`). The heavy modules are imported lazily, so that a no-op
rebuild loads none of them.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import time
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache as _cache
from . import carryover, incremental, recache, workers
from .errors import BriefingError, Diagnostics
from .incremental import Inputs, Templates
from .progress import Progress
from .project import Project, check_unique

if TYPE_CHECKING:
    from .model import Article

SETTINGS = "settings.pickle"  # site.yaml as last read (Builder._settings)


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
        self.archive = None  # the last build's index, kept in memory for quick()
        self._early = None  # the article pages' worker of a big build (pagepool.ArticleWorker)
        if use_cache:  # before the annotators are imported: some compile as they load
            recache.use(project.cache_dir / workers.PATTERNS)

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

    def load_state(self) -> _cache.BuildState | None:
        """The last build's state, as this builder keeps it or the cache has it."""
        if self.state is None and self.use_cache:
            self.state = _cache.BuildState.load(self.project.cache_dir, self.project.output)
        return self.state

    def _scan(self, folders: list[str], inputs, index: _cache.FileIndex):
        """``(folders, watched files, their hashes, none changed)``: one stat per file."""
        watched = self._watched(folders, inputs)
        hashes, same = index.scan(watched)
        return list(folders), watched, hashes, same

    def _noop(self, state, scanned, result: BuildResult, strict: bool, stamp: int) -> bool:
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
        result._loader = lambda: self.load_articles(state.keys, state.version)
        if state.files.hashed:  # touched files were hashed: remember, not to hash them again
            # every file was checked by this scan: its time dates them, or a file saved
            # just before the last whole build would be read again at every no-op
            state.files.stamp, state.files.hashed = stamp, 0
            state.save(self.project.cache_dir, self.project.output)
        return True

    def load_articles(self, keys: list[str], version: str) -> list[Article]:
        """The annotated articles of the cache ``keys`` (of ``version``), as kept in
        memory or in the cache; those in neither are left out."""
        store = _cache.ArticleCache(self.project.cache_dir, version)
        out = []
        for key in keys:
            got = self.memo.get(key) or (store.get(key) or (None,))[0]
            if got is not None:
                out.append(got)
        return out

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
            return read_knowledge(p.content)

        kb, rules = store.knowledge(load) if store is not None else load()
        from .clean import Cleaner

        p.__dict__.update(knowledge=kb, cleaner=Cleaner(rules))
        self._kb_version = version
        self.memo.clear()

    # -- pages --------------------------------------------------------------------------------
    def environment(self, render):
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
        self,
        render,
        archive,
        config,
        basis: str,
        templates,
        kept,
        keys: dict,
        marks: dict,
        views: dict,
        old: dict,
        store,
        spans: dict,
    ):
        """The site's files, each made when written, and what each page was made from.

        A page whose articles, templates and shared parts are as they were is not
        rendered again (see :func:`briefing.incremental.planned`). Returns ``(files, made_from, seconds,
        shared, looks)``: ``seconds`` holds the time spent rendering so far, for
        ``--timings``; ``shared`` is the plan's hash of what every page shows; ``looks``
        the hash of what each template is made of (see :meth:`Templates.looks`), as
        ``kept`` has them when the templates are the last build's. ``keys``: the
        articles' cache keys, by id; ``marks``: the keys their pages are made as (see
        :meth:`briefing.cache.ArticleCache.marks`); ``spans``: where the downloads made of
        a block per article note their blocks (see :mod:`briefing.blocks`).
        """
        env = self.environment(render)
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
        planned = render.plan(
            archive, config, self.project.templates, env, source=source, spans=spans
        )
        used = {page.template for page in planned[1] if page.template}
        looks = templates.looks(
            used, lambda names: render.template_uses(env, names, self._uses), kept
        )
        files, made_from = incremental.planned(planned, basis, looks, marks, views, old, timed)
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
            self.archive, self.state = None, None
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
                makers.append(self.maker())
            made = self.pages_linked([full], {full.id: slug}, speakers, themes, make=makers[0])
            if made is None:  # linked otherwise than the page's own slugs say: made here
                return None
            return next(iter(made.values())).encode("utf-8")

        with contextlib.suppress(OSError):  # no process to be had: the pages are made here
            self._early = pagepool.ArticleWorker(page)

    # -- for serve ----------------------------------------------------------------------------
    def quick(self, changed, open_pages=()) -> list[str]:
        """Write the pages of edited articles, or after other edits the pages of
        ``open_pages``, before the rebuild; their site paths (see
        :func:`briefing.quick.pages_first`)."""
        from .quick import pages_first

        return pages_first(self, changed, open_pages)

    def warm(self) -> None:
        """Ready the annotators for ``serve``'s first edit (see :func:`briefing.quick.warm`)."""
        from .quick import warm

        warm(self)

    def pages_linked(self, articles, slugs, speakers, themes, make=None, kb=None):
        """{path: page} of ``articles``, linked as the last build linked them (``slugs``
        of the articles' pages by id, of speakers and themes); None when an edit would
        change links (see :func:`briefing.index.entries_linked`). ``make``: a page maker
        of :meth:`maker` to use again, else one is made from the last archive. ``kb``:
        the knowledge the articles were annotated with, if not the project's."""
        from .index import entries_linked

        kb = kb if kb is not None else self.project.knowledge
        entries = entries_linked(articles, kb, slugs, speakers, themes)
        if not entries:
            return None
        make = make or self.maker(self.archive)
        return {e.path: make(e) for e in entries}

    def maker(self, archive=None):
        """What makes an article page, with ``archive`` or none (the page needs none)."""
        from . import render

        p = self.project
        env = self.environment(render)
        source = archive if archive is not None else incremental.NoArchive()
        return render.article_maker(source, p.config, p.templates, env)

    def _build(self, inputs, strict: bool, diag: Diagnostics | None) -> BuildResult:
        started = time.perf_counter()
        p = self.project
        result = BuildResult(diag=diag)
        given = [str(x) for x in inputs] if inputs else None
        params = self._params(given, strict)
        state = self.load_state()
        # the knowledge files as the last build hashed them, before they are hashed again
        before = carryover.recorded(state.files, p.content) if state is not None else []
        stamp = time.time_ns()
        # hashed now, before any article is read: an edit during the build is seen next time
        scanned = None
        if state is not None and state.params == params:
            scanned = self._scan(state.folders, given, state.files)
        if scanned is not None and self._noop(state, scanned, result, strict, stamp):
            result.seconds = time.perf_counter() - started
            result.timings["check"] = result.seconds
            return result
        t = result.timings
        tick = time.perf_counter()
        index = state.files if state is not None else _cache.FileIndex()
        self._settings(index)
        may_be_fast = incremental.may_be_fast(state, params)
        maker = incremental.page_maker(self) if may_be_fast else None
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
            settings = index.hash(p.content / "site.yaml")
            basis = _cache.combine(version, settings)
            looked = carryover.page_basis(index, p.content, kb, settings)
            templates = Templates.scanned(p.templates, watched, index)
            t["scan"] = time.perf_counter() - tick
            now = Inputs(paths, keys, version, basis, looked, templates, watched, stamp)
            fast = may_be_fast and incremental.rebuild(self, state, now, store, result, maker)
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
        with no_gc():
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
        if todo and store is not None and state is not None:  # (carry checks the rest)
            tick = time.perf_counter()
            with no_gc():
                carried = carryover.carry(
                    p, state.version, before, version, index, store, todo, hashes
                )
                for i, (article, warnings) in carried.items():
                    found[i] = (_share(article), warnings)
            todo = [job for job in todo if found[job[0]] is None]
            t["carry"] = time.perf_counter() - tick

        tick = time.perf_counter()
        cpu: dict[str, float] = {}
        show = Progress(len(todo), "annotating", enabled=self.progress)
        # the articles loaded live to the end of the build: out of the collector's sight
        # before the workers fork, or each worker's collector walks them all, copying
        # every page they are on (at 10,000 articles, 2 of the 4.5 s of annotating 730)
        gc.freeze()
        for position, (status, payload, warnings, timings), pickled in workers.annotate(
            p, self.jobs, todo, store, version, show
        ):
            for k, v in timings.items():
                cpu[k] = cpu.get(k, 0.0) + v
            if status == "error":
                found[position] = ("error", payload, warnings)
            elif pickled:
                with no_gc():
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
            if check_unique(article, path, ids, slugs, result.diag):
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
        from . import blocks, downloads, pagepool, render, write
        from . import index as _index
        from .relink import Stream, write_changed

        with show:
            tick = time.perf_counter()
            show.stage(f"indexing {len(articles)} articles")
            with no_gc():  # its garbage is acyclic; its many objects live to the end
                archive = _index.build_index(articles, kb)
            gc.freeze()  # out of the collector's sight, as the articles are
            t["index"] = time.perf_counter() - tick
            tick = time.perf_counter()
            by_id = {a.id: k for a, k in zip(articles, live, strict=True)}
            marks = store.marks() if store is not None else {}
            marked = {a: marks.get(k, k) for a, k in by_id.items()}
            views = {a.id: getattr(a, "view", None) or marked[a.id] for a in articles}
            intact = state is not None and state.output_id == _cache.output_id(p.output)
            pages = state.pages if intact else {}
            last = state.fast if state is not None else {}
            kept = last["looks"] if last and last["templates"] == templates.jinja else None
            spans: dict = {}
            files, made_from, rendering, shared, looks = self._render(
                render,
                archive,
                config,
                looked,
                templates,
                kept,
                by_id,
                marked,
                views,
                pages,
                store,
                spans,
            )
            # a few articles changed: the downloads of the whole archive are the last ones
            # with their parts made again
            few = incremental.few_changed(self, state, now, len(articles))
            export = files.get(downloads.JSON_PATH)
            if few and type(export) is Stream:
                spliced = incremental.spliced_export(self, state, now, few, store, export.make)
                files[downloads.JSON_PATH] = spliced or export
            identities = blocks.identities(archive) if self.use_cache else {}
            if few:
                ids = {articles[i].id for i in few}
                base = render.base_url(config)
                blocks.splice(files, spans, p.output, state, archive, identities, ids, base)
            show.stage(f"rendering and writing what changed of {len(files)} files")
            old = state.manifest if state is not None else None
            early = None
            if self._early is not None:

                def early() -> dict:  # an article's page, as data: what its worker needs
                    return {
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
                pagepool.rendering(files, self.jobs, p.output, old, self._early, early) as pool,
            ):
                report = write_changed(files, p.output, old, pool and pool.begin)
            del files
            self._close_early()
            if pool:  # rendered and written in the workers
                t["render+write"] = time.perf_counter() - tick
            else:  # rendered as written: told apart by the time inside the page makers
                t["render"] = rendering[0]
                t["write"] = time.perf_counter() - tick - rendering[0]
        result.files, result.written = report.files, report.written
        if self.keep_in_memory:
            self.archive = archive

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
                fast=incremental.record(
                    archive, articles, paths, views, basis, shared, templates, looks, result.diag
                ),
            )
            if self.state.fast:
                self.state.fast["blocks"] = blocks.record(spans, state, report.manifest, identities)
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


def read_knowledge(content: Path):
    """``(knowledge, cleaning rules)`` as the files of ``content`` have them now, the
    knowledge with the annotators' tables (what the build cache keeps of a version)."""
    from . import knowledge as _knowledge
    from .annotate import prepare
    from .knowledge import cleaning as _cleaning

    return prepare(_knowledge.load(content)), _cleaning.load(content / "cleaning.yaml")


@contextlib.contextmanager
def no_gc(keep: bool = True):
    """Unpickling and indexing make many objects and no cyclic garbage: the collector
    would only slow them (indexing 10,000 articles: 4.0 s with it, 2.3 s without).

    With ``keep`` (what the block made lives to the end of the build) they are frozen
    at the end: else the first collection after walks them all, as young objects (a
    carry of 10,000 articles: 0.3 s; each stage paid its own)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep:
            gc.freeze()
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
