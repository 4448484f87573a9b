"""An annotated article as the rest of the archive sees it: without what only its page shows.

An archive's leader, topic and index pages, its search index and its statements CSV
need an article's metadata, speakers and their statements, themes and the sentences
that give them, and nothing else; the article's text, blocks, dates, mentions and
quotes are shown on its own page only. A build keeps the slim form of every article
in memory (a third of the full one) and reads the full article back from the build
cache when it renders the article's page (see :class:`briefing.pipeline.Articles`).

A slim article indexes exactly as its full article does: :func:`briefing.index.build_index`
gives the same archive for either, and tests hold that.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from dataclasses import dataclass, replace

from .index import sentence_of
from .model import Article, Mention, Sentence, Span


@dataclass
class SlimArticle(Article):
    """An :class:`Article` without the layers that only its own page shows.

    ``view`` is a hash of what it holds for the other pages: when an edit leaves it as
    it was, no page but the article's own (and the downloads) can change.
    """

    view: str = ""


def slim(article: Article) -> SlimArticle:
    """``article`` without its text, blocks, dates and spans' words, for the index.

    Kept: metadata, speakers with their statements, the other people, themes with
    the sentences of their evidence, and the words of just the sentences that a
    statement or a theme's evidence is in (their positions keep their numbers).
    Mentions shrink to one per person they name that is neither a speaker nor one of
    the article's people (the index names those from the knowledge base), and quotes
    to their number.
    """
    named = {sp.id for sp in article.speakers} | {p.id for p in article.people}
    others: dict[str, Mention] = {}
    for who in (*article.speakers, *article.people):
        for m in who.mentions:
            if m.person and m.person not in named and m.person not in others:
                others[m.person] = Mention(m.start, m.end, "", m.person, m.kind)
    extra = sorted(others.values(), key=lambda m: m.person)

    starts = [s.start for s in article.sentences]
    whole: dict[int, Span] = {}  # sentence -> a span of all of it, shared by the themes

    def evidence(items: list[Span]) -> list[Span]:
        # the index shows the sentences that hold evidence: one span per sentence will do
        seen: dict[int, Span] = {}
        for s in items:
            i = sentence_of(starts, s.start)
            if i not in seen:
                if i not in whole:
                    whole[i] = Span(starts[i], article.sentences[i].end, "")
                seen[i] = whole[i]
        return list(seen.values())

    said: dict[int, str] = {}
    for sp in article.speakers:
        for st in sp.statements:
            said.setdefault(st.sentence, st.text)
    used = set(said)
    for hit in article.themes:
        for span in hit.evidence:
            used.add(sentence_of(starts, span.start))
    sentences = []
    for i, s in enumerate(article.sentences):
        if i not in used:
            text = ""
        elif said.get(i) == s.text:
            text = said[i]  # a statement is most often its whole sentence: one string
        else:
            text = s.text
        sentences.append(Sentence(s.start, s.end, text, s.block, s.kind))
    speakers = [  # of the quotes, other pages show how many there are
        replace(sp, mentions=extra if i == 0 else [], quotes=[_QUOTE] * len(sp.quotes))
        for i, sp in enumerate(article.speakers)
    ]
    people = [replace(p, mentions=[]) for p in article.people]
    if extra and not speakers:  # no speaker to carry them: the first person does
        people[0] = replace(people[0], mentions=extra)
    themes = [replace(h, evidence=evidence(h.evidence)) for h in article.themes]
    fields = {k: v for k, v in article.__dict__.items() if not k.startswith("_")}
    fields.update(
        text="",
        blocks=[],
        sentences=sentences,
        removed=[],
        speakers=speakers,
        people=people,
        dates=[],
        themes=themes,
    )
    lite = SlimArticle(**fields)
    lite.view = _view(lite)
    return lite


def _view(lite: SlimArticle) -> str:
    # the sentences without words are left out: their number and offsets are not shown
    fields = [(k, v) for k, v in lite.__dict__.items() if k not in ("sentences", "view")]
    shown = [(i, s) for i, s in enumerate(lite.sentences) if s.text]
    data = pickle.dumps((fields, shown), protocol=pickle.HIGHEST_PROTOCOL)
    return hashlib.blake2b(data, digest_size=16).hexdigest()


_QUOTE = Span(0, 0, "")  # a quote of a slim article: only their number is kept
_LISTS: dict[tuple, list[str]] = {}  # lists of theme ids, one per set, for every article


def share(lite: SlimArticle) -> SlimArticle:
    """``lite`` with its small repeated strings (kinds, cues, ids, names, roles) and its
    lists of theme ids shared with every other article's: each article comes unpickled
    with its own copies. The shared lists are read, never changed."""
    intern = sys.intern

    def themes(ids: list[str]) -> list[str]:
        key = tuple(ids)
        found = _LISTS.get(key)
        if found is None:
            found = _LISTS[key] = [intern(t) for t in key]
        return found

    for sp in lite.speakers:
        sp.id, sp.name = intern(sp.id), intern(sp.name)
        sp.role = sp.role and intern(sp.role)
        sp.country = sp.country and intern(sp.country)
        for st in sp.statements:
            st.kind = intern(st.kind)
            st.cue = st.cue and intern(st.cue)
            st.themes = themes(st.themes)
    for s in lite.sentences:
        s.kind = intern(s.kind)
    for h in lite.themes:
        h.id, h.source = intern(h.id), intern(h.source)
    lite.sentence_themes = {k: themes(v) for k, v in lite.sentence_themes.items()}
    return lite
