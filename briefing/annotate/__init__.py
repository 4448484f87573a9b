"""Annotators: functions of an article that add one layer each and know nothing of HTML.

They run in order, because later layers read earlier ones: dates use the speakers'
terms of office for the event window, themes tag the speakers' statements. Then
the themes an editor set in the article's metadata are added (:mod:`.editor`), and an
untitled article is given a title (:mod:`.title`).
"""

from __future__ import annotations

from ..errors import Diagnostics
from ..knowledge import Knowledge
from ..model import Article
from . import dates, editor, speakers, themes
from .dates_grammar import grammar
from .themes_match import matcher
from .title import retitle

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
