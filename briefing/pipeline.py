"""The pipeline, end to end: read -> clean -> annotate -> index -> render -> write.

Each stage is its own module; this one only wires them together and makes sure that
one bad article costs that article alone: its error is reported and the rest build.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from . import annotate as _annotate
from . import config as _config
from . import knowledge as _knowledge
from .clean import Cleaner
from .errors import BriefingError, Diagnostics
from .knowledge import cleaning as _cleaning
from .model import Article
from .read import discover, read_article

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Project:
    """Where a project's parts live; by default the folders beside ``build.py``."""

    root: Path = ROOT
    content: Path | None = None
    templates: Path | None = None
    output: Path | None = None

    def __post_init__(self):
        self.root = Path(self.root)
        self.content = Path(self.content) if self.content else self.root / "content"
        self.templates = Path(self.templates) if self.templates else self.root / "templates"
        self.output = Path(self.output) if self.output else self.root / "site"

    @cached_property
    def config(self) -> _config.SiteConfig:
        return _config.load(self.content / "site.yaml")

    @cached_property
    def knowledge(self) -> _knowledge.Knowledge:
        return _knowledge.load(self.content)

    @cached_property
    def cleaner(self) -> Cleaner:
        return Cleaner(_cleaning.load(self.content / "cleaning.yaml"))

    def inputs(self) -> list[Path]:
        return [self.root / folder for folder in self.config.articles]


@dataclass
class BuildResult:
    articles: list[Article] = field(default_factory=list)
    files: int = 0
    seconds: float = 0.0
    diag: Diagnostics = field(default_factory=Diagnostics)


def process_file(path: Path, project: Project, diag: Diagnostics) -> Article | None:
    """Read, clean and annotate one file; None (with the error noted) if it cannot be."""
    try:
        raw = read_article(path, diag)
        article = project.cleaner.clean(raw)
    except BriefingError as e:
        diag.error(e)
        return None
    try:
        _annotate.annotate(article, project.knowledge)
    except Exception as e:  # an annotator bug must not cost the rest of the archive
        where = traceback.extract_tb(e.__traceback__)[-1]
        diag.error(
            BriefingError(
                path,
                None,
                f"annotation failed ({type(e).__name__}: {e} at {Path(where.filename).name}:"
                f"{where.lineno}) — please report this article",
            )
        )
        return None
    return article


def process(paths: list[str | Path], project: Project, diag: Diagnostics) -> list[Article]:
    """Every article under ``paths``, annotated; duplicates of an id or slug are refused."""
    articles: list[Article] = []
    ids: dict[str, str] = {}
    slugs: dict[str, str] = {}
    for path in discover(paths, diag):
        article = process_file(path, project, diag)
        if article is None:
            continue
        if article.id in ids:
            diag.error(
                BriefingError(
                    path,
                    None,
                    f"duplicate article id {article.id!r} (also {ids[article.id]}) — rename one file",
                )
            )
            continue
        if article.slug in slugs:
            diag.error(
                BriefingError(
                    path,
                    None,
                    f"duplicate slug {article.slug!r} (also {slugs[article.slug]}) — set another 'slug'",
                )
            )
            continue
        ids[article.id] = slugs[article.slug] = article.source
        articles.append(article)
    return articles


def load_article(path: str | Path, project: Project | None = None) -> Article:
    """One annotated article; raises :class:`BriefingError` if it cannot be read."""
    diag = Diagnostics()
    article = process_file(Path(path), project or Project(), diag)
    if article is None:
        raise diag.errors[0]
    return article


def build(
    project: Project,
    inputs: list[str | Path] | None = None,
    strict: bool = False,
    diag: Diagnostics | None = None,
) -> BuildResult:
    """Build the whole site into ``project.output``; the previous site survives failure."""
    from . import index, render, write  # imported here: `annotate` needs none of them

    started = time.perf_counter()
    result = BuildResult(diag=diag or Diagnostics())
    # fatal errors (settings, knowledge, cleaning rules) surface before any work
    config, kb, _ = project.config, project.knowledge, project.cleaner
    result.articles = process(inputs or project.inputs(), project, result.diag)
    if strict and (result.diag.errors or result.diag.warnings):
        raise BriefingError(
            None, None, "--strict: the build has problems (above); the previous site is kept"
        )
    archive = index.build_index(result.articles, kb)
    files = render.render_site(archive, config, project.templates)
    with write.build_lock(project.output):
        result.files = write.write_site(files, project.output)
    result.seconds = time.perf_counter() - started
    return result
