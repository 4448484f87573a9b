"""The title of an untitled article, made from who spoke and on what (the last layer).

"Ebrahim Raisi and Mustafa al-Kadhimi: Security · Terrorism · Yemen" says more than the
article's first sentence cut short, which stays the title when nobody speaks. It is the
one annotation that shows a theme's label: an edit of labels alone changes the
annotations of just the articles :func:`labelled_themes` names (see
:func:`briefing.annotate.themes_match.lexicon_edit`).
"""

from __future__ import annotations

from ..knowledge import Knowledge
from ..model import Article

MAX_THEMES = 3  # labels in a title


def retitle(article: Article, kb: Knowledge) -> None:
    """Give an untitled article (its ``title_source`` "derived") a title from its
    speakers and :func:`labelled_themes`; annotated, it keeps its "derived" source."""
    if not _made_up(article):
        return
    ranked = sorted(article.speakers, key=lambda sp: -len(sp.statements))
    names = [sp.name for sp in ranked[:2]]
    who = " and ".join(names) if len(ranked) <= 2 else f"{names[0]}, {names[1]} and others"
    topics = labelled_themes(article)
    labels = [kb.themes.themes[t].label if t in kb.themes.themes else t for t in topics]
    if labels:
        article.title = f"{who}: {' · '.join(labels)}"  # labels contain 'and'
    else:
        article.title = f"{who}: {article.title}"


def labelled_themes(article: Article) -> list[str]:
    """The ids of the themes whose labels :func:`retitle` puts in the title of
    ``article`` (themes annotated, full or slim): none when it keeps its own title."""
    if not _made_up(article):
        return []
    ranked = sorted(article.themes, key=lambda t: (-t.score, t.id))
    return [t.id for t in ranked[:MAX_THEMES]]


def _made_up(article: Article) -> bool:
    """Whether :func:`retitle` titles ``article``: untitled, and someone speaks in it."""
    return article.title_source == "derived" and bool(article.speakers)
