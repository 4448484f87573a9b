"""The archive as a static website: one Jinja template per kind of page.

:func:`render_site` returns every file of ``site/`` as a path -> content mapping and
writes nothing itself. Links are relative (see :mod:`briefing.urls`) so the site
works from disk and under a sub-path; autoescaping is on, and the only markup that
reaches templates unescaped is built from escaped pieces in :mod:`briefing.markup`
and :mod:`briefing.svg`, or sanitised Markdown from :mod:`briefing.pages`.

Besides the pages the site holds its search index (a script, see
:mod:`briefing.search`), downloads (:mod:`briefing.downloads`), ``.nojekyll`` for
GitHub Pages and — only with a ``base_url``, which they need — Atom feeds, a sitemap
and ``robots.txt`` (:mod:`briefing.feeds`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.meta import find_referenced_templates
from markupsafe import Markup

from . import blocks, downloads, feeds, markup, meta, pages, search, svg, urls
from .index import Archive, ArticleEntry, Timeline, date_label

LATEST = 10  # briefings on the home page
ACTIVE = 8  # leaders and topics on the home page
RANGE_ROWS = 100  # articles on a range chart: beyond, the lists below say it better
PER_THEME = 5  # statements per theme on a leader page; all of them are on the topic page
TOPIC_TOP = 20  # articles on the page of a topic that has a page per year
CAPTION_MONTHS = 24  # months a chart's caption lists; beyond, the five busiest
HOME_MONTHS = 3  # months the event dates must span for the home page's chart per month
TEXT_STATIC = {".css", ".svg", ".txt", ".js", ".json", ".html"}


@dataclass(frozen=True)
class Link:
    path: str  # site-relative
    label: str
    section: str


@dataclass(frozen=True)
class Site:
    """What every page needs to know about the site, from the build configuration."""

    title: str
    description: str
    language: str
    base_url: str | None
    author: str | None = None
    pages: tuple[Link, ...] = ()  # Markdown pages, for the footer
    feeds: bool = False
    nav: tuple[Link, ...] = field(
        default=(
            Link("index.html", "Briefings", "home"),
            Link("leaders/index.html", "Leaders", "leaders"),
            Link("topics/index.html", "Topics", "topics"),
            Link("timeline.html", "Timeline", "timeline"),
            Link("matrix.html", "Matrix", "matrix"),
            Link("search.html", "Search", "search"),
        )
    )


def base_url(config) -> str | None:
    """The site's address as links are made with it (ending in ``/``), if it has one."""
    base = getattr(config, "base_url", None)
    return base.rstrip("/") + "/" if base else None


def _site(config, md_pages: list[pages.Page] = ()) -> Site:
    base = base_url(config)
    return Site(
        title=getattr(config, "title", None) or "Briefing",
        description=getattr(config, "description", None) or "",
        language=getattr(config, "language", None) or "en",
        base_url=base,
        author=getattr(config, "author", None),
        pages=tuple(Link(p.path, p.title, f"page-{p.slug}") for p in md_pages),
        feeds=bool(base),
    )


