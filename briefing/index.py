"""The archive: every annotated article cross-referenced by leader, topic and date.

:func:`build_index` turns the annotated articles into plain data that the templates
only have to lay out: sorted lists everywhere (newest first for articles), links as
site-relative paths from :mod:`briefing.urls`, so rendering is deterministic.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from . import urls
from .knowledge import Knowledge
from .model import Article, Statement

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
UNTAGGED = ""  # theme key of statements no theme tags
UNDATED = "undated"  # the year key of articles with no date at all
TOPIC_PAGE = 200  # articles and statements a topic page shows; beyond, a page per year
LEADER_PAGE = 200  # statements a leader page lists by date; beyond, a page per year


@functools.lru_cache(maxsize=8192)  # one string per date, not one per article that has it
def date_label(value: str | None) -> str:
    """``2021-09-12`` -> ``12 September 2021``; ``2021-09`` -> ``September 2021``."""
    if not value:
        return "undated"
    m = _ISO.match(value)
    if not m:
        return value
    year, month, day = m.groups()
    if month and 1 <= int(month) <= 12:
        name = MONTHS[int(month) - 1]
        return f"{int(day)} {name} {year}" if day else f"{name} {year}"
    return year


def month_key(value: str | None) -> str | None:
    """The ``YYYY-MM`` of a date, or None when it has no month."""
    m = _ISO.match(value or "")
    if not m or not m.group(2) or not 1 <= int(m.group(2)) <= 12:
        return None
    return f"{m.group(1)}-{m.group(2)}"


def month_label(key: str) -> str:
    return date_label(key)


@dataclass(frozen=True, slots=True)
class When:
    """When an article's event happened, as far as we know."""

    kind: str  # "event" | "published" | "window" | "none"
    value: str | None = None  # ISO date (YYYY, YYYY-MM or YYYY-MM-DD) for event/published
    window: tuple[str, str] | None = None
    label: str = "undated"
    sort: str = ""  # newest first sorts on this, descending
    month: str | None = field(init=False, default=None)  # YYYY-MM of ``value``, if any

    def __post_init__(self):
        # asked for again and again by every list that groups by month: found once
        object.__setattr__(self, "month", month_key(self.value))


def _iso(value) -> str | None:
    """The ISO date at the start of ``value`` (YYYY, YYYY-MM or YYYY-MM-DD), else None."""
    m = _ISO.match(value) if isinstance(value, str) else None
    return m.group(0) if m else None


def when_of(article: Article) -> When:
    """The best date the article offers: event day, then publication, then window."""
    if v := _iso(article.event_date):
        return When("event", v, None, date_label(v), v)
    if v := _iso(article.published):
        return When("published", v, None, f"published {date_label(v)}", v)
    if article.event_window and len(article.event_window) == 2:
        a, b = (_iso(x) for x in article.event_window)
        if a and b:
            return When("window", None, (a, b), f"between {date_label(a)} and {date_label(b)}", a)
    return When("none")


@dataclass(frozen=True, slots=True)
class Who:
    """How the page names a person: full name and a one-line description."""

    name: str
    role: str | None = None
    country: str | None = None
    colour: int | None = None  # speaker colour index, None for non-speakers

    @property
    def title(self) -> str:
        if self.role and self.country and self.country.lower() not in self.role.lower():
            return f"{self.name}, {self.role} ({self.country})"
        return f"{self.name}, {self.role}" if self.role else self.name


@dataclass(slots=True)
class SpeakerRef:
    id: str
    slug: str
    name: str
    role: str | None
    country: str | None
    colour: int  # index of the speaker's colour class spk-N
    statements: int
    quotes: int

    @property
    def path(self) -> str:
        return urls.leader(self.slug)


@dataclass(slots=True)
class Evidence:
    sentence: int
    anchor: str
    text: str


@dataclass(slots=True)
class ThemeRef:
    id: str
    slug: str
    label: str
    score: float
    evidence: list[Evidence]
    by_editor: bool = False  # named only in the article's metadata: no score to show

    @property
    def path(self) -> str:
        return urls.topic(self.slug)


