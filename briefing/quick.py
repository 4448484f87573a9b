"""Pages written before the rebuild, for ``serve``: the open pages first.

After an edit, the rebuild makes every page it affects, which takes seconds when the
knowledge or a template every page extends changed. Before it, the pages an editor is
looking at are made with the edit and written (:func:`pages_first`), linked as the last
build linked them, so that the preview reloads them in a tenth of a second; the
rebuild then makes them again, the same.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache as _cache
from . import incremental
from .errors import Diagnostics
from .project import Project, process_file

if TYPE_CHECKING:
    from .pipeline import Builder


def pages_first(builder: Builder, changed, open_pages=()) -> list[str]:
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
    :func:`_after_knowledge`), and no others. An edit to templates alone may change
    every page: then ``open_pages`` are made with them (:func:`_after_templates`).
    """
    changed = sorted(changed)
    if not changed or not builder.keep_in_memory:
        return []
    knowledge = {os.path.normpath(k) for k in _cache.knowledge_files(builder.project.content)}
    if all(os.path.normpath(c) in knowledge for c in changed):
        return _after_knowledge(builder, list(open_pages))
    if all(_is_template(builder, c) for c in changed):
        return _after_templates(builder, list(open_pages))
    links = last_links(builder)
    if links is None:
        return []
    from .read import ARTICLE_SUFFIXES

    sources = set(links[0].values())
    if any(c not in sources or not c.lower().endswith(ARTICLE_SUFFIXES) for c in changed):
        return []
    return _write(builder, _article_pages(builder, changed, links))


def _after_knowledge(builder: Builder, open_pages: list[str]) -> list[str]:
    """:func:`pages_first` after an edit to the knowledge: the articles of ``open_pages``
    annotated with the knowledge as the files now have it, and their pages written.

    Fixing an alias or a lexicon in ``serve`` then shows on the open article in well
    under a second, where the rebuild of every article takes seconds (a minute at
    10,000). The knowledge loads beside the builder's, never into it: the project,
    the build state and its index of files stay as the last build left them, for the
    rebuild to find the edit (it takes the knowledge from the cache, loaded here).
    """
    links = last_links(builder) if open_pages else None
    todo = _open_sources(links, open_pages)
    if not todo:
        return []
    import copy
    import functools

    from .clean import Cleaner
    from .pipeline import read_knowledge

    p = builder.project
    version = _cache.version(_cache.FileIndex(), p.content)
    store = _cache.ArticleCache(p.cache_dir, version) if builder.use_cache else None
    load = functools.partial(read_knowledge, p.content)
    kb, rules = store.knowledge(load) if store is not None else load()
    now = copy.copy(p)  # the project with the knowledge as it now is
    now.__dict__.update(knowledge=kb, cleaner=Cleaner(rules))
    return _write(builder, _article_pages(builder, todo, links, now))


def _is_template(builder: Builder, path: str) -> bool:
    """Whether ``path`` is a template (of the templates folder, not a static file)."""
    folder = os.path.normpath(builder.project.templates)
    rel = os.path.relpath(os.path.normpath(path), folder).replace(os.sep, "/")
    return not rel.startswith(("../", incremental.STATIC)) and rel != ".."


def _after_templates(builder: Builder, open_pages: list[str]) -> list[str]:
    """:func:`pages_first` after an edit to templates: the pages of ``open_pages`` made with
    them, as the rebuild will make them, which at 10,000 articles takes half a minute
    when a template every page extends changed.

    Article pages are made from their files, linked as the last build linked them;
    other pages from the last build's index (:func:`_index_kept`; what they show of
    articles is what their slim forms hold, which a rebuild without index leaves as
    it was). Pages that show whole articles beside the article's page (the export)
    are left to the rebuild."""
    links = last_links(builder) if open_pages else None
    if links is None:
        return []
    made: dict[str, str] = {}
    todo = _open_sources(links, open_pages)
    if todo:
        linked = _article_pages(builder, todo, links)
        if linked is None:
            return []
        made.update(linked)
    others = {page for page in open_pages if page not in links[0]}
    archive = _index_kept(builder) if others else None
    if archive is not None:
        from . import render

        env = builder.environment(render)
        config, templates = builder.project.config, builder.project.templates
        _, planned = render.plan(archive, config, templates, env, only=others)
        for page in planned:
            if page.template and not page.full and not page.stream:
                made[page.path] = page.render()
    return _write(builder, made)


