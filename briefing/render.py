"""The archive as a static website: one Jinja template per kind of page.

:func:`render_site` returns every file of ``site/`` as a path -> content mapping and
writes nothing itself. Links are relative (see :mod:`briefing.urls`) so the site
works from disk and under a sub-path; autoescaping is on, and the only markup that
reaches templates unescaped is built from escaped pieces in :mod:`briefing.markup`
and :mod:`briefing.svg`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import markup, svg, urls
from .index import Archive, ArticleEntry, Timeline, date_label

LATEST = 10  # briefings on the home page
ACTIVE = 8  # leaders and topics on the home page
TEXT_STATIC = {".css", ".svg", ".txt", ".js", ".json", ".html"}


@dataclass(frozen=True)
class Site:
    """What every page needs to know about the site, from the build configuration."""

    title: str
    description: str
    language: str
    base_url: str | None


def _site(config) -> Site:
    base = getattr(config, "base_url", None)
    return Site(
        title=getattr(config, "title", None) or "Briefing",
        description=getattr(config, "description", None) or "",
        language=getattr(config, "language", None) or "en",
        base_url=base.rstrip("/") + "/" if base else None,
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
    env.globals.update(date_label=date_label, score=lambda x: f"{x:.2f}")
    env.filters["plural"] = lambda n, word, many=None: (
        f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"
    )
    return env


class _Pages:
    def __init__(self, env: Environment, site: Site, archive: Archive):
        self.env, self.site, self.archive = env, site, archive
        self.out: dict[str, str | bytes] = {}

    def page(self, path: str, template: str, section: str, **context) -> None:
        def url(target: str) -> str:
            if path == "404.html" and self.site.base_url:
                # served at any depth by the host, so only absolute links work there
                return self.site.base_url + target
            return urls.url(path, target)

        canonical = self.site.base_url + path if self.site.base_url else None
        html = self.env.get_template(template).render(
            site=self.site,
            page=path,
            url=url,
            root=urls.root(path),
            section=section,
            canonical=canonical,
            archive=self.archive,
            **context,
        )
        self.out[path] = html


def _range_items(entries: list[ArticleEntry], page: str) -> list[svg.Range]:
    items = []
    for e in entries:
        w = e.when
        if w.window:
            start, end = w.window
        elif w.value:
            start = end = w.value
        else:
            continue
        items.append(svg.Range(e.title, start, end, urls.url(page, e.path)))
    return items


def _timeline_charts(timeline: Timeline, page: str):
    bars = svg.month_bars(
        "months-chart",
        timeline.counts,
        "Articles per month of the event date",
        href=lambda key: urls.url(page, f"timeline.html#m-{key}"),
    )
    dated = [e for y in timeline.years for m in y.months for e in m.articles]
    dated += [e for y in timeline.years for e in y.no_month]
    ranges = svg.ranges(
        "ranges-chart",
        _range_items(dated + timeline.windows, page),
        "Event dates and windows",
    )
    return bars, ranges


def render_site(archive: Archive, config, templates_dir: Path) -> dict[str, str | bytes]:
    """Every file of the site as ``{relative POSIX path: content}``; deterministic."""
    templates_dir = Path(templates_dir)
    env = environment(templates_dir)
    pages = _Pages(env, _site(config), archive)

    bars, _ = _timeline_charts(archive.timeline, "index.html")
    pages.page(
        "index.html",
        "index.html",
        "home",
        latest=archive.articles[:LATEST],
        leaders=[x for x in archive.active_leaders if x.statements][:ACTIVE],
        topics=[t for t in archive.active_topics if t.articles][:ACTIVE],
        chart=bars,
    )
    for e in archive.articles:
        blocks = markup.article_blocks(e.article, e.people)
        pages.page(e.path, "article.html", "articles", entry=e, blocks=blocks)
    pages.page("leaders/index.html", "leaders.html", "leaders")
    for leader in archive.leaders:
        pages.page(leader.path, "leader.html", "leaders", leader=leader)
    pages.page("topics/index.html", "topics.html", "topics")
    for t in archive.topics:
        chart = svg.sparkline(f"spark-{t.slug}", t.months, f"Articles on {t.label} per month")
        pages.page(t.path, "topic.html", "topics", topic=t, chart=chart)
    bars, ranges = _timeline_charts(archive.timeline, "timeline.html")
    pages.page("timeline.html", "timeline.html", "timeline", bars=bars, ranges=ranges)
    pages.page("matrix.html", "matrix.html", "matrix")
    pages.page("404.html", "404.html", "")
    pages.out.update(_static(templates_dir / "static"))
    return dict(sorted(pages.out.items()))


def _static(folder: Path) -> dict[str, str | bytes]:
    out: dict[str, str | bytes] = {}
    if not folder.is_dir():
        return out
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = "static/" + path.relative_to(folder).as_posix()
        out[rel] = path.read_text("utf-8") if path.suffix in TEXT_STATIC else path.read_bytes()
    return out