@dataclass(slots=True)
class ArticleEntry:
    article: Article
    slug: str
    path: str
    title: str
    outlet: str | None
    when: When
    speakers: list[SpeakerRef]
    themes: list[ThemeRef]
    people: dict[str, Who]  # how the page names each person the article mentions
    said: list[StatementRef] = field(default_factory=list)  # its statements, by leader

    @property
    def published(self) -> str | None:
        return _iso(self.article.published)

    @property
    def window(self) -> tuple[str, str] | None:
        w = self.article.event_window
        if not w or len(w) != 2 or not (_iso(w[0]) and _iso(w[1])):
            return None
        return (_iso(w[0]), _iso(w[1]))


@dataclass(slots=True)
class StatementRef:
    leader: str  # leader id
    entry: ArticleEntry
    sentence: int
    text: str
    kind: str
    themes: list[str]

    @property
    def href(self) -> str:
        """The site-relative link to the sentence (made on use: there are many refs)."""
        return f"{self.entry.path}#{urls.sentence_anchor(self.sentence)}"


@dataclass(slots=True)
class RoleSpan:
    role: str
    country: str | None
    start: str | None
    end: str | None
    source: str  # "kb" | "article"


@dataclass(slots=True)
class Group:
    """A labelled list: statements under a theme, a month or a leader."""

    key: str
    label: str
    items: list
    href: str | None = None
    anchor: str | None = None


@dataclass(slots=True)
class Partner:
    id: str
    slug: str
    name: str
    articles: int

    @property
    def path(self) -> str:
        return urls.leader(self.slug)


@dataclass(slots=True)
class LeaderEntry:
    id: str
    slug: str
    path: str
    name: str
    known: bool
    wikidata: str | None
    country: str | None
    role: str | None  # the role the articles give most often (else the latest known)
    roles: list[RoleSpan]
    statements: list[StatementRef]
    quotes: int
    articles: list[ArticleEntry]
    by_theme: list[Group] = field(default_factory=list)
    by_date: list[Group] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)
    years: list[LeaderYear] = field(default_factory=list)  # a big leader's pages by year


@dataclass(slots=True)
class LeaderYear:
    """A leader's statements of one year, by date: a page of its own for a leader who
    said more than one page should list (:data:`LEADER_PAGE`)."""

    key: str  # YYYY, or UNDATED
    label: str
    path: str
    by_date: list[Group]

    @property
    def statements(self) -> int:
        return sum(len(g.items) for g in self.by_date)


@dataclass(slots=True)
class TopicArticle:
    entry: ArticleEntry
    score: float
    evidence: list[Evidence]
    by_editor: bool = False


@dataclass(slots=True)
class MonthCount:
    key: str
    label: str
    count: int


@dataclass(slots=True)
class TopicYear:
    """A topic's articles and statements of one year: a page of its own on a big topic."""

    key: str  # YYYY, or UNDATED
    label: str
    path: str
    articles: list[TopicArticle]
    by_leader: list[Group]

    @property
    def statements(self) -> int:
        return sum(len(g.items) for g in self.by_leader)


@dataclass(slots=True)
class LeaderYears:
    """On a big topic's page: a leader, and how much they said on it in which year."""

    group: Group  # the leader's statements on the topic (href: the leader's page)
    years: list[tuple[TopicYear, int]]


@dataclass(slots=True)
class TopicEntry:
    id: str
    slug: str
    path: str
    label: str
    description: str
    iptc: list[tuple[str, str]]  # (code, label)
    articles: list[TopicArticle]
    by_leader: list[Group]
    months: list[MonthCount]
    statements: int
    # a topic with more than TOPIC_PAGE articles and statements has a page per year;
    # its own page then sums them up (empty lists for a topic on one page)
    years: list[TopicYear] = field(default_factory=list)
    leader_years: list[LeaderYears] = field(default_factory=list)


@dataclass(slots=True)
class Cell:
    topic: TopicEntry
    count: int
    level: int  # 0..5, for the heatmap colour
    href: str | None


@dataclass(slots=True)
class Matrix:
    topics: list[TopicEntry]
    rows: list[tuple[LeaderEntry, list[Cell]]]
    max: int


@dataclass(slots=True)
class TimelineMonth:
    key: str
    label: str
    articles: list[ArticleEntry]


@dataclass(slots=True)
class TimelineYear:
    year: str
    months: list[TimelineMonth]
    no_month: list[ArticleEntry]  # dated to the year only


@dataclass(slots=True)
class Timeline:
    years: list[TimelineYear]
    windows: list[ArticleEntry]
    undated: list[ArticleEntry]
    counts: list[MonthCount]  # every month from the first to the last, zeros included


