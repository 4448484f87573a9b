"""Annotations carried over an edit of the themes' terms or labels, or of the people's aliases.

Any edit to a knowledge file makes a new annotation version (see :mod:`briefing.cache`),
under which every article is annotated again: five seconds at 1,000 articles, well over
half a minute at 10,000. Yet an editor who adds a term to a theme's lexicon, or a
spelling to a person, or takes one out, changes the annotations of the articles that
hold it, and of no other: the themes annotator reads a taxonomy's terms only where their
matches start (:func:`briefing.annotate.themes_match.lexicon_edit`), the speakers
annotator reads aliases only where they are written
(:func:`briefing.annotate.alias_edit.alias_edit`), and no other annotator reads either.
A theme's label is read only by the titles made for untitled articles, its description
and IPTC codes by none. When the themes file, the leaders file or both are the only
inputs changed since the last build, the entries of that build's version that the edit
does not touch (their text, or their title) are filed under the new version as they
are, and only the others are annotated.

Their pages are kept too: a page is made from the knowledge with the themes' terms and
the people's aliases left out (:func:`page_basis`; pages show neither) and from its
articles' *marks*: a carried entry's is the key it had when its pages were made
(:meth:`~briefing.cache.ArticleCache.marks`).
"""

from __future__ import annotations

import os
from pathlib import Path

from . import cache as _cache
from .knowledge import LEADERS, THEMES


def recorded(index: _cache.FileIndex, content: Path) -> list[tuple[str, str | None]]:
    """(name, hash) of each knowledge file as ``index`` last hashed it (None if it did
    not), without reading any: taken before the build hashes the files again."""
    out = []
    for path in _cache.knowledge_files(content):
        known = index.entries.get(str(path))
        out.append((os.path.basename(path), known[1] if known else None))
    return out


def _analysis(name: str):
    """For a knowledge file whose edits the build can tell apart: (what pages show of
    its knowledge, from a loaded :class:`~briefing.knowledge.Knowledge`; what an edit of
    it from one knowledge to another may change, with a ``touches(text)``, or None if it
    may change any article). None for any other file."""
    if name == THEMES:
        from .annotate.themes_match import lexicon_edit, without_terms

        return (
            lambda kb: without_terms(kb.themes),
            lambda old, new: lexicon_edit(old.themes, new.themes),
        )
    if name == LEADERS:
        from .annotate.alias_edit import alias_edit, without_aliases

        return (
            lambda kb: without_aliases(kb.leaders),
            lambda old, new: alias_edit(old.leaders, new.leaders),
        )
    return None


def page_basis(index: _cache.FileIndex, content: Path, kb, settings: str | None) -> str:
    """What every page is made from of the code, knowledge (``kb``, loaded) and
    ``settings`` (the hash of site.yaml): the annotation version's inputs, but the themes
    file as its taxonomy without terms and the leaders file as its people without
    aliases, so that an edit of terms or aliases alone leaves it as it was."""
    files = []
    for name, h in _cache.knowledge_hashes(index, content):
        analysis = _analysis(name)
        files.append((name, analysis[0](kb) if analysis else h))
    return _cache.combine(_cache.version_of(_cache.code_version(index), files), settings)


def carry(
    project, old_version: str, before, version_now: str, index, store, todo, hashes=None
) -> dict[int, tuple]:
    """File under ``store`` (of the version now) the entries of ``old_version`` that the
    edit leaves as they are, for the articles of ``todo`` (``[(position, path, key)]``,
    not in ``store``); ``{position: (article, warnings)}`` of those filed (their entries
    unpacked: the caller need not read them again); each is marked in ``store`` as the
    key whose pages it has (its key in ``old_version``, or that key's mark). None is
    carried unless the last build's version was made from the same code and knowledge
    files as now, but for the themes and leaders files (``before``: the files' (name,
    hash) as it saw them), and those differ only as their analyses allow (terms,
    labels, aliases...). ``project.knowledge`` is the knowledge of now. An entry that
    cannot be filed is left out: the caller annotates its article."""
    code = _cache.code_version(index)
    if not todo or old_version == version_now or _cache.version_of(code, before) != old_version:
        return {}
    now = _cache.knowledge_hashes(index, project.content)
    if [name for name, _ in now] != [name for name, _ in before]:
        return {}
    changed = [name for (name, h), (_, h0) in zip(now, before, strict=True) if h != h0]
    analyses = [_analysis(name) for name in changed]
    if not analyses or not all(analyses):
        return {}
    old_store = _cache.ArticleCache(project.cache_dir, old_version)
    old = old_store.cached_knowledge()
    if old is None:
        return {}
    edits = [edit(old[0], project.knowledge) for _, edit in analyses]
    if any(edit is None for edit in edits):
        return {}
    carried: dict[int, tuple] = {}
    marks, old_marks = {}, old_store.marks()
    for position, path, key in todo:
        old_key = _cache.article_key(index, old_version, path, hashes) if key else None
        data = old_store.entry_start(old_key) if old_key else None
        text = _cache.text_of(data) if data is not None else None
        got = _cache.unpack(data) if text else None  # (no text: not an entry)
        if got is None or any(edit.touches(text, got[0]) for edit in edits):
            continue
        if store.adopt(old_store, old_key, key):
            carried[position] = got
            marks[key] = old_marks.get(old_key, old_key)
    store.mark(marks)
    return carried
