"""Relative links between the pages of the site.

Every link is relative so that ``site/`` works opened from disk and under any
sub-path (GitHub Pages project sites); pages and targets are POSIX paths relative
to the site root, e.g. ``"articles/foo.html"``.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Callable

_UNSAFE = re.compile(r"[^a-z0-9_-]+")

# the template of an article's page (:mod:`briefing.render`): named here for the rebuild
# without index (:mod:`briefing.pipeline`), which must not import Jinja to learn it
ARTICLE_TEMPLATE = "article.html"


def slugify(value: str) -> str:
    """A file-name-safe form of an id: lower case, ``[a-z0-9_-]``, never empty."""
    slug = _UNSAFE.sub("-", value.lower()).strip("-")
    return slug or "x"


def unique_slugs(ids: list[str]) -> dict[str, str]:
    """Map each id to a distinct slug; later ids that collide get ``-2``, ``-3``...

    ``ids`` should be in a stable order so the same input always gives the same slugs.
    """
    taken: set[str] = set()
    out: dict[str, str] = {}
    for ident in ids:
        base = slugify(ident)
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        out[ident] = slug
    return out


def root(page: str) -> str:
    """The prefix leading from ``page`` back to the site root: ``""`` or ``"../"``..."""
    return "../" * page.count("/")


def url(page: str, target: str) -> str:
    """The link from ``page`` to ``target`` (site-relative, may carry a ``#fragment``)."""
    path, sep, fragment = target.partition("#")
    if not path:
        return f"#{fragment}" if sep else posixpath.basename(page)
    rel = _relative(path, page)
    return f"{rel}#{fragment}" if sep else rel


def linker(page: str) -> Callable[[str], str]:
    """:func:`url` for the links of ``page``, the way back to the root worked out once.

    Most links leave the page's top folder (an article's page links leaders and topics,
    a leader's page links articles): those are the prefix and the target as it is; a
    link into the page's own folder is the rest of the target. Any other link (fragment
    only, ``./``, a folder, a cousin folder) goes through :func:`url`.
    """
    folder = page.rpartition("/")[0]
    up = "../" * page.count("/")
    top = folder.partition("/")[0] + "/" if folder else None
    inside = folder + "/"

    def link(target: str) -> str:
        if target[:1] in ("", "#", ".") or target.endswith("/") or "/#" in target:
            return url(page, target)
        if top is None or not target.startswith(top):
            return up + target
        if target.startswith(inside):
            return target[len(inside) :]
        return url(page, target)

    return link


def _relative(path: str, page: str) -> str:
    # pages link hundreds of thousands of times per build: string work, not relpath's
    # abspath and getcwd calls; both are normalised site paths
    if path.endswith("/") or "." in path.split("/", 1)[0][:1]:
        return posixpath.relpath(path, posixpath.dirname(page) or ".")
    here = page.split("/")[:-1]
    there = path.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "../" * (len(here) - common) + "/".join(there[common:])


def absolute(base_url: str, target: str) -> str:
    """The published address of ``target``; a folder's ``index.html`` is the folder itself."""
    if target == "index.html" or target.endswith("/index.html"):
        target = target[: -len("index.html")]
    return base_url + target


def article(slug: str) -> str:
    return f"articles/{slug}.html"


def leader(slug: str) -> str:
    return f"leaders/{slug}.html"


def topic(slug: str) -> str:
    return f"topics/{slug}.html"


def leader_year(slug: str, year: str) -> str:
    """A big leader's page for one year (see :class:`briefing.index.LeaderYear`)."""
    return f"leaders/{slug}/{year}.html"


def topic_year(slug: str, year: str) -> str:
    """A big topic's page for one year (see :class:`briefing.index.TopicYear`)."""
    return f"topics/{slug}/{year}.html"


@functools.lru_cache(maxsize=4096)  # one string per number, not one per evidence
def sentence_anchor(index: int) -> str:
    return f"s-{index}"