@dataclass(slots=True)
class Archive:
    articles: list[ArticleEntry]
    leaders: list[LeaderEntry]  # by name
    topics: list[TopicEntry]  # by label
    matrix: Matrix
    timeline: Timeline

    @property
    def active_leaders(self) -> list[LeaderEntry]:
        return sorted(self.leaders, key=lambda x: (-len(x.statements), x.name, x.id))

    @property
    def active_topics(self) -> list[TopicEntry]:
        return sorted(self.topics, key=lambda t: (-len(t.articles), t.label, t.id))


def _newest_first(items: list, when, tie) -> list:
    items = sorted(items, key=tie)
    return sorted(items, key=lambda x: when(x).sort, reverse=True)


def sentence_of(starts: list[int], offset: int) -> int:
    """The number of the sentence that starts at or before ``offset``."""
    return max(0, bisect.bisect_right(starts, offset) - 1)


def _statement_themes(article: Article, st: Statement, shared: dict, unions: dict) -> list[str]:
    """The statement's themes and its sentence's; one list for each set, in ``shared``
    (an archive has few sets and many statements).

    Slim articles share their lists of theme ids (:func:`briefing.slim.share`): the union
    of two lists is found in ``unions`` by the lists themselves, kept there so that their
    ids are not reused, and made once (217,000 statements at 10,000 articles)."""
    own = article.sentence_themes.get(st.sentence, _NO_THEMES)
    key = (id(st.themes), id(own))
    got = unions.get(key)
    if got is None:
        themes = tuple(sorted(set(st.themes) | set(own)))
        got = unions[key] = (st.themes, own, shared.setdefault(themes, list(themes)))
    return got[2]


_NO_THEMES: list[str] = []


def _evidence(article: Article, hit, starts: list[int], made: dict) -> list[Evidence]:
    """The sentences that give ``hit``; ``made`` shares them between the article's themes."""
    if not article.sentences:
        return []
    seen: dict[int, Evidence] = {}
    for span in hit.evidence:
        i = sentence_of(starts, span.start)
        if i not in seen:
            if i not in made:
                made[i] = Evidence(i, urls.sentence_anchor(i), article.sentences[i].text)
            seen[i] = made[i]
    return [seen[i] for i in sorted(seen)]


def people_of(article: Article, kb) -> dict[str, Who]:
    """Whom each person id of ``article`` names: its speakers (with colours), then others."""
    people: dict[str, Who] = {}
    for i, sp in enumerate(article.speakers):
        people[sp.id] = Who(sp.name, sp.role, sp.country, i % 8)
    for p in article.people:
        people.setdefault(p.id, Who(p.name, p.role, p.country))
    ids = {m.person for sp in article.speakers for m in sp.mentions}
    ids |= {m.person for p in article.people for m in p.mentions}
    for pid in sorted(i for i in ids if i and i not in people):
        leader = kb.leaders.get(pid) if kb is not None else None
        if leader is not None:
            office = leader.office_at(article.event_date)
            people[pid] = Who(leader.name, office.role if office else None)
    return people


def _article_entries(articles: list[Article], kb: Knowledge, speaker_slugs, theme_slugs):
    articles = _newest_first(articles, when_of, lambda a: (a.slug, a.id))
    slugs = urls.unique_slugs([a.slug or a.id for a in articles])
    return [make_entry(a, slugs[a.slug or a.id], kb, speaker_slugs, theme_slugs) for a in articles]


def make_entry(a: Article, slug: str, kb: Knowledge, speaker_slugs, theme_slugs) -> ArticleEntry:
    """The entry of one article, linked by the given slugs of its page, speakers and themes."""
    speakers = [
        SpeakerRef(
            sp.id,
            speaker_slugs[sp.id],
            sp.name,
            sp.role,
            sp.country,
            i % 8,
            len(sp.statements),
            len(sp.quotes),
        )
        for i, sp in enumerate(a.speakers)
    ]
    starts = [s.start for s in a.sentences]
    made: dict[int, Evidence] = {}
    themes = [
        ThemeRef(
            h.id,
            theme_slugs[h.id],
            _theme_label(kb, h.id),
            h.score,
            _evidence(a, h, starts, made),
            h.source == "editor",
        )
        for h in sorted(a.themes, key=lambda h: (-h.score, h.id))
    ]
    path = urls.article(slug)
    return ArticleEntry(
        a, slug, path, a.title, a.outlet, when_of(a), speakers, themes, people_of(a, kb)
    )