def _index_kept(builder: Builder):
    """The last build's index: kept by the builder, else made again from the cache
    (a preview started on a site that was up to date made none: once, 0.6 s at 1,000
    articles); None when the last build had problems, or its articles are not all
    in the cache."""
    state = builder.state
    if builder.archive is None and builder.keep_in_memory and state is not None and state.fast:
        from .index import build_index
        from .pipeline import no_gc

        articles = builder.load_articles(state.keys, state.version)
        if len(articles) == len(state.keys):
            with no_gc():
                builder.archive = build_index(articles, builder.project.knowledge)
    return builder.archive


def _write(builder: Builder, made: dict[str, str] | None) -> list[str]:
    """Write the pages ``made`` by :func:`pages_first` into the site; their paths."""
    if not made:
        return []
    from .relink import replace_recorded

    # recorded, or the rebuild that follows would find the site not as it wrote it
    # and make it whole again (a second instead of a tenth)
    manifest = builder.state.manifest if builder.state is not None else {}
    for rel, text in made.items():
        replace_recorded(builder.project.output, rel, text.encode("utf-8"), manifest)
    return sorted(made)


def _article_pages(builder: Builder, sources, links, project: Project | None = None):
    """{path: page} of the articles of the files ``sources``, read and annotated with
    ``project``'s knowledge (by default the builder's), linked as ``links`` (of
    :func:`last_links`) say; None when one has problems or links otherwise."""
    project = project or builder.project
    diag = Diagnostics()
    articles = [process_file(Path(s), project, diag) for s in sources]
    if diag.errors or diag.warnings or any(a is None for a in articles):
        return None
    _, slugs, speakers, themes = links
    kb = project.knowledge if project is not builder.project else None
    return builder.pages_linked(articles, slugs, speakers, themes, kb=kb)


def warm(builder: Builder) -> None:
    """Annotate one article and let it go: the annotators compile their patterns on
    first use (a few tenths of a second), which the first edit in ``serve`` would pay."""
    links = last_links(builder)
    if links and links[0]:
        with contextlib.suppress(Exception):
            process_file(Path(min(links[0].values())), builder.project, Diagnostics())


def last_links(builder: Builder):
    """``(pages, page slugs, speaker slugs, theme slugs)`` of the last build, or None:
    ``pages`` maps the site path of each article's page to the article's file.

    From the last build's index when the builder made it, else from its state (a
    rebuild that needed no index, or a no-op, leaves the index unmade)."""
    from . import urls

    state = builder.state if builder.state is not None else builder.load_state()
    if state is not None and state.fast:
        f = state.fast
        slugs = f["slugs"]
        pages = {
            urls.article(slugs[i]): path
            for path, (i, _) in zip(f["paths"], f["views"], strict=True)
            if i in slugs
        }
        return pages, slugs, f["speakers"], f["themes"]
    archive = builder.archive
    if archive is None:
        return None
    pages = {e.path: str(e.article.source) for e in archive.articles}
    return (pages, *incremental.slugs(archive))


def _open_sources(links, open_pages) -> list[str]:
    """The files of the articles whose pages (of ``links``, see
    :func:`last_links`) are among ``open_pages``, once each, in their order."""
    if links is None:
        return []
    pages = links[0]
    return list(dict.fromkeys(pages[page] for page in open_pages if page in pages))
