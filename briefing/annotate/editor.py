"""Themes an editor assigns in an article's metadata: ``themes: [security, yemen]``.

They run after the themes annotator and only add: an id the annotator found already
stays as it found it (score and evidence from the text); an id it did not find is
added with score 0 and no evidence, marked ``source="editor"``, so that the article is
listed under the topic without pretending the text supports it. An article without the
key is untouched. An id that is not in ``content/themes.yaml`` is a warning on the line
that names it, and is dropped.
"""

from __future__ import annotations

from ..errors import Diagnostics
from ..knowledge import Knowledge
from ..model import Article, ThemeHit

TAXONOMY = "content/themes.yaml"


def annotate(article: Article, kb: Knowledge, diag: Diagnostics | None = None) -> None:
    ids = article.meta.get("themes")
    if not ids:
        return
    known = kb.themes.themes
    path = getattr(ids, "path", None) or article.source
    lines = getattr(ids, "lines", ())
    have = {hit.id for hit in article.themes}
    for i, tid in enumerate(ids):
        if tid not in known:
            if diag is not None:
                line = lines[i] if i < len(lines) else None
                diag.warn(path, line, unknown_theme(tid, list(known)))
            continue
        if tid not in have:
            have.add(tid)
            article.themes.append(ThemeHit(tid, 0.0, [], source="editor"))


def unknown_theme(tid: str, known: list[str]) -> str:
    """``unknown theme id 'securty' — use one of the ids in content/themes.yaml (e.g. ...)``"""
    import difflib  # only when a file has this error

    by_fold = {k.casefold(): k for k in known}
    close = difflib.get_close_matches(str(tid).casefold(), list(by_fold), n=3, cutoff=0.6)
    examples = [by_fold[c] for c in close] or known[:3]
    hint = f" (e.g. {', '.join(examples)})" if examples else ""
    return f"unknown theme id {tid!r} — use one of the ids in {TAXONOMY}{hint}"