def environment(templates_dir: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(date_label=date_label, score=lambda x: f"{x:.2f}", when=markup.when)
    env.filters["plural"] = lambda n, word, many=None: (
        f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"
    )
    return env


def template_uses(
    env: Environment, names, known: dict | None = None
) -> dict[str, frozenset[str] | None]:
    """{name: the templates a page made with template ``name`` is made of, itself
    included}: those it extends, includes and imports, and theirs. None for a template
    that names one only as it runs (``{% include name %}``) or cannot be parsed: it may
    be made of any. ``known``: {source: names} of templates parsed before, kept by the
    caller to parse each source once."""
    known = {} if known is None else known

    def named(name: str):
        try:
            source = env.loader.get_source(env, name)[0]
        except (TemplateError, OSError, UnicodeError):  # the render reports it
            return {None}
        if source not in known:
            try:
                known[source] = frozenset(find_referenced_templates(env.parse(source)))
            except TemplateError:
                known[source] = frozenset({None})
        return known[source]

    out: dict[str, frozenset[str] | None] = {}
    for name in names:
        seen: set = set()
        todo = [name]
        while todo and None not in seen:
            n = todo.pop()
            if n not in seen:
                seen.add(n)
                if n is not None:
                    todo.extend(named(n))
        out[name] = None if None in seen else frozenset(seen)
    return out


@dataclass
class PlannedPage:
    """A file of the site, made only when :meth:`render` is called.

    ``articles`` are the ids of the articles whose annotations the file shows, or None
    when it shows the whole archive: with the plan's ``shared`` hash, that is all it is
    made from besides the templates, knowledge and settings. Most files show only what
    slim articles hold (see :mod:`briefing.slim`); ``full`` marks those that show more.
    """

    path: str
    # the ids of its articles, None for the whole archive, or what gives the ids (see
    # articles)
    shows: list[str] | None | Callable[[], list[str]]
    make: Callable[[], str | bytes]
    full: bool = False  # shows what only full articles hold (text, dates, mentions)
    stream: bool = False  # make() gives the content in pieces (an iterable of str)
    # the file of the templates folder it is made with: its Jinja template (with those
    # the template uses, see template_uses) or the static file it copies
    template: str | None = None

    def render(self) -> str | bytes:
        return self.make()

    @property
    def articles(self) -> list[str] | None:
        """The ids of the articles whose annotations the file shows (None: all), found
        on first use: ``serve``, making the few open pages of a big archive first, need
        not find the ids of every leader's and topic's articles (0.3 s at 10,000). In no
        order."""
        if callable(self.shows):
            self.shows = self.shows()
        return self.shows


def _ids(entries) -> list[str]:
    # an entry is listed once per statement: told apart by identity first, the cheapest
    # (at 10,000 articles, 750,000 listings of 180,000 entries on leader and topic
    # pages); in no order, as fingerprints sort what they hash of the articles
    return [e.article.id for e in {id(e): e for e in entries}.values()]


def _ids_of(entries: Callable[[], Iterable]) -> Callable[[], list[str]]:
    """What gives the ids of the articles of ``entries()``, when asked."""
    return lambda: _ids(entries())


class _Pages:
    def __init__(
        self, env: Environment, site: Site, archive: Archive, only: Collection[str] | None = None
    ):
        self.env, self.site, self.archive = env, site, archive
        self.only = only
        self.planned: list[PlannedPage] = []

    def wants(self, path: str) -> bool:
        """Whether the plan takes ``path`` (all paths, unless restricted to some)."""
        return self.only is None or path in self.only

    def file(
        self,
        path: str,
        articles: list[str] | None | Callable[[], list[str]],
        make: Callable[[], str | bytes],
        full: bool = False,
        stream: bool = False,
        template: str | None = None,
    ):
        if self.wants(path):
            self.planned.append(PlannedPage(path, articles, make, full, stream, template))

    def page(
        self,
        path: str,
        articles: list[str] | None | Callable[[], list[str]],
        template: str,
        section: str,
        context: Callable[[], dict] = dict,
        full: bool = False,
    ) -> None:
        """A page from ``template``; ``context()`` is called only when it is rendered."""
        if not self.wants(path):
            return
        make = lambda: self.render(path, template, section, **context())  # noqa: E731
        self.file(path, articles, make, full, template=template)

    def render(
        self, path: str, template: str, section: str, page_meta: meta.Meta | None = None, **context
    ) -> str:
        base = self.site.base_url
        if path == "404.html" and base:
            # served at any depth by the host, so only absolute links work there
            url = lambda target: base + target  # noqa: E731
        else:
            url = urls.linker(path)
        fragments = markup.PageFragments(url)
        canonical = urls.absolute(base, path) if base and path != "404.html" else None
        page_meta = page_meta or meta.Meta(self.site.description)
        if page_meta.feed and not self.site.feeds:
            page_meta = meta.Meta(page_meta.description, page_meta.og_type, page_meta.og)
        return self.env.get_template(template).render(
            site=self.site,
            page=path,
            url=url,
            statements=fragments.statements,
            evidence=fragments.evidence,
            topic_article=fragments.topic_article,
            root=urls.root(path),
            section=section,
            canonical=canonical,
            archive=self.archive,
            meta=page_meta,
            **context,
        )


def _dated(entries: list[ArticleEntry]):
    """(entry, start, end) of the entries that have an event date or window."""
    for e in entries:
        w = e.when
        if w.window:
            yield e, *w.window
        elif w.value:
            yield e, w.value, w.value


@dataclass(frozen=True)
class RangeChart:
    """The range chart twice: labels beside the rows, and above them for phones."""

    wide: Markup
    narrow: Markup
    shown: int  # rows drawn
    total: int  # rows there could be

    def __bool__(self) -> bool:
        return bool(self.wide)


def range_chart(ident: str, entries: list[ArticleEntry], page: str, title: str) -> RangeChart:
    """The first RANGE_ROWS dated ``entries`` as bars from start to end; only those are
    linked (the timeline of 10,000 articles would make 10,000 links to draw 100)."""
    dated = list(_dated(entries))
    shown = [svg.Range(e.title, a, b, urls.url(page, e.path)) for e, a, b in dated[:RANGE_ROWS]]
    return RangeChart(
        svg.ranges(ident, shown, title),
        svg.ranges(f"{ident}-narrow", shown, title, narrow=True),
        len(shown),
        len(dated),
    )


def _month_bars(timeline: Timeline, page: str) -> Markup:
    return svg.month_bars(
        "months-chart",
        timeline.counts,
        "Articles per month of the event date",
        href=lambda key: urls.url(page, f"timeline.html#m-{key}"),
    )


def _timeline_ranges(timeline: Timeline, page: str) -> RangeChart:
    dated = [e for y in timeline.years for m in y.months for e in m.articles]
    dated += [e for y in timeline.years for e in y.no_month]
    return range_chart("ranges-chart", dated + timeline.windows, page, "Event dates and windows")


def _content_dir(config, content_dir) -> Path | None:
    if content_dir is not None:
        return Path(content_dir)
    where = getattr(config, "path", None)  # SiteConfig.path: content/site.yaml
    return Path(where).parent if where else None


def render_site(
    archive: Archive, config, templates_dir: Path, content_dir: Path | None = None
) -> dict[str, str | bytes]:
    """Every file of the site as ``{relative POSIX path: content}``; deterministic.

    ``content_dir`` holds ``pages/*.md``; by default the folder of ``config.path``
    (``content/site.yaml``), and no Markdown pages when neither is known.
    """
    env = environment(Path(templates_dir))
    _, planned = plan(archive, config, templates_dir, env, content_dir=content_dir)
    return {p.path: "".join(p.render()) if p.stream else p.render() for p in planned}


def plan(
    archive: Archive,
    config,
    templates_dir: Path,
    env: Environment | None = None,
    content_dir: Path | None = None,
    source: Source | None = None,
    only: Collection[str] | None = None,
    spans: dict | None = None,
) -> tuple[str, list[PlannedPage]]:
    """``(shared, pages)``: every file of the site, each rendered only on demand.

    ``source`` gives an article's full form and export line where the archive holds
    slim articles (see :mod:`briefing.slim`); by default the archive's own articles.

    ``shared`` is a hash of what pages show beyond their own articles — settings,
    Markdown pages, the footer's counts, and the slugs and names that links carry — so
    that an incremental build may keep a page whose articles and ``shared`` are as they
    were (see :func:`briefing.incremental.planned`). Pages are sorted by path.

    ``only`` restricts the plan to the files of these paths, and ``shared`` is then ""
    (not hashed): ``serve`` makes the few pages open in a browser first, and need not
    plan the 12,700 files of 10,000 articles for them (0.25 s). The sitemap lists every
    page: asked for, it is planned with them all.
    """
    if only is not None and "sitemap.xml" in only:
        only = None
    templates_dir = Path(templates_dir)
    env = env or environment(templates_dir)
    source = source or Source()
    folder = _content_dir(config, content_dir)
    md_pages = pages.load(folder / "pages" if folder else None)
    project = folder.parent if folder else None  # content/ sits in the project's folder
    site = _site(config, md_pages)
    out = _Pages(env, site, archive, only)
    base = site.base_url

    def home() -> dict:
        bars = _month_bars(archive.timeline, "index.html")
        if len(archive.timeline.counts) < HOME_MONTHS:
            bars = None  # a bar or two says little: the range chart shows the dates
        latest = archive.articles[:LATEST]
        return dict(
            page_meta=meta.Meta(site.description, feed=feeds.ARCHIVE_FEED, feed_title=site.title),
            latest=latest,
            leaders=[x for x in archive.active_leaders if x.statements][:ACTIVE],
            topics=[t for t in archive.active_topics if t.articles][:ACTIVE],
            chart=bars,
            ranges=range_chart(
                "latest-chart", latest, "index.html", "Event dates of the latest briefings"
            ),
        )

    out.page("index.html", None, "index.html", "home", home)
    for e in archive.articles:
        if out.wants(e.path):
            context = _article(e, site, source)
            out.page(e.path, [e.article.id], urls.ARTICLE_TEMPLATE, "articles", context, full=True)
    out.page("leaders/index.html", None, "leaders.html", "leaders")
    for x in archive.leaders:

        def leader(x=x) -> dict:
            description = (
                f"{x.name}: {len(x.statements)} statements in "
                f"{len(x.articles)} articles of the {site.title}."
            )
            feed = feeds.leader_feed(x.slug)
            title = f"{x.name} · {site.title}"
            return dict(
                page_meta=meta.Meta(description, "profile", feed=feed, feed_title=title),
                leader=x,
                per_theme=PER_THEME,
            )

        out.page(x.path, _ids_of(lambda x=x: x.articles), "leader.html", "leaders", leader)
        _year_pages(
            out,
            "leader_year.html",
            "leaders",
            dict(leader=x),
            x.years,
            lambda y, x=x: f"{x.name}, {y.label}: {y.statements} statements, by date.",
            lambda y: [r.entry for g in y.by_date for r in g.items],
        )
    out.page("topics/index.html", None, "topics.html", "topics")
    for t in archive.topics:

        def topic(t=t) -> dict:
            description = t.description or f"Articles and statements on {t.label}."
            feed = feeds.topic_feed(t.slug) if t.articles else None
            return dict(
                page_meta=meta.Meta(description, feed=feed, feed_title=f"{t.label} · {site.title}"),
                topic=t,
                top=TOPIC_TOP,
                caption_months=CAPTION_MONTHS,
                chart=svg.sparkline(
                    f"spark-{t.slug}", t.months, f"Articles on {t.label} per month"
                ),
            )

        def shown(t=t) -> list:
            return [ta.entry for ta in t.articles] + [r.entry for g in t.by_leader for r in g.items]

        out.page(t.path, _ids_of(shown), "topic.html", "topics", topic)
        _year_pages(
            out,
            "topic_year.html",
            "topics",
            dict(topic=t),
            t.years,
            lambda y, t=t: f"{t.label}, {y.label}: articles and what each leader said.",
            lambda y: (
                [ta.entry for ta in y.articles] + [r.entry for g in y.by_leader for r in g.items]
            ),
        )

    def timeline() -> dict:
        page = "timeline.html"
        return dict(
            bars=_month_bars(archive.timeline, page),
            ranges=_timeline_ranges(archive.timeline, page),
        )

    out.page("timeline.html", None, "timeline.html", "timeline", timeline)
    out.page("matrix.html", None, "matrix.html", "matrix")
    out.page(
        "search.html", None, "search.html", "search", lambda: dict(facets=search.facets(archive))
    )
    for md in md_pages:
        out.page(md.path, [], "page.html", f"page-{md.slug}", lambda md=md: dict(md=md))

    def downloads_page() -> dict:
        return dict(
            files=downloads.describe(archive),
            columns=downloads.COLUMNS,
            feed_list=feeds.feeds(archive, site.title) if base else [],
        )

    out.page("downloads.html", None, "downloads.html", "downloads", downloads_page)
    out.page("404.html", [], "404.html", "")
    # the downloads are written as they are made, an article at a time
    out.file(
        downloads.JSON_PATH,
        None,
        lambda: downloads.annotations_chunks(archive, project, source.line),
        full=True,
        stream=True,
    )

    def noted(path: str, chunks):
        def make():
            if spans is None:
                return chunks(None)
            spans[path] = noting = blocks.Spans()  # anew each time it is made
            return chunks(noting)

        return make

    csv = noted(downloads.CSV_PATH, lambda s: downloads.statements_chunks(archive, base, s))
    out.file(downloads.CSV_PATH, None, csv, stream=True)
    index = noted(search.PATH, lambda s: search.script_chunks(archive, s))
    out.file(search.PATH, None, index, stream=True)
    out.file(".nojekyll", [], lambda: "")  # GitHub Pages: serve the files as they are
    if base:
        author = site.author or site.title
        for f in feeds.feeds(archive, site.title):
            deps = None if f.path == feeds.ARCHIVE_FEED else _ids_of(lambda f=f: f.entries)
            out.file(f.path, deps, lambda f=f: feeds.atom(f, base, author, site.language))
        if out.wants("sitemap.xml"):  # then every page is planned
            lastmod = {e.path: e.published for e in archive.articles}
            listed = sorted(p.path for p in out.planned if p.path.endswith(".html"))
            listed = [(p, lastmod.get(p)) for p in listed if p != "404.html"]
            out.file("sitemap.xml", None, lambda: feeds.sitemap(base, listed))
        out.file("robots.txt", [], lambda: feeds.robots(base))
    for rel, content in _static(templates_dir / "static").items():
        out.file(rel, [], lambda content=content: content, template=rel)
    planned = sorted(out.planned, key=lambda p: p.path)
    return (_shared(site, md_pages, archive) if only is None else ""), planned


class Source:
    """Where pages find an article's full form and its line of ``annotations.json``.

    Here, the archive's articles themselves; a build that keeps slim articles reads
    them back from its cache instead (:class:`briefing.pipeline.Articles`).
    """

    def full(self, article):
        return article

    def line(self, article, root: Path | None) -> str:
        return downloads.export_line(article, root)


def _article(e: ArticleEntry, site: Site, source: Source) -> Callable[[], dict]:
    """The context of an article's page, made when the page is rendered."""

    def context() -> dict:
        # a new entry each time, kept by nobody: the page's maker must not hold on to
        # the full article once the page is made
        full = source.full(e.article)
        entry = e if full is e.article else replace(e, article=full)
        base = site.base_url
        return dict(
            page_meta=meta.Meta(
                meta.article_summary(entry),
                "article",
                meta.article_og(entry),
                meta.news_article(entry, base, site.language, site.title) if base else None,
            ),
            entry=entry,
            blocks=markup.article_blocks(entry.article, entry.people),
        )

    return context


def article_maker(
    archive: Archive,
    config,
    templates_dir: Path,
    env: Environment | None = None,
    content_dir: Path | None = None,
) -> Callable[[ArticleEntry], str]:
    """What renders the page of one entry with its full article, as :func:`plan` does
    (``serve`` shows an edited article this way before the rest of the site is rebuilt)."""
    env = env or environment(Path(templates_dir))
    folder = _content_dir(config, content_dir)
    site = _site(config, pages.load(folder / "pages" if folder else None))
    out = _Pages(env, site, archive)
    return lambda e: out.render(
        e.path, urls.ARTICLE_TEMPLATE, "articles", **_article(e, site, Source())()
    )


def _own_path(e: ArticleEntry) -> str:
    return urls.article(urls.slugify(e.article.slug or e.article.id))


def _shared(site: Site, md_pages: list[pages.Page], archive: Archive) -> str:
    """What every page may show beyond its own articles, hashed."""
    h = hashlib.blake2b(digest_size=16)
    parts = [
        site,
        # their Markdown, not the HTML made of it: a rebuild that renders none of them
        # then neither imports nor runs the converter (50 ms); the code fixes the HTML
        [(p.path, p.title, p.text) for p in md_pages],
        # what links carry: an article's path only when a clash of slugs changed it
        [(e.article.id, e.path) for e in archive.articles if e.path != _own_path(e)],
        [(x.id, x.path, x.name) for x in archive.leaders],
        [(t.id, t.path, t.label) for t in archive.topics],
        [(t.id, [y.key for y in t.years]) for t in archive.topics if t.years],  # year links
        [(x.id, [y.key for y in x.years]) for x in archive.leaders if x.years],
    ]
    for part in parts:
        h.update(repr(part).encode("utf-8", "surrogateescape") + b"\0")
    return h.hexdigest()


def _year_pages(out, template: str, section: str, owner: dict, years, describe, shown) -> None:
    """The pages of a big leader's or topic's years, newest first, each linking its
    neighbours; ``describe(year)`` and ``shown(year)``: its description and articles."""
    for i, y in enumerate(years):

        def context(y=y, i=i) -> dict:
            return dict(
                owner,
                page_meta=meta.Meta(describe(y)),
                year=y,
                newer=years[i - 1] if i > 0 else None,
                older=years[i + 1] if i + 1 < len(years) else None,
            )

        # the neighbours' links show only their labels, which the owner's years fix
        out.page(y.path, _ids_of(lambda y=y: shown(y)), template, section, context)


def _static(folder: Path) -> dict[str, str | bytes]:
    out: dict[str, str | bytes] = {}
    if not folder.is_dir():
        return out
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = "static/" + path.relative_to(folder).as_posix()
        out[rel] = path.read_text("utf-8") if path.suffix in TEXT_STATIC else path.read_bytes()
    return out
