"""Annotators: functions of an article that add one layer each and know nothing of HTML.

They run in order, because later layers read earlier ones: dates use the speakers'
terms of office for the event window, themes tag the speakers' statements. Then
the themes an editor set in the article's metadata are added (:mod:`.editor`).
"""

from __future__ import annotations

from ..errors import Diagnostics
from ..knowledge import Knowledge
from ..model import Article
from . import dates, editor, speakers, themes
from .dates_grammar import grammar
from .themes_match import matcher

ANNOTATORS = (speakers.annotate, dates.annotate, themes.annotate)


def annotate(article: Article, kb: Knowledge, diag: Diagnostics | None = None) -> Article:
    """Every layer; problems in the article's metadata (an unknown theme id) go to ``diag``."""
    for annotator in ANNOTATORS:
        annotator(article, kb)
    editor.annotate(article, kb, diag)
    retitle(article, kb)
    return article


def prepare(kb: Knowledge) -> Knowledge:
    """Build the tables the annotators make from ``kb`` (the speakers' lexicon, the date
    grammar, the themes' matcher) and keep them with it: knowledge cached on disk then
    comes with them, and worker processes forked after this share them."""
    speakers.lexicon(kb)
    grammar(kb.dates)
    matcher(kb.themes)
    return kb


def retitle(article: Article, kb: Knowledge, max_themes: int = 3) -> None:
    """Give an untitled article a title from who spoke and on what.

    "Ebrahim Raisi and Mustafa al-Kadhimi: Security, Terrorism, Yemen" says more than the
    article's first sentence cut short, which stays the title when nobody speaks.
    """
    if article.title_source != "derived" or not article.speakers:
        return
    ranked = sorted(article.speakers, key=lambda sp: -len(sp.statements))
    names = [sp.name for sp in ranked[:2]]
    who = " and ".join(names) if len(ranked) <= 2 else f"{names[0]}, {names[1]} and others"
    topics = [t.id for t in sorted(article.themes, key=lambda t: (-t.score, t.id))][:max_themes]
    labels = [kb.themes.themes[t].label if t in kb.themes.themes else t for t in topics]
    if labels:
        article.title = f"{who}: {' · '.join(labels)}"  # labels contain 'and'
    else:
        article.title = f"{who}: {article.title}"
