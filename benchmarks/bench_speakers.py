"""How long the speakers annotator takes on 1 MB of adversarial text (the budget: < 2 s).

The text is built to hurt a careless implementation: long runs of capitalised words
(a name scanner that tries every start and length), thousands of unbalanced quotation
marks of every kind (a quote matcher that looks ahead for a closing mark), runs of dots
and initials (the sentence splitter), a paragraph of 200 KB with no sentence end (work
that is quadratic in a sentence), sentences of one or two words (work per sentence),
hundreds of reporting verbs and pronouns per sentence, one sentence of a megabyte made of
clauses and verbs (work per verb that rescans the clauses before it), and ordinary wire
copy in between so that every path of the annotator runs.

Usage: ``python benchmarks/bench_speakers.py [MEGABYTES]`` — prints the time per case.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing import segment  # noqa: E402
from briefing.annotate import speakers  # noqa: E402
from briefing.knowledge import load  # noqa: E402
from briefing.model import Article, Block, Sentence  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

WIRE = (
    "Iranian President Ebrahim Raisi and Iraqi Prime Minister Mustafa al-Kadhimi discussed "
    "bilateral ties on Saturday. Raisi said that Iran is ready. \u201cThe problems in the region "
    "are the result of the Americans' extravagance,\u201d he asserted. For his part, the Iraqi "
    "premier stressed that relations should not be affected by any factor. Kurdish lawmaker "
    'Sherwan Dubardani told Rudaw, "Baghdad has not paid our share." The two sides discussed '
    "trade.\n\n"
)


def cases(size: int, rng: random.Random) -> dict[str, str]:
    caps = " ".join(
        rng.choice(["Al", "Abu", "Mohammad", "Raisi", "Hassan", "Kadhimi", "The"])
        for _ in range(size // 7)
    )
    upper = " ".join(
        "ABCDEFGHIJ"[rng.randrange(10)] * rng.randrange(1, 6) for _ in range(size // 4)
    )
    marks = "".join(
        rng.choice(
            [
                '"',
                "\u201c",
                "\u201d",
                "'",
                "\u2018",
                "\u2019",
                "\u00ab",
                "\u00bb",
                " word",
                " Raisi said",
                ".",
                "\n\n",
            ]
        )
        for _ in range(size // 2)
    )
    dots = " ".join(
        rng.choice(["A.", "U.S.", "...", "Gen.", "S.", "Raisi.", "he."]) for _ in range(size // 4)
    )
    cues = " ".join(
        rng.choice(
            [
                "said",
                "he",
                "stressed",
                "Raisi",
                "according to",
                ",",
                "and",
                "For his part",
                "the president",
                "Kadhimi said",
            ]
        )
        for _ in range(size // 7)
    )
    one = ("Raisi, heading a delegation, in a call with Kadhimi, referring to trade, " * 4000)[
        : size // 5
    ]
    clauses = ", ".join(
        rng.choice(
            [
                "in Baghdad with Raisi",
                "heading a delegation",
                "and said",
                "saying",
                "who said",
                "according to a statement by Kadhimi",
                "also also",
                "for his part",
            ]
        )
        for _ in range(size // 12)
    )
    mixed = (WIRE * (size // len(WIRE) + 1))[:size]
    short = " ".join(
        rng.choice(["Xy.", "Raisi.", "He said.", "Ab Cd.", "U.S.", "Gen. Raisi said."])
        for _ in range(size // 5)
    )
    return {
        "capitalised runs": caps[:size],
        "upper-case runs": upper[:size],
        "quotation marks": marks[:size],
        "dots and initials": dots[:size],
        "reporting verbs and pronouns": cues[:size],
        "one 200 KB sentence": one + " said." + mixed[: size - len(one)],
        "clauses of one long sentence": clauses[:size],
        "a million short sentences": short[:size],
        "wire copy": mixed,
    }


def article(text: str) -> Article:
    art = Article(id="bench", source="bench", title="bench", text=text, slug="bench")
    pos = 0
    for part in text.split("\n\n"):
        start = text.index(part, pos)
        end = pos = start + len(part)
        art.blocks.append(Block("paragraph", start, end))
        for s, e in segment.split(text, start, end):
            art.sentences.append(Sentence(s, e, text[s:e], len(art.blocks) - 1, "paragraph"))
    return art


def reference_seconds() -> float:
    """A fixed pure-Python loop: how fast this machine is right now (about 0.4 s on a
    2020s laptop core), to read the figures below against."""
    t0 = time.process_time()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.process_time() - t0


def main(argv: list[str]) -> int:
    megabytes = float(argv[1]) if len(argv) > 1 else 1.0
    size = int(megabytes * 1_000_000)
    print(f"machine reference loop: {reference_seconds():.2f} s CPU")
    kb = load(ROOT / "content")
    speakers.annotate(article(WIRE), kb)  # compile the lexicon once, outside the timing
    worst = 0.0
    for name, text in cases(size, random.Random(7)).items():
        art = article(text)
        t0 = time.process_time()  # CPU time: other processes on the machine do not count
        speakers.annotate(art, kb)
        dt = time.process_time() - t0
        worst = max(worst, dt)
        print(f"{name:30} {len(text) / 1e6:5.2f} MB  {dt:6.3f} s  speakers={len(art.speakers)}")
    print(f"worst: {worst:.3f} s (budget 2 s per MB)")
    return 0 if worst < 2.0 * megabytes else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
