"""Annotators: functions of an article that add one layer each and know nothing of HTML.

They run in order, because later layers read earlier ones: dates use the speakers'
terms of office for the event window, themes tag the speakers' statements.
"""

from __future__ import annotations

from ..knowledge import Knowledge
from ..model import Article
from . import dates, speakers, themes

ANNOTATORS = (speakers.annotate, dates.annotate, themes.annotate)


def annotate(article: Article, kb: Knowledge) -> Article:
    for annotator in ANNOTATORS:
        annotator(article, kb)
    return article
