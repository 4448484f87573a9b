"""What each page is made from, and the rebuild that needs no index.

A page is made again only when what it is made from changed (:func:`fingerprint`): the
knowledge, code and settings, what every page shows (the plan's ``shared``), the
templates it is made with (:class:`Templates`) and its articles. After edits that change
only what the edited articles' own pages show, :func:`rebuild` makes those pages and
``annotations.json`` alone, linked as the last build linked them, without loading the
other articles or indexing them; what it needs of that build is :func:`record`'s.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from . import cache as _cache
from . import workers
from .progress import Progress


def rebuild(builder, state, now: Inputs, store, result, maker) -> bool:
    """Rebuild after edits that change only what the edited articles' own pages show.

    When the articles are the last build's, the knowledge, templates and settings too,
    and each edited article's slim view (everything other pages show of it, see
    :mod:`briefing.slim`) is as it was, every other page is as it was: the edited
    articles' pages and ``annotations.json`` are made, linked as the last build linked
    them, and nothing is loaded or indexed. So are edited static files (a style
    sheet), which no page is made from: they are copied. False (having done no harm)
    when that does not hold; the edited articles are then in the cache for the whole
    build. ``now``: the inputs as this build found them. ``maker``: the pages' maker
    forked by :func:`page_maker`, or None. Called only where :func:`may_be_fast`
    holds (it is checked before the knowledge loads).
    """
    p = builder.project
    f = state.fast
    keys = now.keys
    if store is None or not _same_articles(builder, state, now):
        return False
    if f["templates"] != now.templates.jinja or state.output_id != _cache.output_id(p.output):
        return False
    static = now.templates.static
    if set(static) != set(f["static"]):  # a file added or removed: the whole build
        return False
    restyled = sorted(rel for rel, h in static.items() if f["static"][rel] != h)
    changed = [i for i, (k, old) in enumerate(zip(keys, state.keys, strict=True)) if k != old]
    if not (changed or restyled) or None in keys:
        return False
    return _edits(builder, state, now, changed, restyled, store, result, maker)


def _same_articles(builder, state, now: Inputs) -> bool:
    """The last build had the files of articles of ``now`` and its knowledge, code and
    settings, and recorded how it linked them (:func:`record`); and its export's lines
    are the cache's (their sources are relative to the root, as the cache has them)."""
    f, p = state.fast, builder.project
    return (
        bool(f)
        and f["basis"] == now.basis
        and f["paths"] == now.paths
        and len(state.keys) == len(now.keys)
        and str(p.content.parent) == str(p.root)
    )


def page_maker(builder):
    """The page maker for :func:`rebuild`, forked now to load the templates while this
    process loads the knowledge and annotates (see :mod:`briefing.forked`); None
    where it would not pay: one job, or a process that has its templates already or
    runs other threads (``serve``). Asked for only where :func:`may_be_fast` holds."""
    if not builder.use_cache or builder.jobs < 2 or not hasattr(os, "fork"):
        return None
    if "briefing.render" in sys.modules or threading.active_count() > 1:
        return None
    from .forked import ForkedMaker

    return ForkedMaker(builder.maker)