def entries_linked(articles: list[Article], kb: Knowledge, slugs, speaker_slugs, theme_slugs):
    """Entries for edited ``articles``, linked as the last build linked them (``slugs``
    of the articles' pages by id, of speakers and themes); None when an edit would change
    links (a new article, slug, speaker or theme): then only a whole build can tell."""
    out = []
    for a in articles:
        slug = slugs.get(a.id)
        if slug is None or slug != urls.slugify(a.slug or a.id):
            return None
        if any(sp.id not in speaker_slugs for sp in a.speakers):
            return None
        if any(h.id not in theme_slugs for h in a.themes):
            return None
        out.append(make_entry(a, slug, kb, speaker_slugs, theme_slugs))
    return out


def _theme_label(kb: Knowledge, theme_id: str) -> str:
    theme = kb.themes.themes.get(theme_id)
    return theme.label if theme else theme_id.replace("_", " ").capitalize()


def _roles(kb: Knowledge, leader_id: str, mentions) -> list[RoleSpan]:
    leader = kb.leaders.get(leader_id)
    if leader and leader.offices:
        spans = [RoleSpan(o.role, o.country, o.start, o.end, "kb") for o in leader.offices]
        return sorted(spans, key=lambda r: (r.start or "", r.end or "9999", r.role))
    seen = sorted({(sp.role, sp.country) for sp in mentions if sp.role})
    return [RoleSpan(role, country, None, None, "article") for role, country in seen]


def _most_common(values: list[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], v))


def _date_groups(refs: list[StatementRef]) -> list[Group]:
    groups: dict[str, Group] = {}
    for ref in refs:  # already newest first
        w = ref.entry.when
        if w.month:
            key = w.month
        elif w.value:
            key = w.value[:4]
        elif w.kind == "window":
            key = f"w{w.window[0]}/{w.window[1]}"
        else:
            key = "~"
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(key, _date_group_label(w), [])
        group.items.append(ref)
    return list(groups.values())


def _leader_years(slug: str, by_date: list[Group]) -> list[LeaderYear]:
    """The date groups (newest first) of a big leader, cut into years in that order."""
    years: dict[str, list[Group]] = {}
    for g in by_date:  # a group's statements share their article's date: one year
        years.setdefault(year_of(g.items[0].entry), []).append(g)
    return [
        LeaderYear(y, "Undated" if y == UNDATED else y, urls.leader_year(slug, y), groups)
        for y, groups in years.items()
    ]


def _date_group_label(w: When) -> str:
    if w.month:
        return month_label(w.month)
    if w.value:
        return w.value[:4]
    if w.kind == "window":
        return w.label[:1].upper() + w.label[1:]
    return "Undated"


def _theme_groups(refs: list[StatementRef], kb, theme_slugs) -> list[Group]:
    buckets: dict[str, list[StatementRef]] = defaultdict(list)
    for ref in refs:
        for t in ref.themes or [UNTAGGED]:
            buckets[t].append(ref)
    groups = []
    for t, items in buckets.items():
        if t == UNTAGGED:
            continue
        slug = theme_slugs[t]
        groups.append(Group(t, _theme_label(kb, t), items, urls.topic(slug), f"theme-{slug}"))
    groups.sort(key=lambda g: (-len(g.items), g.label, g.key))
    if UNTAGGED in buckets:
        groups.append(Group(UNTAGGED, "No theme", buckets[UNTAGGED], None, "theme-none"))
    return groups


def build_index(articles: list[Article], kb: Knowledge) -> Archive:
    """Cross-reference the annotated ``articles`` into an :class:`Archive`."""
    speaker_ids = sorted({sp.id for a in articles for sp in a.speakers})
    speaker_slugs = urls.unique_slugs(speaker_ids)
    theme_ids = sorted(
        set(kb.themes.themes)
        | {h.id for a in articles for h in a.themes}
        | {t for a in articles for ts in a.sentence_themes.values() for t in ts}
        | {t for a in articles for sp in a.speakers for st in sp.statements for t in st.themes}
    )
    theme_slugs = urls.unique_slugs(theme_ids)
    entries = _article_entries(articles, kb, speaker_slugs, theme_slugs)

    leaders = _leaders(entries, kb, speaker_slugs, theme_slugs)
    topics = _topics(entries, leaders, kb, theme_ids, theme_slugs)
    return Archive(entries, leaders, topics, _matrix(leaders, topics), _timeline(entries))


