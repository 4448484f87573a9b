"""A synthetic corpus of diplomatic news wire copy, for the benchmarks.

Each article is about 600 words: two leaders of different countries (taken from
``content/leaders.yaml``, each in an office they held on the article's date) meet or
call, with direct quotes, reported speech, dates and a few themes, and often a third
leader in the background paragraph. Article ``i`` depends only on ``i`` and the leaders
file, so the first 1,000 articles of the 10,000 corpus are the 1,000 corpus.

Three renderings of the same articles:

* ``briefing``: ``NAME.txt`` with a ``NAME.yaml`` sidecar, as scraped articles come;
* ``pelican``: Markdown with Pelican's ``Key: value`` metadata (category and tags);
* ``hugo``: Markdown with YAML front matter (categories and tags).

Usage: ``python benchmarks/corpus.py OUT_DIR N`` (writes OUT_DIR/{briefing,pelican,hugo}).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

OUTLETS = [
    ("IRNA", "TEHRAN", "https://en.irna.ir/news/"),
    ("Press TV", "TEHRAN", "https://www.presstv.ir/Detail/"),
    ("Tehran Times", "TEHRAN", "https://www.tehrantimes.com/news/"),
    ("Mehr", "TEHRAN", "https://en.mehrnews.com/news/"),
    ("Rudaw", "ERBIL", "https://www.rudaw.net/english/middleeast/iraq/"),
    ("Kurdistan24", "ERBIL", "https://www.kurdistan24.net/en/story/"),
    ("Al-Monitor", "BAGHDAD", "https://www.al-monitor.com/originals/"),
    ("Reuters", "BAGHDAD", "https://www.reuters.com/world/middle-east/"),
    ("AP", "BAGHDAD", "https://apnews.com/article/"),
    ("Xinhua", "BAGHDAD", "https://english.news.cn/"),
]

# Theme -> (noun phrases, clauses for reported speech, sentences for quotes).
THEMES = {
    "energy": (
        ["gas and electricity exports", "energy cooperation", "Iraq's gas debts to Iran"],
        [
            "Iran would keep supplying gas to Iraqi power plants through the summer",
            "the payment of Iraq's electricity debts must not be delayed any further",
            "the two countries should link their power grids before the peak season",
        ],
        [
            "Our gas will keep flowing to Iraqi homes, whatever the pressure",
            "Energy is the backbone of our partnership and we will protect it",
        ],
    ),
    "security": (
        ["border security", "the fight against terrorism", "regional security and stability"],
        [
            "the security of Iraq is the security of Iran",
            "no armed group would be allowed to use Iraqi soil to threaten its neighbours",
            "the joint campaign against Daesh showed what cooperation can achieve",
        ],
        [
            "We will not allow terrorists to return to our borders",
            "The stability of the region is a shared responsibility",
        ],
    ),
    "trade": (
        ["bilateral trade", "economic cooperation", "the Shalamcheh-Basra railway"],
        [
            "trade between the two neighbours could reach $20 billion a year",
            "the Shalamcheh-Basra railway would open a new corridor for trade",
            "customs procedures at the border crossings should be simplified",
        ],
        [
            "Our markets are open to each other and our traders want more",
            "The railway will bring our peoples closer together",
        ],
    ),
    "pilgrims": (
        ["Arbaeen pilgrims", "visa waivers for pilgrims", "religious tourism"],
        [
            "millions of pilgrims would cross the border for Arbaeen",
            "visa fees for pilgrims should be waived on both sides",
            "the border crossings must be ready for the pilgrimage season",
        ],
        [
            "The pilgrims are the guests of the Iraqi people",
            "We will spare no effort to serve the visitors of Imam Hussein",
        ],
    ),
    "water": (
        ["shared water resources", "dust storms", "the drying of the rivers"],
        [
            "the two countries must manage the shared rivers together",
            "dust storms were a common threat that needed a joint plan",
            "water shortages were pushing farmers off their land",
        ],
        [
            "Water must unite us, not divide us",
            "Our rivers know no borders, and neither should our solutions",
        ],
    ),
    "diplomacy": (
        ["the talks between Tehran and Riyadh", "regional dialogue", "the situation in Yemen"],
        [
            "Baghdad was ready to host a new round of talks between Iran and Saudi Arabia",
            "dialogue among the countries of the region was the only way to lasting peace",
            "the war in Yemen had to end and the siege had to be lifted",
        ],
        [
            "The problems of the region can be solved by the countries of the region",
            "We welcome every step that brings the neighbours closer",
        ],
    ),
    "sanctions": (
        ["US sanctions", "the release of frozen Iranian funds", "the nuclear talks in Vienna"],
        [
            "the Iranian funds frozen in Iraqi banks must be released",
            "unilateral sanctions had hurt ordinary people in both countries",
            "the talks in Vienna could only succeed if the sanctions were lifted",
        ],
        [
            "Cruel sanctions will not break the will of our nation",
            "The money belongs to the Iranian people and must be returned",
        ],
    ),
    "health": (
        ["the coronavirus pandemic", "vaccine cooperation", "medical supplies"],
        [
            "the two countries would share vaccines and medical equipment",
            "health protocols at the border had saved many lives",
            "Iranian companies were ready to build hospitals in Iraq",
        ],
        [
            "The pandemic taught us that no country can stand alone",
            "We will share what we have with our Iraqi brothers",
        ],
    ),
}
SAY = ["said", "stressed", "noted", "added", "underlined", "pointed out", "emphasized"]
OPENERS = [
    "discussed {t1} and {t2} in a phone call on {weekday}",
    "met in {capital} on {weekday} to discuss {t1} and {t2}",
    "held talks on {t1} and {t2} on the sidelines of a regional conference on {weekday}",
    "reviewed {t1} and {t2} during a meeting in {capital} on {weekday}",
]
TITLES = [
    "{s1} and {s2} discuss {t1}",
    "{s1}, {s2} stress {t1} in {kind}",
    "{adj1} {office1} receives {adj2} {office2} in {capital}",
    "{s1} calls for {t1} in talks with {s2}",
]
BACKGROUND = [
    "The {kind} comes weeks after {name3}, the {role3}, said in {month_year} that {clause3}.",
    "Earlier this year, {name3} had warned that {clause3}.",
    "Last month, the {role3}, {name3}, told reporters that {clause3}.",
]
BOILERPLATE = [
    "All Content by Mehr News Agency is licensed under a Creative Commons Attribution 4.0 International License.",
    "Follow us on Twitter and Telegram for the latest news.",
    "Read more: Iraq and Iran sign new trade memorandum",
]
MONTHS = [dt.date(2000, m, 1).strftime("%B") for m in range(1, 13)]  # C locale: English


@dataclass
class Holder:
    """A person in one office, with the words an article names them by."""

    name: str
    surname: str
    country: str
    adjective: str
    capital: str
    office: str  # "President"
    start: dt.date
    end: dt.date


@dataclass
class Article:
    id: str
    title: str
    published: dt.date
    outlet: str
    url: str
    tags: list[str]
    paragraphs: list[str]


def _date(value, default: dt.date) -> dt.date:
    if value is None:
        return default
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def load_holders(leaders_yaml: Path = ROOT / "content" / "leaders.yaml") -> list[Holder]:
    """Every (person, office) of the leaders file, with its dates."""
    data = yaml.safe_load(leaders_yaml.read_text(encoding="utf-8"))
    countries = data.get("countries") or {}
    offices = data.get("offices") or {}
    holders = []
    for person in data.get("people") or []:
        name = person["name"]
        surname = name.split()[-1]
        if name.split()[-2:-1] and name.split()[-2].lower() in ("al", "abu"):
            surname = " ".join(name.split()[-2:])
        for term in person.get("offices") or []:
            country = term.get("country")
            info = countries.get(country) or {}
            label = (offices.get(term.get("office")) or {}).get("label") or term.get("office")
            holders.append(
                Holder(
                    name=name,
                    surname=surname,
                    country=country,
                    adjective=(info.get("adjectives") or [country])[0],
                    capital=info.get("capital") or country,
                    office=str(label).replace("_", " "),
                    start=_date(term.get("start"), dt.date(2000, 1, 1)),
                    end=_date(term.get("end"), dt.date(2025, 6, 30)),
                )
            )
    return holders


def _pairs(holders: list[Holder]) -> list[tuple[Holder, Holder, dt.date, dt.date]]:
    """Holders of two countries whose terms overlap, with the overlap."""
    out = []
    for i, a in enumerate(holders):
        for b in holders[i + 1 :]:
            if a.country == b.country or a.name == b.name:
                continue
            start, end = max(a.start, b.start), min(a.end, b.end)
            if start < end:
                out.append((a, b, start, end))
    return out


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def make_article(i: int, holders: list[Holder], pairs) -> Article:
    """Article number ``i``: deterministic for a given leaders file."""
    rnd = random.Random(i * 7919 + 17)
    a, b, start, end = rnd.choice(pairs)
    if rnd.random() < 0.5:
        a, b = b, a
    day = start + dt.timedelta(days=rnd.randrange(max(1, (end - start).days)))
    published = day + dt.timedelta(days=rnd.choice([0, 0, 1]))
    outlet, city, base = rnd.choice(OUTLETS)
    themes = rnd.sample(sorted(THEMES), 3)
    t1, t2, t3 = (rnd.choice(THEMES[t][0]) for t in themes)
    weekday = day.strftime("%A")
    kind = rnd.choice(["phone call", "meeting", "visit", "talks"])
    others = [h for h in holders if h.name not in (a.name, b.name) and h.start <= day <= h.end]
    third = rnd.choice(others) if others else None

    full1 = f"{a.adjective} {a.office} {a.name}"
    full2 = f"{b.adjective} {b.office} {b.name}"
    title = rnd.choice(TITLES).format(
        s1=a.surname,
        s2=b.surname,
        t1=t1,
        kind=kind,
        adj1=a.adjective,
        office1=a.office,
        adj2=b.adjective,
        office2=b.office,
        capital=a.capital,
    )
    title = _cap(title)
    dateline = f"{city}, {MONTHS[day.month - 1]} {day.day} ({outlet}) — "
    paras = [
        dateline
        + f"{full1} and his counterpart {full2} "
        + rnd.choice(OPENERS).format(t1=t1, t2=t2, weekday=weekday, capital=a.capital)
        + ".",
        f"During the {kind}, the two officials put an emphasis on expanding cooperation "
        f"between the two neighbouring countries in various fields, including {t3}. "
        f"{_cap(a.surname)} {rnd.choice(SAY)} that relations between {a.country} and {b.country} "
        f"were rooted in history and faith.",
    ]
    speakers = [a, b, a, b, a]
    for n, theme in enumerate(themes + themes[:2]):
        _, clauses, quotes = THEMES[theme]
        who = speakers[n]
        other = b if who is a else a
        clause, clause2 = rnd.sample(clauses, 2)
        quote = rnd.choice(quotes)
        role = f"The {who.adjective} {who.office.lower()}"
        if n % 2 == 0:
            paras.append(
                f"{who.surname} {rnd.choice(SAY)} that {clause}. "
                f"He also said that {clause2}, according to a statement released by his office. "
                f"“{quote}. We discussed this at length with {other.surname},” he said."
            )
        else:
            paras.append(
                f"{role} {rnd.choice(SAY)} that {clause}, and pointed to the meeting of "
                f"the joint economic commission in {MONTHS[rnd.randrange(12)]} {day.year}. "
                f"“{quote},” {who.surname} told reporters after the {kind}. "
                f"He {rnd.choice(SAY)} that {clause2}."
            )
    paras.append(
        f"In {MONTHS[rnd.randrange(12)]} {day.year - 1}, {a.country} and {b.country} signed a "
        f"memorandum of understanding on {t2}, which {a.surname} described as “a turning "
        f"point in the relations of two brotherly nations”. Officials of both governments "
        f"said at the time that the agreement would be reviewed every six months by a joint "
        f"committee, and that its first results would be visible within a year."
    )
    if third is not None:
        _, clauses, _ = THEMES[rnd.choice(themes)]
        paras.append(
            rnd.choice(BACKGROUND).format(
                kind=kind,
                name3=third.name,
                role3=f"{third.adjective} {third.office.lower()}",
                month_year=f"{MONTHS[(day.month - 2) % 12]} {day.year}",
                clause3=rnd.choice(clauses),
            )
        )
    paras.append(
        f"The two sides agreed to follow up the agreements reached during the {kind} and "
        f"to hold the next meeting of the joint committee in {b.capital} before the end of "
        f"{day.year}. {_cap(b.surname)} invited {a.surname} to visit {b.capital} at his earliest "
        f"convenience, and the invitation was accepted, the statement said."
    )
    paras.append(
        f"Relations between {a.country} and {b.country} have grown since 2003, and "
        f"officials of the two countries have met regularly in recent years to discuss "
        f"{t1}, {t2} and {t3}. On {weekday}, {a.surname} said the talks had been "
        f"“constructive and friendly”, and {b.surname} described them as “a new chapter”."
    )
    paras.append(
        f"Analysts in {a.capital} and {b.capital} said the {kind} showed that both "
        f"governments wanted to keep their channels open despite pressure from outside the "
        f"region. “Neither side can afford a cold relationship,” said a former diplomat who "
        f"asked not to be named. The next round of talks is expected in the coming weeks."
    )
    paras = [_cap(p) for p in paras]
    if rnd.random() < 0.4:
        paras.append(rnd.choice(BOILERPLATE))
    return Article(
        id=f"a{i:05d}",
        title=title,
        published=published,
        outlet=outlet,
        url=f"{base}{100000 + i}",
        tags=list(themes),
        paragraphs=paras,
    )


def articles(n: int, leaders_yaml: Path = ROOT / "content" / "leaders.yaml") -> list[Article]:
    holders = load_holders(leaders_yaml)
    pairs = _pairs(holders)
    if not pairs:
        raise SystemExit(f"{leaders_yaml}: needs people of two countries with overlapping terms")
    return [make_article(i, holders, pairs) for i in range(n)]


def _yaml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_briefing(art: Article, folder: Path) -> Path:
    path = folder / f"{art.id}.txt"
    path.write_text("\n\n".join(art.paragraphs) + "\n", encoding="utf-8")
    meta = (
        f"title: {_yaml_str(art.title)}\npublished: {art.published.isoformat()}\n"
        f"outlet: {_yaml_str(art.outlet)}\nurl: {art.url}\ntags: [{', '.join(art.tags)}]\n"
    )
    (folder / f"{art.id}.yaml").write_text(meta, encoding="utf-8")
    return path


def write_pelican(art: Article, folder: Path) -> Path:
    path = folder / f"{art.id}.md"
    head = (
        f"Title: {art.title}\nDate: {art.published.isoformat()} 10:00\n"
        f"Category: {art.outlet}\nTags: {', '.join(art.tags)}\nSlug: {art.id}\n\n"
    )
    path.write_text(head + "\n\n".join(art.paragraphs) + "\n", encoding="utf-8")
    return path


def write_hugo(art: Article, folder: Path) -> Path:
    path = folder / f"{art.id}.md"
    head = (
        f"---\ntitle: {_yaml_str(art.title)}\ndate: {art.published.isoformat()}\n"
        f"categories: [{_yaml_str(art.outlet)}]\ntags: [{', '.join(art.tags)}]\n"
        f"slug: {art.id}\n---\n\n"
    )
    path.write_text(head + "\n\n".join(art.paragraphs) + "\n", encoding="utf-8")
    return path


def write_corpus(out: Path, n: int) -> dict[str, Path]:
    """Write the three renderings under ``out``; returns their folders."""
    folders = {
        "briefing": out / "briefing",
        "pelican": out / "pelican",
        "hugo": out / "hugo",
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    for art in articles(n):
        write_briefing(art, folders["briefing"])
        write_pelican(art, folders["pelican"])
        write_hugo(art, folders["hugo"])
    return folders


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    target, count = Path(sys.argv[1]), int(sys.argv[2])
    write_corpus(target, count)
    words = sum(len(" ".join(a.paragraphs).split()) for a in articles(min(count, 50)))
    print(f"{count} articles -> {target} (about {words // min(count, 50)} words each)")
