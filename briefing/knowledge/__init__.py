"""Knowledge as data: the YAML files under ``content/``, loaded and validated.

Each file has its own module (``leaders``, ``themes``, ``dateres``); :func:`load`
reads them all into one :class:`Knowledge` that the annotators share.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from . import dateres, leaders, speech, themes

T = TypeVar("T")
THEMES = "themes.yaml"  # the file of the themes' taxonomy, in content/
LEADERS = "leaders.yaml"  # the people, their aliases and offices, in content/


def derived(source: object, name: str, make: Callable[[object], T]) -> T:
    """``make(source)``, made once and kept on ``source`` as ``name``: the tables an
    annotator compiles from a knowledge object travel with it (into the knowledge cache,
    into forked workers) instead of being compiled again in every process."""
    got = source.__dict__.get(name)
    if got is None:
        got = source.__dict__[name] = make(source)
    return got


@dataclass
class Knowledge:
    leaders: leaders.LeaderBase
    themes: themes.Taxonomy
    dates: dateres.DateResources
    speech: speech.SpeechLexicon = field(default_factory=speech.SpeechLexicon)


def load(content_dir: str | Path) -> Knowledge:
    """Load every knowledge file; raises :class:`briefing.errors.BriefingError`."""
    content_dir = Path(content_dir)
    return Knowledge(
        leaders=leaders.load(content_dir / LEADERS),
        themes=themes.load(content_dir / THEMES),
        dates=dateres.load(content_dir / "dates.yaml"),
        speech=speech.load(content_dir / "speech.yaml"),
    )
