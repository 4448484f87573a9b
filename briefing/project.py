"""A project and its articles one by one: where the parts live, and one file read,
cleaned and annotated (read -> clean -> annotate), its failure that article's alone.

:mod:`briefing.pipeline` builds the whole site from these.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BriefingError, Diagnostics

if TYPE_CHECKING:
    from .clean import Cleaner
    from .config import SiteConfig
    from .knowledge import Knowledge
    from .model import Article

ROOT = Path(__file__).resolve().parent.parent


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


def check_unique(article: Article, path: Path, ids: dict, slugs: dict, diag) -> bool:
    """Whether ``article``'s id and slug are new to ``ids`` and ``slugs`` (which take
    them); a duplicate is an error naming the other file."""
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
        if article is not None and check_unique(article, path, ids, slugs, diag):
            articles.append(article)
    return articles


def load_article(path: str | Path, project: Project | None = None) -> Article:
    """One annotated article; raises :class:`BriefingError` if it cannot be read."""
    diag = Diagnostics()
    article = process_file(Path(path), project or Project(), diag)
    if article is None:
        raise diag.errors[0]
    return article
