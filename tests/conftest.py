"""Shared fixtures: the repository's own content, seeds and a throwaway output folder."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from briefing.project import Project, load_article

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(root=REPO)


@pytest.fixture(scope="session")
def seed_articles(project):
    """The five seeds, cleaned and annotated, by id."""
    return {p.stem: load_article(p, project) for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture()
def tmp_project(tmp_path) -> Project:
    """The repository's content and templates, writing into a temporary site folder."""
    return Project(root=REPO, output=tmp_path / "site")


def free_port() -> int:
    """A TCP port of 127.0.0.1 free at the moment, for a server under test."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rendered_pages(monkeypatch) -> list[str]:
    """The paths of the pages rendered from templates from now on."""
    from briefing import render

    log: list[str] = []
    real = render._Pages.render

    def logged(self, path, *args, **kw):
        log.append(path)
        return real(self, path, *args, **kw)

    monkeypatch.setattr(render._Pages, "render", logged)
    return log


def printed_under_hash_seeds(script: str, seeds=(1, 2, 3, 4)) -> set[str]:
    """What ``python -c script`` prints in a process of each hash seed (``PYTHONHASHSEED``),
    run in the repository: a single value if it does not hang on the order in which sets
    iterate, which differs from one process to the next."""
    import os
    import subprocess
    import sys

    return {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            cwd=REPO,
        ).stdout
        for seed in seeds
    }


def relabel(content: Path, old: str, new: str) -> Path:
    """Rename the theme labelled ``old`` in ``content``/themes.yaml to ``new``; the file."""
    themes = content / "themes.yaml"
    text = themes.read_text(encoding="utf-8")
    assert f"    label: {old}\n" in text
    themes.write_text(text.replace(f"    label: {old}\n", f"    label: {new}\n", 1), "utf-8")
    return themes


def joined(pieces) -> bytes:
    """The bytes of a file made in pieces (str, bytes or ranges of a file, read here)."""
    return b"".join(p.encode("utf-8") if isinstance(p, str) else bytes(p) for p in pieces)
