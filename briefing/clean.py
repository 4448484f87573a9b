"""Cleaning: a :class:`RawArticle` becomes an :class:`Article` with a clean body.

Scraped articles carry the site around them: breadcrumbs, share widgets, app promos,
licence lines, related-link lists. They are taken out of the body, but what they say
about the outlet is kept. The headline, the dateline and photo captions are recognised;
subheadings become heading blocks (also when a scraper glued one into a paragraph), and
paragraphs a scraper broke mid-sentence are joined again. The rules' vocabulary lives
in ``content/cleaning.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from . import recache, segment
from .knowledge.cleaning import CleaningRules, group
from .model import Article, Block, RawArticle, Sentence

_TERMINAL = tuple('.!?:;"\u201d\u2019)]\u2026')
_WS = recache.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_GLUE = recache.compile(r"[ \u00a0]{2,}|\u00a0")
_DATELINE = recache.compile(
    r"^(?P<place>[A-Z][A-Z'\-]+(?: [A-Z][A-Z'\-]+){0,2}|[A-Z][a-z'\-]+(?: [A-Z][a-z'\-]+){0,2})"
    r"(?:,\s*(?:(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}(?:,? \d{4})?)|(?P<agency2>[A-Z][A-Za-z]{1,12})(?=\s*[\u2014\u2013-])))?"
    r"\s*(?:\((?P<agency>[A-Za-z0-9 .]{1,25})\))?"
    r"\s*(?:[\u2014\u2013]|-{1,2})\s+"
)
# the apostrophe first: the engine skips to it instead of trying a look-behind everywhere
# (one pattern per mark: a single character is found like str.find does, a class of two
# is tested at every character)
_APOSTROPHES = [recache.compile(f"{mark}(?<=\\w.)(?=\\w)") for mark in "\u2019\u02bc"]
# what _WS changes: a run of two, or a space that is not " " (else the text is kept as is)
_ODD_SPACE = recache.compile(r"[\t\u00a0\u2000-\u200b\u202f\u205f\u3000]")
_MD_HEADING = recache.compile(r"^#{1,6}\s+")
_WORD = recache.compile(r"[\w'\u2019-]+")
HEADING_MAX_WORDS = 20


@dataclass
class _Para:
    text: str
    line: int
    kind: str = "paragraph"
    blank_before: bool = True
    # sentence spans of ``text`` as it was when split (assemble splits it again otherwise)
    spans: tuple[str, list[tuple[int, int]]] | None = None


def _one_line(text: str) -> str:
    """The words of ``text`` one space apart (what ``" ".join(text.split())`` makes).

    Most lines need no mending: no two spaces in a row, and no space but " " (every
    other is a character str.isprintable() refuses), so the ends are all to take off
    (and the result is ``text`` itself when there are none).
    """
    if "  " in text or not text.isprintable():
        return " ".join(text.split())
    return text.strip()


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _is_open(text: str) -> bool:
    """True when a paragraph does not end like a finished sentence."""
    return not text.rstrip().endswith(_TERMINAL)


def _heading_like(text: str) -> bool:
    # the cheap tests first: most paragraphs end like a sentence
    return (
        _is_open(text)
        and (text[:1].isupper() or text[:1].isdigit() or text[:1] in "\"\u201c'\u2018")
        and 0 < len(_words(text)) <= HEADING_MAX_WORDS
    )


def _paragraphs(body: str) -> list[_Para]:
    """Every non-empty line is a paragraph candidate; blank lines are remembered."""
    paras: list[_Para] = []
    blank = True
    for number, line in enumerate(body.split("\n"), start=1):
        if not line.strip():
            blank = True
            continue
        paras.append(_Para(text=line.rstrip(), line=number, blank_before=blank))
        blank = False
    return paras


class Cleaner:
    """Cleans raw articles with one set of :class:`CleaningRules`."""

    def __init__(self, rules: CleaningRules):
        self.rules = rules

    # the rules' screens (see knowledge.cleaning.Screen), made on first use
    @cached_property
    def _screen_boilerplate(self):
        return self.rules.screen("boilerplate", True).may_match

    @cached_property
    def _screen_related(self):
        return self.rules.screen("related_links", True).may_match

    @cached_property
    def _screen_captions(self):
        return self.rules.screen("captions", False).may_match

    # -- boilerplate ------------------------------------------------------------------
    def _boilerplate(self, text: str, line: str | None = None) -> tuple[bool, str | None]:
        """Whether ``text`` is noise, and the outlet it names; ``line`` is
        ``_one_line(text)`` when the caller has it."""
        if line is None:
            line = _one_line(text)
        if not self._screen_boilerplate(line):
            return False, None  # most lines: no pattern need be tried
        joined = self.rules.joined("boilerplate")
        for pattern in [joined] if joined else self.rules.boilerplate:
            m = pattern.fullmatch(line)
            if m:
                outlet = group(m, "outlet")
                return True, (self.rules.outlet_name(outlet) if outlet else None)
        return False, None

    def _related(self, text: str, line: str | None = None) -> bool:
        """A "Read more:" line, alone or with one linked headline after the colon."""
        if line is None:
            line = _one_line(text)
        head, colon, rest = line.partition(":")
        screen = self._screen_related
        if not screen(line) and not (colon and screen(head.strip())):
            return False  # most lines: no pattern need be tried
        joined = self.rules.joined("related_links")
        for pattern in [joined] if joined else self.rules.related_links:
            if pattern.fullmatch(line):
                return True
            if colon and pattern.fullmatch(head.strip()) and _heading_like(rest.strip() or "X"):
                return True
        return False

    def _breadcrumb(self, text: str) -> bool:
        for sep in self.rules.breadcrumb_separators:
            parts = [p.strip() for p in text.split(sep)]
            if len(parts) >= 2 and all(0 < len(_words(p)) <= 4 and _is_open(p) for p in parts):
                return True
        return False

    def strip_boilerplate(
        self, paras: list[_Para], removed: list[str]
    ) -> tuple[list[_Para], list[str]]:
        outlets: list[str] = []
        kept: list[_Para] = []
        i = 0
        while i < len(paras):
            para = paras[i]
            if i < 3 and not kept and self._breadcrumb(para.text):
                removed.append(para.text)
                i += 1
                continue
            line = _one_line(para.text)
            if self._related(para.text, line):
                removed.append(para.text)
                i += 1
                # the links that follow: short headline-like lines
                while i < len(paras) and (
                    _heading_like(paras[i].text) or self._boilerplate(paras[i].text)[0]
                ):
                    removed.append(paras[i].text)
                    i += 1
                continue
            is_noise, outlet = self._boilerplate(para.text, line)
            if is_noise:
                removed.append(para.text)
                if outlet:
                    outlets.append(outlet)
                i += 1
                continue
            # a line that needed no mending: nor do its sentences (trimmed slices of it)
            para.text = self._strip_sentences(para, removed, outlets, plain=line is para.text)
            if para.text.strip():
                kept.append(para)
            i += 1
        return kept, outlets

    def _strip_sentences(
        self, para: _Para, removed: list[str], outlets: list[str], plain: bool = False
    ) -> str:
        """Boilerplate glued into a paragraph as a sentence of its own (a licence line).

        ``plain``: the paragraph is one line as :func:`_one_line` makes it.
        """
        text = para.text
        spans = segment.split(text)
        para.spans = (text, spans)
        if len(spans) < 2:
            return text
        # cut noise out by offsets, so the spacing that marks glued headings survives
        for s, e in reversed(spans):
            sentence = text[s:e]
            is_noise, outlet = self._boilerplate(sentence, sentence if plain else None)
            if is_noise:
                removed.append(text[s:e])
                if outlet:
                    outlets.append(outlet)
                text = text[:s] + text[e:]
        return text

    def strip_prefix(self, para: _Para, removed: list[str]) -> str | None:
        for pattern in self.rules.paragraph_prefixes:
            m = pattern.match(para.text)
            if m and m.end() < len(para.text):
                removed.append(para.text[: m.end()].strip())
                para.text = para.text[m.end() :]
                outlet = m.groupdict().get("outlet")
                return self.rules.outlet_name(outlet) if outlet else None
        return None

    # -- structure --------------------------------------------------------------------
    def dateline(self, para: _Para) -> tuple[str | None, str | None, str]:
        """Take "TEHRAN —" or "BEIJING, Oct. 16 (Xinhua) --" off the first paragraph.

        Returns the place, the outlet its agency code names, and the dateline as written,
        which stays in the text as a block of its own: its date is a date expression.
        """
        m = _DATELINE.match(para.text)
        if not m:
            return None, None, ""
        place = m.group("place")
        # A Title Case place needs a second sign (an agency or a date) to be a dateline
        agency = m.group("agency") or m.group("agency2")
        plain = not place.isupper() and not (agency or m.group("date"))
        if plain and len(_words(place)) > 1:
            return None, None, ""
        outlet = self.rules.agencies.get(agency.strip()) if agency else None
        written = para.text[: m.end()].strip()
        para.text = para.text[m.end() :]
        return place, outlet, written

    def is_caption(self, text: str) -> bool:
        if not self._screen_captions(text):
            return False
        joined = self.rules.joined("captions")
        if joined:
            return joined.search(text) is not None
        return any(p.search(text) for p in self.rules.captions)

    def rejoin(self, paras: list[_Para]) -> list[_Para]:
        """Join paragraphs that a scraper broke in the middle of a sentence."""
        out: list[_Para] = []
        for para in paras:
            if (
                out
                and out[-1].kind == "paragraph"
                and para.kind == "paragraph"
                and self._broken(out[-1], para)
            ):
                out[-1].text = out[-1].text.rstrip() + " " + para.text.lstrip()
            else:
                out.append(para)
        return out

    def _broken(self, prev: _Para, nxt: _Para) -> bool:
        if not _is_open(prev.text):
            return False
        words = _words(prev.text)
        if not words:
            return False
        first = nxt.text.lstrip()[:1]
        if first.islower():
            return True
        if words[-1].lower() in self.rules.open_words and len(words) > 3:
            return True
        # a hard-wrapped line: long, and the next line follows with no blank line
        return not nxt.blank_before and len(prev.text) >= 60 and len(words) > HEADING_MAX_WORDS

    def split_glued_heading(self, para: _Para) -> list[_Para]:
        """A subheading glued into a paragraph: "...standing. President lauds X  Raisi added"."""
        pieces: list[_Para] = []
        text = para.text
        if "  " not in text and "\u00a0" not in text:  # nothing _GLUE could match
            return [para]
        pos = 0
        for m in _GLUE.finditer(text):
            nxt = m.end()
            while nxt < len(text) and text[nxt].isspace():
                nxt += 1
            stop = m.start()
            while stop > pos and text[stop - 1].isspace():
                stop -= 1
            if stop == pos or not text[nxt : nxt + 1].isupper() or text[stop - 1] in _TERMINAL:
                continue
            # a heading is short: look back a bounded window, so this stays linear
            window = max(pos, stop - 300)
            spans = segment.split(text, window, stop)
            if not spans or (spans[-1][0] == window and window > pos):
                continue
            s, e = spans[-1]
            if not _heading_like(text[s:e]):
                continue
            if text[pos:s].strip():
                pieces.append(_Para(text[pos:s].strip(), para.line))
            pieces.append(_Para(text[s:e], para.line, kind="heading"))
            pos = m.end()
        if not pieces:
            return [para]
        pieces.append(_Para(text[pos:].strip(), para.line))
        return [p for p in pieces if p.text]

    # -- the whole step ---------------------------------------------------------------
    def clean(self, raw: RawArticle) -> Article:
        body = unicodedata.normalize("NFC", raw.body.replace("\r\n", "\n").replace("\r", "\n"))
        # typographic apostrophes inside words (Iran’s, Arba’een) are apostrophes, not quotes
        body = body.lstrip("\ufeff")
        for mark in _APOSTROPHES:  # (' is no word character, as the marks it replaces)
            if mark.pattern[0] in body:
                body = mark.sub("'", body)
        removed: list[str] = []
        paras, outlets = self.strip_boilerplate(_paragraphs(body), removed)

        title = raw.meta.get("title")
        title_source = "metadata" if title else None
        dateline = None
        if paras:
            if raw.format == "markdown" and _MD_HEADING.match(paras[0].text) and len(paras) > 1:
                head = _MD_HEADING.sub("", paras.pop(0).text)
                title, title_source = title or head, title_source or "headline"
            elif (
                len(paras) > 1
                and _heading_like(paras[0].text)
                and not self.is_caption(paras[0].text)
            ):
                head = paras.pop(0).text.strip()
                if not title:
                    title, title_source = head, "headline"
        for para in paras[:2]:
            outlet = self.strip_prefix(para, removed)
            if outlet:
                outlets.append(outlet)
        if paras:
            place, agency_outlet, written = self.dateline(paras[0])
            dateline = place
            if agency_outlet:
                outlets.append(agency_outlet)
            if written:
                paras.insert(0, _Para(written, paras[0].line, kind="dateline"))
        for para in paras:
            if _MD_HEADING.match(para.text):
                para.text, para.kind = _MD_HEADING.sub("", para.text), "heading"
            elif self.is_caption(para.text):
                para.kind = "caption"
        paras = self.rejoin(paras)
        structured: list[_Para] = []
        for para in paras:
            if para.kind == "paragraph" and _heading_like(para.text):
                para.kind = "heading"
            structured.extend(
                self.split_glued_heading(para) if para.kind == "paragraph" else [para]
            )

        text, blocks, sentences = assemble(structured)
        meta = raw.meta
        article = Article(
            id=raw.id,
            source=str(raw.path),
            title=title or derive_title(text, sentences),
            title_source=title_source or "derived",
            text=text,
            slug=meta.get("slug") or slugify(raw.id),
            outlet=meta.get("outlet") or (outlets[0] if outlets else None),
            dateline=meta.get("dateline") or dateline,
            url=meta.get("url"),
            published=meta.get("published"),
            meta=dict(meta),
            blocks=blocks,
            sentences=sentences,
            removed=removed,
        )
        return article


def assemble(paras: list[_Para]) -> tuple[str, list[Block], list[Sentence]]:
    """Join blocks with blank lines; record block and sentence offsets."""
    parts: list[str] = []
    blocks: list[Block] = []
    sentences: list[Sentence] = []
    pos = 0
    split: dict[int, list[tuple[int, int]]] = {}  # block -> spans of its text, reused
    for para in paras:
        text = para.text
        if "  " in text or _ODD_SPACE.search(text):
            text = _WS.sub(" ", text)
        text = text.strip()
        if not text:
            continue
        if para.spans is not None and para.spans[0] == text:
            split[len(blocks)] = para.spans[1]
        if parts:
            parts.append("\n\n")
            pos += 2
        start, end = pos, pos + len(text)
        parts.append(text)
        pos = end
        blocks.append(Block(kind=para.kind, start=start, end=end))
    full = "".join(parts)
    for index, block in enumerate(blocks):
        if block.kind in ("heading", "dateline"):
            spans = [(block.start, block.end)]
        elif index in split:  # a block is split as a text of its own would be
            spans = [(block.start + s, block.start + e) for s, e in split[index]]
        else:
            spans = segment.split(full, block.start, block.end)
        for s, e in spans:
            sentences.append(Sentence(start=s, end=e, text=full[s:e], block=index, kind=block.kind))
    return full, blocks, sentences


_LEADING_CLAUSE = recache.compile(
    r"^(?:During|In|At|On|After|Before|Following|Amid|While)\b[^,]{0,80},\s*"
)


def derive_title(text: str, sentences: list[Sentence], max_words: int = 14) -> str:
    """An informative title from the first body sentence, never the file name."""
    first = next((s.text for s in sentences if s.kind == "paragraph"), None)
    if first is None:
        first = sentences[0].text if sentences else text
    first = _LEADING_CLAUSE.sub("", first).strip()
    first = first[:1].upper() + first[1:]
    words = first.split()
    if len(words) <= max_words:
        return first.rstrip(".")
    cut = " ".join(words[:max_words])
    # end at a clause boundary when there is one in the second half
    comma = cut.rfind(",")
    if comma > len(cut) // 2:
        cut = cut[:comma]
    return cut.rstrip(",;:") + "\u2026"


def slugify(value: str) -> str:
    """Lowercase ASCII letters, digits and hyphens: safe as a file name and in a URL."""
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-zA-Z0-9]+", "-", value).strip("-").lower()
    return value[:100] or "article"