def _edits(builder, state, now: Inputs, changed, restyled, store, result, maker) -> bool:
    """:func:`rebuild` past its checks: the ``changed`` articles annotated, their pages
    made by ``maker`` (or here, if None), the ``restyled`` static files copied, the
    site and the state updated."""
    p = builder.project
    f = state.fast
    keys = now.keys
    from .slim import SlimArticle

    tick = time.perf_counter()
    todo = [(i, now.paths[i], keys[i]) for i in changed]
    edited = {}
    for i, (status, payload, warnings, _), pickled in workers.annotate(
        builder.project, builder.jobs, todo, store, now.version, Progress(0, "", enabled=False)
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
        report, made_from = _write(builder, state, now, edited, restyled, store, maker)
    except (NeedFull, LookupError):
        return False
    result.timings["render+write"] = time.perf_counter() - tick
    if builder.keep_in_memory:
        for i, lite in edited.items():
            builder.memo.pop(state.keys[i], None)
            builder.memo[keys[i]] = lite
    state = _cache.BuildState(**{**vars(state)})
    state.files.restrict(now.watched)
    state.files.stamp, state.files.hashed = now.stamp, 0
    state.watched, state.keys = now.watched, list(keys)
    state.manifest, state.pages, state.files_count = report.manifest, made_from, report.files
    state.output_id = _cache.output_id(p.output)
    state.fast = {**f, "static": now.templates.static}
    builder.state = state
    state.save(p.cache_dir, p.output)
    store.touch()
    result.count, result.fast = len(keys), True
    result.files, result.written = report.files, report.written
    result._articles = None
    result._loader = lambda: builder.load_articles(list(keys), now.version)
    return True


def _write(builder, state, now: Inputs, edited: dict, restyled, store, maker):
    from . import downloads, urls, write
    from .relink import Stream, write_in_place

    p = builder.project
    f, keys, basis = state.fast, now.keys, now.page_basis
    marks = store.marks()
    shared = f["shared"]
    made_from = dict(state.pages)
    files: dict = {}
    if edited:
        look = f["looks"][urls.ARTICLE_TEMPLATE]
        files.update(_articles(builder, state, f, keys, edited, store, maker))
        for i, path in zip(edited, files, strict=True):
            made_from[path] = fingerprint(basis, shared, path, [marks.get(keys[i], keys[i])], look)
        made_from[downloads.JSON_PATH] = fingerprint(
            basis, shared, downloads.JSON_PATH, whole(marks.get(k, k) for k in keys)
        )
        swaps = _swaps(state, keys, edited, store)
        if swaps is None:
            raise NeedFull
        export = os.path.join(p.output, downloads.JSON_PATH)  # in the same order: same ids
        files[downloads.JSON_PATH] = Stream(lambda: downloads.spliced_chunks(export, swaps))
    for rel in restyled:  # bytes: copied as they are, whatever their encoding
        files[rel] = (p.templates / rel).read_bytes()
        made_from[rel] = fingerprint(basis, shared, rel, [], now.templates.static[rel])
    with write.build_lock(p.output):
        report = write_in_place(files, p.output, state.manifest)
    if report is None:
        raise NeedFull  # a file of the site is not as written: the whole build mends it
    return report, made_from


def _swaps(state, keys, positions, store) -> list[tuple[str, str]] | None:
    """(old, new) lines of ``annotations.json`` of the articles at ``positions``, whose
    key was ``state.keys[i]`` and is now ``keys[i]``; None if one is not in ``store``."""
    swaps = [(store.line(state.keys[i]), store.line(keys[i])) for i in positions]
    return swaps if all(old and new for old, new in swaps) else None


def spliced_export(builder, state, now: Inputs, changed: list[int], store, fresh):
    """``annotations.json`` for a whole build that changed a few articles' lines only
    (a quote added makes other pages again, not the other articles' lines): the last
    build's file with their lines swapped, as :func:`rebuild` writes it, else None.
    ``changed``: the positions of the changed articles (:func:`few_changed`);
    ``fresh()``: the export made anew, for an old line the file turns out not to have
    (no harm done: nothing is written before). From 0.54 to 0.1 s at 10,000 articles
    (167 MB), where the lines are read back one by one from the cache."""
    from . import downloads
    from .blocks import or_fresh
    from .relink import Stream

    p = builder.project
    keys = now.keys
    if store is None:
        return None
    kept = state.manifest.get(downloads.JSON_PATH)
    if kept is None or not _cache.as_recorded(p.output, {downloads.JSON_PATH: kept}):
        return None
    swaps = _swaps(state, keys, changed, store)
    if swaps is None:
        return None
    export = os.path.join(p.output, downloads.JSON_PATH)
    # every line is found before the first piece
    return Stream(or_fresh(lambda: downloads.spliced_chunks(export, swaps), fresh))


def few_changed(builder, state, now: Inputs, count: int) -> list[int] | None:
    """The positions (in the order of the files) of the articles whose key changed since
    the last build, when they are a few of the same articles (``count``: this build's),
    made with the same knowledge, code and settings; else None. A file of the whole
    archive that holds each article's part apart is then the last one with those parts
    made again (see :func:`spliced_export`, :mod:`briefing.blocks`): each is found in the
    old file or recorded, which pays for a few only."""
    from .relink import FEW

    keys = now.keys
    if state is None or not _same_articles(builder, state, now):
        return None
    if count != len(keys) or None in keys:
        return None
    changed = [i for i, (k, old) in enumerate(zip(keys, state.keys, strict=True)) if k != old]
    if not changed or len(changed) * FEW > len(keys):
        return None
    return changed


def _articles(builder, state, f: dict, keys, edited: dict, store, maker):
    """{path: page} of the ``edited`` articles, made later (see :func:`later_pages`),
    linked as ``serve``'s quick writes link them: the same page slugs, speakers and themes."""
    from .index import entries_linked

    fulls = [store.full(keys[i]) for i in edited]
    if None in fulls:
        raise NeedFull
    entries = entries_linked(
        fulls, builder.project.knowledge, f["slugs"], f["speakers"], f["themes"]
    )
    if not entries:
        raise NeedFull
    if maker is not None:
        pages = maker.submit(entries)  # made in the child while the export is spliced
    else:
        make = builder.maker()

        def pages():
            return [make(e) for e in entries]

    return later_pages(entries, pages)


class NeedFull(Exception):
    """A rebuild without index found something only a whole build can do."""


class NoArchive:
    """The archive, for an article page made without one: a template that looks at it
    (the article page does not) sends the rebuild the whole way."""

    def __getattr__(self, name):
        raise NeedFull


def record(
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
        **dict(zip(("slugs", "speakers", "themes"), slugs(archive), strict=True)),
    }


def slugs(archive) -> tuple[dict, dict, dict]:
    """The slugs ``archive`` gives its articles' pages, its leaders and its topics, by id:
    what links to them carry, and what a page made without the archive links as."""
    return (
        {e.article.id: e.slug for e in archive.articles},
        {x.id: x.slug for x in archive.leaders},
        {t.id: t.slug for t in archive.topics},
    )


@dataclass
class Inputs:
    """What a build found of its inputs, before reading any article."""

    paths: list  # the articles' files
    keys: list  # their cache keys (None: unreadable)
    version: str  # of the knowledge and code
    basis: str  # the knowledge, code and settings
    page_basis: str  # what pages are made from of them (see carryover.page_basis)
    templates: Templates  # the templates folder
    watched: list[str]  # every file the site is made from
    stamp: int  # when they were scanned (time_ns)


STATIC = "static/"  # the folder of the templates' folder copied into the site as it is


@dataclass
class Templates:
    """The templates folder as a build scanned it: what pages are made with besides the
    knowledge, code and settings. ``files``: {path in the folder (POSIX): content hash}."""

    files: dict[str, str]

    @classmethod
    def scanned(cls, folder: Path, watched: list[str], index: _cache.FileIndex) -> Templates:
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


def may_be_fast(state, params: str) -> bool:
    """Whether the last build, as ``state`` has it, left what a rebuild without index
    needs (see :func:`rebuild`): made with the same parameters, without problems,
    and its links recorded."""
    return (
        state is not None and state.params == params and bool(state.fast) and not state.diagnostics
    )


def later_pages(entries, pages) -> dict:
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


def whole(parts) -> str:
    """The articles of a page of the whole archive (many), hashed once for all its pages."""
    return _cache.combine(sorted(parts))


def fingerprint(basis: str, shared: str, path: str, articles, look: str = "") -> str:
    """What a page is made from: ``articles`` are its articles' keys or views, or their
    :func:`whole` for a page of the whole archive; ``look``, the templates it is made
    with (see :meth:`Templates.looks`). See :func:`planned`; the index-free rebuild,
    :func:`rebuild`, computes the same for the pages it makes."""
    parts = articles if isinstance(articles, str) else sorted(articles)
    return _cache.combine(basis, shared, path, parts, look)


def planned(plan, basis: str, looks: dict, keys: dict, views: dict, old: dict[str, str], timed):
    """Files from ``render.plan``: pages whose inputs are unchanged are reused unrendered.

    ``render.plan(archive, config, templates_dir, env, source=...)`` returns
    ``(shared, pages)``: ``shared`` is a hash of what every page shows beyond its own
    articles (site settings, counts, the slugs and names that links carry); each page
    has ``path``, ``articles`` (the ids of the articles whose annotations it shows, or
    None when it shows the whole archive), ``full``, ``template`` and ``render()``. A
    page is made from ``basis`` (the knowledge, code and settings as pages see them:
    :func:`briefing.carryover.page_basis`), ``shared``, the templates it is made with
    (``looks`` by its ``template``: an edit to the topic's template makes only topic
    pages again), and its articles: their cache keys if it is ``full`` (``keys``: their
    marks, see :meth:`briefing.cache.ArticleCache.marks`), else their slim ``views`` (an
    edit that changes neither statements nor themes nor metadata leaves those as they
    were).
    Pages are rendered as they are written (``timed`` wraps each maker to count the time).
    """
    from .relink import Make, Reuse, Stream

    shared, pages = plan
    every = {}  # the articles of the pages of the whole archive, by full/view
    for full, of in ((True, keys), (False, views)):
        if all(of.values()):
            every[full] = whole(of.values())
    files: dict = {}
    made_from: dict[str, str] = {}
    for page in pages:
        deps, full = page.articles, page.full
        of = keys if full else views
        look = looks[page.template] if page.template else ""
        fp = None
        if deps is None:
            if full in every:
                fp = fingerprint(basis, shared, page.path, every[full], look)
        elif all(of.get(d) for d in deps):
            fp = fingerprint(basis, shared, page.path, [of[d] for d in deps], look)
        if fp is not None:
            made_from[page.path] = fp
        kept = fp is not None and old.get(page.path) == fp
        kind = Reuse if kept else Stream if getattr(page, "stream", False) else Make
        files[page.path] = kind(timed(page.render))
    return files, made_from