def _leaders(entries, kb, speaker_slugs, theme_slugs) -> list[LeaderEntry]:
    per: dict[str, list] = defaultdict(list)  # id -> [(entry, speaker)]
    for e in entries:
        for sp in e.article.speakers:
            per[sp.id].append((e, sp))
    leaders = []
    shared: dict[tuple, list[str]] = {}
    unions: dict[tuple[int, int], tuple] = {}
    for pid, occurrences in per.items():
        kb_leader = kb.leaders.get(pid)
        speakers = [sp for _, sp in occurrences]
        refs = []
        for e, sp in occurrences:
            for st in sorted(sp.statements, key=lambda s: (s.sentence, s.start)):
                themes = _statement_themes(e.article, st, shared, unions)
                ref = StatementRef(pid, e, st.sentence, st.text, st.kind, themes)
                refs.append(ref)
                e.said.append(ref)
        slug = speaker_slugs[pid]
        roles = _roles(kb, pid, speakers)
        leader = LeaderEntry(
            id=pid,
            slug=slug,
            path=urls.leader(slug),
            name=kb_leader.name if kb_leader else _most_common([s.name for s in speakers]) or pid,
            known=bool(kb_leader) or any(s.known for s in speakers),
            wikidata=(kb_leader.wikidata if kb_leader else None)
            or _most_common([s.wikidata for s in speakers]),
            country=_most_common([s.country for s in speakers])
            or (roles[-1].country if roles else None),
            role=_most_common([s.role for s in speakers]) or (roles[-1].role if roles else None),
            roles=roles,
            statements=refs,
            quotes=sum(len(s.quotes) for s in speakers),
            articles=[e for e, _ in occurrences],
        )
        leader.by_theme = _theme_groups(refs, kb, theme_slugs)
        leader.by_date = _date_groups(refs)
        if len(refs) > LEADER_PAGE:
            leader.years = _leader_years(slug, leader.by_date)
        leaders.append(leader)
    names = {x.id: x for x in leaders}
    for leader in leaders:
        shared: Counter = Counter()
        for e in leader.articles:
            for other in {sp.id for sp in e.article.speakers} - {leader.id}:
                shared[other] += 1
        leader.partners = sorted(
            (Partner(o, names[o].slug, names[o].name, n) for o, n in shared.items()),
            key=lambda p: (-p.articles, p.name, p.id),
        )
    return sorted(leaders, key=lambda x: (x.name.casefold(), x.id))


def _iptc(theme) -> list[tuple[str, str]]:
    out = []
    for item in theme.iptc if theme else []:
        if isinstance(item, dict):
            code = item.get("code") or item.get("qcode") or item.get("id") or ""
            label = item.get("label") or item.get("name") or ""
            out.append((str(code), str(label)))
        else:
            out.append((str(item), ""))
    return out


def _topics(entries, leaders, kb, theme_ids, theme_slugs) -> list[TopicEntry]:
    # one pass over the archive, not one per theme
    per_theme: dict[str, list[TopicArticle]] = defaultdict(list)
    per_month: dict[str, Counter] = defaultdict(Counter)
    for e in entries:
        for ref in e.themes:
            per_theme[ref.id].append(TopicArticle(e, ref.score, ref.evidence, ref.by_editor))
            if e.when.month:
                per_month[ref.id][e.when.month] += 1
    said: dict[str, list[Group]] = defaultdict(list)
    for leader in leaders:
        refs: dict[str, list[StatementRef]] = defaultdict(list)
        for r in leader.statements:
            for tid in r.themes:
                refs[tid].append(r)
        for tid, items in refs.items():
            anchor = f"leader-{leader.slug}"
            said[tid].append(Group(leader.id, leader.name, items, leader.path, anchor))
    topics = []
    for tid in theme_ids:
        theme = kb.themes.themes.get(tid)
        arts = per_theme.get(tid, [])
        months = per_month.get(tid, Counter())
        by_leader = said.get(tid, [])
        arts.sort(key=lambda ta: -ta.score)  # stable: newest first among equal scores
        by_leader.sort(key=lambda g: (-len(g.items), g.label, g.key))
        slug = theme_slugs[tid]
        topics.append(
            TopicEntry(
                id=tid,
                slug=slug,
                path=urls.topic(slug),
                label=_theme_label(kb, tid),
                description=theme.description if theme else "",
                iptc=_iptc(theme),
                articles=arts,
                by_leader=by_leader,
                months=_month_series(months),
                statements=sum(len(g.items) for g in by_leader),
            )
        )
        topic = topics[-1]
        if len(arts) + topic.statements > TOPIC_PAGE:
            topic.years, topic.leader_years = _topic_years(slug, arts, by_leader)
    return sorted(topics, key=lambda t: (t.label.casefold(), t.id))


