"""content/site.yaml: the site's settings, validated on load."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import yamlio

_KEYS = {
    "title": "the site's name",
    "description": "one line under the title",
    "base_url": "the published address, e.g. https://user.github.io/repo/ (or null)",
    "language": "the language code of the pages",
    "articles": "folders of articles to build",
    "author": "who publishes the archive",
}


@dataclass
class SiteConfig:
    title: str = "Briefing archive"
    description: str = "Annotated press reports on regional diplomacy"
    base_url: str | None = None
    language: str = "en"
    articles: list[str] = field(default_factory=lambda: ["seeds"])
    author: str | None = None
    path: str | None = None


def load(path: str | Path) -> SiteConfig:
    """Read ``site.yaml``; a missing file means the defaults."""
    path = Path(path)
    config = SiteConfig(path=str(path))
    if not path.exists():
        return config
    data = yamlio.load(path)
    if data is None:
        return config
    check = yamlio.Checker(path)
    check.mapping(data, data, None, "site.yaml")
    check.known_keys(data, _KEYS, "site.yaml")
    for key in ("title", "description", "language", "author"):
        value = check.string(data, key, "site.yaml")
        if value is not None:
            setattr(config, key, value)
    base = check.string(data, "base_url", "site.yaml")
    if base:
        if not base.startswith(("http://", "https://")):
            check.fail(data, "base_url", "base_url must start with https:// — or set it to null")
        config.base_url = base if base.endswith("/") else base + "/"
    if "articles" in data:
        folders = data["articles"]
        if isinstance(folders, str):
            folders = [folders]
        check.sequence(folders, data, "articles", "'articles'")
        config.articles = [str(f) for f in folders]
    return config