def year_of(entry: ArticleEntry) -> str:
    """The year an article is filed under: of its date, or the start of its window."""
    return entry.when.sort[:4] or UNDATED


def _topic_years(slug: str, arts: list[TopicArticle], by_leader: list[Group]):
    """A big topic cut into years, newest first (undated last), and who spoke when."""
    articles: dict[str, list[TopicArticle]] = defaultdict(list)
    for ta in arts:  # best score first, in every year too
        articles[year_of(ta.entry)].append(ta)
    said: dict[str, dict[str, list[StatementRef]]] = defaultdict(lambda: defaultdict(list))
    for g in by_leader:
        for ref in g.items:
            said[year_of(ref.entry)][g.key].append(ref)
    keys = sorted(set(articles) | set(said), key=lambda y: (y != UNDATED, y), reverse=True)
    years = []
    for y in keys:
        groups = [
            Group(g.key, g.label, said[y][g.key], g.href, g.anchor)
            for g in by_leader
            if said[y].get(g.key)
        ]
        label = "Undated" if y == UNDATED else y
        years.append(TopicYear(y, label, urls.topic_year(slug, y), articles.get(y, []), groups))
    spoke = [
        LeaderYears(g, [(ty, len(said[ty.key][g.key])) for ty in years if said[ty.key].get(g.key)])
        for g in by_leader
    ]
    return years, spoke


def _month_series(counts: Counter) -> list[MonthCount]:
    """Counts for every month from the first to the last key, zeros filled in."""
    if not counts:
        return []
    first, last = min(counts), max(counts)
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while True:
        key = f"{y:04d}-{m:02d}"
        out.append(MonthCount(key, month_label(key), counts.get(key, 0)))
        if key >= last:
            return out
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _heat(n: int, top: int) -> int:
    """Heatmap level 0..5: 0 for none, then linear in the count up to the maximum."""
    if n <= 0:
        return 0
    if top <= 1:
        return 5
    return 1 + (4 * (n - 1)) // (top - 1)


def _matrix(leaders: list[LeaderEntry], topics: list[TopicEntry]) -> Matrix:
    used = [t for t in topics if t.statements]
    rows = []
    said = {(t.id, g.key): len(g.items) for t in used for g in t.by_leader}
    top = max(said.values(), default=0)
    for leader in sorted(leaders, key=lambda x: (-len(x.statements), x.name, x.id)):
        if not leader.statements:
            continue
        cells = []
        for t in used:
            n = said.get((t.id, leader.id), 0)
            href = f"{t.path}#leader-{leader.slug}" if n else None
            cells.append(Cell(t, n, _heat(n, top), href))
        rows.append((leader, cells))
    return Matrix(used, rows, top)


def _timeline(entries: list[ArticleEntry]) -> Timeline:
    months: dict[str, list[ArticleEntry]] = defaultdict(list)
    year_only: dict[str, list[ArticleEntry]] = defaultdict(list)
    windows, undated = [], []
    for e in entries:  # newest first already, so every list below is too
        w = e.when
        if w.month:
            months[w.month].append(e)
        elif w.value:
            year_only[w.value[:4]].append(e)
        elif w.kind == "window":
            windows.append(e)
        else:
            undated.append(e)
    years = []
    for y in sorted({k[:4] for k in months} | set(year_only), reverse=True):
        keys = sorted((k for k in months if k.startswith(y)), reverse=True)
        ms = [TimelineMonth(k, month_label(k), months[k]) for k in keys]
        years.append(TimelineYear(y, ms, year_only.get(y, [])))
    counts = Counter({k: len(v) for k, v in months.items()})
    return Timeline(years, windows, undated, _month_series(counts))
