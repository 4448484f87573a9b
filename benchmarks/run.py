"""Benchmark: briefing against Pelican and Hugo on the same synthetic articles.

Run by hand (it takes minutes, and it is not a test)::

    python benchmarks/run.py                    # N = 1,000, 3 interleaved rounds
    python benchmarks/run.py --sizes 1000,10000 --rounds 3 --rounds-large 1

It generates the corpus (``benchmarks/corpus.py``) once per size under
``benchmarks/.work/``, then times, as medians of interleaved runs:

* a cold build (no output, no cache), a no-op rebuild, and a rebuild after one
  article changed, for briefing (with annotation), Pelican and Hugo (plain Markdown
  with tag and category pages);
* the save-to-served latency of ``build.py serve``: an article is edited and the page
  polled over HTTP on 127.0.0.1 until it shows the edit; then a theme's label the page
  shows is edited in ``content/themes.yaml``, and the time until the open page shows it
  and until the rebuild of every article ends is taken (not a target: reported);
* briefing alone: a rebuild after a style sheet edit, after a term is added to a
  theme's lexicon and after a spelling is given to a person (the articles that hold it
  are annotated again, the rest kept);
* peak memory: the largest process (``ru_maxrss``) and the whole process tree
  (sampled from ``/proc``), since annotation runs in worker processes: its summed RSS,
  which counts the pages forked workers share with the parent once per process, and
  its PSS, which splits them between the processes that share them;
* briefing's time per stage (``--timings``).

Peers: Pelican from PyPI in ``benchmarks/.venv`` (made on first use), Hugo from the
Debian package (``apt-get install -y hugo``); a missing peer is reported and skipped.
Child processes run with Python's bytecode cache on (as on a user's machine), even if
this shell sets PYTHONDONTWRITEBYTECODE.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work"
CODE = WORK / "code"  # a snapshot of the code: edits made during a run do not change it
VENV = HERE / ".venv"
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

TARGETS = {
    "cold_vs_hugo": 1.5,  # briefing cold <= 1.5 x Hugo
    "pelican_vs_cold": 4.0,  # briefing >= 4 x faster than Pelican
    "noop": 0.3,
    "one": 0.3,
    "served": 0.5,
    "scale": 11.0,  # 10,000 within 11 x of 1,000
    "memory_mb": 500,
}
KNOWLEDGE_EDITS = 3  # edits of the knowledge timed under serve (after the article edits)
TEMPLATE_EDITS = 3  # edits of base.html timed under serve (after the knowledge edits)
# edits of the knowledge an editor makes while reading, timed with the command line:
# (kind, file in content/, after what, what is added)
KNOWLEDGE_FIXES = [
    # a term of a theme's lexicon (11 % of the articles of the synthetic corpus hold it)
    ("lexicon", "themes.yaml", "      - rainfall\n", "      - drying\n"),
    # a bare surname given to a person (8 % hold it)
    ("alias", "leaders.yaml", "name: Masrour Barzani\n    aliases: [", "Barzani, "),
]


# -- running and measuring -------------------------------------------------------------------
def _env() -> dict:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _tree(pid: int) -> tuple[int, int]:
    """Resident bytes of ``pid`` and all its descendants: summed (RSS, which counts a page
    shared by forked processes once per process) and proportional (PSS, which splits a
    shared page between the processes that share it: what the tree takes of the memory).

    Sampled while the tools run on the same two cores: it reads a few files per process
    of the tree (its children from ``/proc/PID/task/*/children``), not all of ``/proc``.
    """
    page = os.sysconf("SC_PAGE_SIZE")
    total, proportional, todo = 0, 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * page
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            continue  # gone meanwhile
        proportional += _pss(p)
    return total, proportional


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


class Run:
    def __init__(self, seconds, maxrss: int, tree: tuple[int, int], out, err, code: int):
        self.seconds, self.maxrss, (self.tree, self.pss) = seconds, maxrss, tree
        self.out, self.err, self.code = out, err, code


def run(cmd: list[str], cwd: Path | None = None, check: bool = True) -> Run:
    """Run ``cmd``; wall time, peak RSS of the largest process, of the process tree (RSS
    summed, PSS)."""
    out_path, err_path = WORK / ".out", WORK / ".err"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env=_env())
        peak = [0, 0]
        done = threading.Event()

        def sample():
            while not done.is_set():
                rss, pss = _tree(proc.pid)
                peak[:] = max(peak[0], rss), max(peak[1], pss)
                done.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    result = Run(
        seconds,
        usage.ru_maxrss * 1024,
        (max(peak[0], usage.ru_maxrss * 1024), max(peak[1], usage.ru_maxrss * 1024)),
        out_path.read_text(errors="replace"),
        err_path.read_text(errors="replace"),
        proc.returncode,
    )
    if check and result.code not in (0, 1):
        raise SystemExit(f"failed ({result.code}): {' '.join(cmd)}\n{result.err[-3000:]}")
    return result


# -- the three tools -------------------------------------------------------------------------
class Tool:
    name = ""

    def cold(self) -> Run: ...
    def rebuild(self) -> Run: ...
    def article(self, i: int) -> Path: ...


class Briefing(Tool):
    name = "briefing"

    def __init__(self, folder: Path, articles: Path):
        self.root = folder
        if not (folder / "articles").exists():
            shutil.copytree(articles, folder / "articles")
        # the knowledge and templates of the code under test, fresh on every run
        for name in ("content", "templates"):
            shutil.rmtree(folder / name, ignore_errors=True)
            shutil.copytree(CODE / name, folder / name)
        site = (folder / "content" / "site.yaml").read_text(encoding="utf-8")
        site = re.sub(r"(?m)^articles:.*$", "articles: [articles]", site)
        (folder / "content" / "site.yaml").write_text(site, encoding="utf-8")
        self.cmd = [sys.executable, str(CODE / "build.py"), "--root", str(folder)]

    def cold(self) -> Run:
        shutil.rmtree(self.root / "site", ignore_errors=True)
        shutil.rmtree(self.root / ".briefing-cache", ignore_errors=True)
        return run(self.cmd + ["--timings"])

    def rebuild(self) -> Run:
        return run(self.cmd + ["--timings"])

    def article(self, i: int) -> Path:
        return self.root / "articles" / f"a{i:05d}.txt"


class Pelican(Tool):
    name = "pelican"

    def __init__(self, folder: Path, articles: Path):
        self.root = folder
        if not (folder / "content").exists():
            shutil.copytree(articles, folder / "content")
            (folder / "pelicanconf.py").write_text(
                "SITENAME = 'Benchmark'\nSITEURL = ''\nPATH = 'content'\nTIMEZONE = 'UTC'\n"
                "DEFAULT_LANG = 'en'\nRELATIVE_URLS = True\nDEFAULT_PAGINATION = False\n"
                "FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nTRANSLATION_FEED_ATOM = None\n"
                "AUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\n"
            )
        self.cmd = [str(VENV / "bin" / "pelican"), "content", "-s", "pelicanconf.py", "-o"]

    def cold(self) -> Run:
        shutil.rmtree(self.root / "output", ignore_errors=True)
        shutil.rmtree(self.root / "cache", ignore_errors=True)
        return run(self.cmd + ["output", "-q"], cwd=self.root)

    def rebuild(self) -> Run:
        return run(self.cmd + ["output", "-q"], cwd=self.root)

    def article(self, i: int) -> Path:
        return self.root / "content" / f"a{i:05d}.md"


HUGO_LAYOUTS = {
    "_default/baseof.html": (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
        '</head><body><nav><a href="{{ "/" | relURL }}">Home</a> '
        '<a href="{{ "/tags/" | relURL }}">Tags</a> '
        '<a href="{{ "/categories/" | relURL }}">Categories</a></nav>'
        '<main>{{ block "main" . }}{{ end }}</main></body></html>'
    ),
    "_default/single.html": (
        '{{ define "main" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format "2006-01-02" }}'
        "</time>{{ .Content }}<p>{{ range .Params.tags }}"
        '<a href="{{ "/tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}</p>'
        "</article>{{ end }}"
    ),
    "_default/list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}'
    ),
}


class Hugo(Tool):
    name = "hugo"

    def __init__(self, folder: Path, articles: Path):
        self.root = folder
        if not (folder / "content").exists():
            shutil.copytree(articles, folder / "content" / "posts")
            (folder / "hugo.toml").write_text(
                "baseURL = 'http://localhost/'\ntitle = 'Benchmark'\nrelativeURLs = true\n"
                "disableKinds = ['RSS', 'sitemap', 'robotsTXT']\n"
                "[taxonomies]\ncategory = 'categories'\ntag = 'tags'\n"
            )
            for rel, text in HUGO_LAYOUTS.items():
                path = folder / "layouts" / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
        self.cmd = ["hugo", "--source", str(folder), "--destination", "public", "--quiet"]

    def cold(self) -> Run:
        shutil.rmtree(self.root / "public", ignore_errors=True)
        shutil.rmtree(self.root / "resources", ignore_errors=True)
        return run(self.cmd)

    def rebuild(self) -> Run:
        return run(self.cmd)

    def article(self, i: int) -> Path:
        return self.root / "content" / "posts" / f"a{i:05d}.md"


def _edit(path: Path, round_no: int, said: bool = False) -> str:
    """Change one sentence of an article; returns a marker the new page will show.

    The sentence says nothing anyone said, so only the article's own page shows it;
    ``said``: it is a quote of a person the article names (the first who "said"
    something), which the pages of that person, of the article's topics and of the
    whole archive show as well: the edit an editor makes when a quote was left out.
    """
    marker = f"Benchmark edit {round_no} {time.time_ns()}."
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\n\n(?:Benchmark edit |“Benchmark edit )[^\n]*\n?$", "\n", text)
    text = text.rstrip("\n")
    line = marker
    if said:
        m = re.search(r"\b([A-Z][a-z]+) (?:said|told)\b", text)
        line = f"“{marker[:-1]}: the talks will go on,” {m.group(1) if m else 'he'} said."
    path.write_text(f"{text}\n\n{line}\n", encoding="utf-8")
    return marker[:-1]


# -- preview latency ----------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def served_latency(
    tool: Briefing, rounds: int, index: int, knowledge_rounds: int = 0, template_rounds: int = 0
) -> tuple[list[float], list[float], list[tuple[float, float]], list[tuple[float, float]]]:
    """Seconds from saving an article to its page served with the edit: a sentence
    (``index``), then a quote (the next article; see :func:`_edit`). Then, for each edit
    of the knowledge (a theme's label the page shows, in ``themes.yaml``), and for each
    edit of ``base.html`` (which every page extends), seconds from saving it to the
    open page served with it, and to the rebuild's end."""
    port = _free_port()
    log_path = WORK / ".serve.log"
    log = open(log_path, "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        tool.cmd + ["serve", "--port", str(port)], stdout=log, stderr=log, env=_env()
    )
    try:
        deadline = time.time() + 1800
        while time.time() < deadline:
            try:
                if _fetch(port, "/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("serve did not start")
        path = tool.article(index)
        page = _page_of(tool, path)
        out = []
        for r in range(rounds):
            time.sleep(1.0)  # let the watcher settle between edits
            marker = _edit(path, 1000 + r).encode()
            out.append(_until_served(port, page, marker))
        quoted = tool.article(index + 1)
        quoted_page = _page_of(tool, quoted)
        said = []
        for r in range(rounds):
            _until_built(log_path, 1800)  # the last edit's rebuild has ended
            time.sleep(1.0)
            marker = _edit(quoted, 2000 + r, said=True).encode()
            said.append(_until_served(port, quoted_page, marker))
        knowledge = []
        themes = tool.root / "content" / "themes.yaml"
        original = themes.read_text(encoding="utf-8")
        label = _label_on(_fetch(port, page)[1].decode("utf-8"), original)
        for r in range(knowledge_rounds if label else 0):
            _until_built(log_path, 1800)  # the last edit's rebuild has ended
            time.sleep(1.0)
            marker = f"{label} k{r}x{time.time_ns() % 10**6}"
            built = _built(log_path)
            started = time.perf_counter()
            themes.write_text(
                original.replace(f"label: {label}\n", f"label: {marker}\n", 1), encoding="utf-8"
            )
            shown = _until_served(port, page, marker.encode())
            _until_built(log_path, 1800, built + 1)
            knowledge.append((shown, time.perf_counter() - started))
        if knowledge_rounds and label:
            _until_built(log_path, 1800)
            time.sleep(1.0)
            built = _built(log_path)
            themes.write_text(original, encoding="utf-8")
            _until_built(log_path, 1800, built + 1)  # not taken for the next edit's
        templates = []
        base = tool.root / "templates" / "base.html"
        layout = base.read_text(encoding="utf-8")
        for r in range(template_rounds if layout.count("</main>") == 1 else 0):
            _until_built(log_path, 1800)
            time.sleep(1.0)
            marker = f"<!-- t{r}x{time.time_ns() % 10**6} -->"
            built = _built(log_path)
            started = time.perf_counter()
            base.write_text(layout.replace("</main>", "</main>" + marker), encoding="utf-8")
            shown = _until_served(port, page, marker.encode())
            _until_built(log_path, 1800, built + 1)
            templates.append((shown, time.perf_counter() - started))
        if templates:
            base.write_text(layout, encoding="utf-8")
        return out, said, knowledge, templates
    finally:
        server.terminate()
        server.wait(30)
        log.close()


def _until_served(port: int, page: str, marker: bytes) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < 600:
        if marker in _fetch(port, page)[1]:
            break
        time.sleep(0.01)
    return time.perf_counter() - started


def _built(log: Path) -> int:
    """The builds ``serve`` has reported in its log."""
    return len(re.findall(rb"(?m)^built ", log.read_bytes()))


def _until_built(log: Path, timeout: float, count: int | None = None) -> None:
    """Wait until ``serve`` has reported ``count`` builds, or (None) until the rebuild
    that followed its last page written first has ended."""
    started = time.time()
    while time.time() - started < timeout:
        data = log.read_bytes()
        ends = [m.start() for m in re.finditer(rb"(?m)^built ", data)]
        if count is not None and len(ends) >= count:
            return
        if count is None and ends and ends[-1] > data.rfind(b"rebuilding the rest"):
            return
        time.sleep(0.05)


def _label_on(page: str, themes: str) -> str | None:
    """A theme's label the page shows, as ``themes.yaml`` writes it on a line of its own."""
    for label in re.findall(r"(?m)^\s+label: ([A-Za-z][A-Za-z ]*?)\s*$", themes):
        if f">{label}<" in page:
            return label
    return None


def _page_of(tool: Briefing, article: Path) -> str:
    """The served path of an article's page (found by its unique source address)."""
    meta = article.with_suffix(".yaml").read_text(encoding="utf-8")
    url = re.search(r"(?m)^url: (\S+)", meta).group(1)
    for page in sorted((tool.root / "site" / "articles").glob("*.html")):
        if url in page.read_text(encoding="utf-8"):
            return "/articles/" + page.name
    raise SystemExit(f"no page for {article}")


# -- the benchmark --------------------------------------------------------------------------------
def _snapshot_code() -> None:
    shutil.rmtree(CODE, ignore_errors=True)
    shutil.copytree(
        ROOT / "briefing", CODE / "briefing", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy2(ROOT / "build.py", CODE / "build.py")
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, CODE / name)


def _corpus(n: int) -> Path:
    folder = WORK / f"corpus-{n}"
    leaders = (ROOT / "content" / "leaders.yaml").read_bytes()
    stamp = hashlib.sha256(leaders + Path(corpus.__file__).read_bytes()).hexdigest()
    marker = folder / "STAMP"
    if not (marker.exists() and marker.read_text() == stamp):
        shutil.rmtree(folder, ignore_errors=True)
        corpus.write_corpus(folder, n)
        marker.write_text(stamp)
    return folder


def _peers(names: list[str]) -> list[str]:
    ok = []
    if "pelican" in names:
        if not (VENV / "bin" / "pelican").exists():
            print("making benchmarks/.venv with Pelican (pip install pelican markdown)...")
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
            subprocess.run(
                [str(VENV / "bin" / "pip"), "install", "-q", "pelican", "markdown"], check=False
            )
        if (VENV / "bin" / "pelican").exists():
            ok.append("pelican")
        else:
            print("Pelican could not be installed: skipped")
    if "hugo" in names:
        if shutil.which("hugo"):
            ok.append("hugo")
        else:
            print("hugo not found (apt-get install -y hugo): skipped")
    return ok


def _version(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except (OSError, IndexError):
        return "?"


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _stages(err: str) -> str:
    m = re.search(r"^stages \(s\): .*$", err, re.M)
    return m.group(0) if m else "(no --timings line)"


def _knowledge_fix(tool, n, r, kind, name, after, added, times, stages) -> None:
    """Time a rebuild after ``added`` is put after ``after`` in content/``name``, then
    put the file back (and rebuild, untimed)."""
    path = tool.root / "content" / name
    original = path.read_text(encoding="utf-8")
    if after not in original:
        print(f"  [{n}] round {r + 1} briefing {kind}: {after!r} is not in {name}: skipped")
        return
    path.write_text(original.replace(after, after + added, 1), encoding="utf-8")
    got = tool.rebuild()
    times["briefing"].setdefault(kind, []).append(got.seconds)
    stages[kind] = _stages(got.err)
    built = re.search(r"\((\d+) annotated\)", got.out + got.err)
    print(
        f"  [{n}] round {r + 1} briefing {kind:8} {got.seconds:8.2f} s "
        f"({built.group(1) if built else '?'} annotated)",
        flush=True,
    )
    path.write_text(original, encoding="utf-8")
    tool.rebuild()  # the next round builds with the file as it was


def bench_size(n: int, rounds: int, peers: list[str], serve_rounds: int) -> dict:
    folder = _corpus(n)
    base = WORK / f"run-{n}"
    shutil.rmtree(base, ignore_errors=True)
    tools: list[Tool] = [Briefing(base / "briefing", folder / "briefing")]
    if "pelican" in peers:
        tools.append(Pelican(base / "pelican", folder / "pelican"))
    if "hugo" in peers:
        tools.append(Hugo(base / "hugo", folder / "hugo"))
    times: dict[str, dict[str, list[float]]] = {t.name: {} for t in tools}
    memory: dict[str, list[tuple[int, int, int]]] = {t.name: [] for t in tools}
    stages: dict[str, str] = {}
    changed = n // 2
    for r in range(rounds):
        order = tools[r % len(tools) :] + tools[: r % len(tools)]  # rotate: no tool always first
        for tool in order:
            got = tool.cold()
            times[tool.name].setdefault("cold", []).append(got.seconds)
            memory[tool.name].append((got.maxrss, got.tree, got.pss))
            if tool.name == "briefing":
                stages["cold"] = _stages(got.err)
            print(f"  [{n}] round {r + 1} {tool.name:8} cold      {got.seconds:8.2f} s", flush=True)
        for tool in order:
            got = tool.rebuild()
            times[tool.name].setdefault("noop", []).append(got.seconds)
            if tool.name == "briefing":
                stages["noop"] = _stages(got.err)
            print(f"  [{n}] round {r + 1} {tool.name:8} no-op     {got.seconds:8.2f} s", flush=True)
        for tool in order:
            _edit(tool.article(changed), r)
            got = tool.rebuild()
            times[tool.name].setdefault("one", []).append(got.seconds)
            if tool.name == "briefing":
                stages["one"] = _stages(got.err)
            print(f"  [{n}] round {r + 1} {tool.name:8} one edit  {got.seconds:8.2f} s", flush=True)
        for tool in order:  # another article: its statements change every round
            _edit(tool.article(changed + 1), r, said=True)
            got = tool.rebuild()
            times[tool.name].setdefault("said", []).append(got.seconds)
            if tool.name == "briefing":
                stages["said"] = _stages(got.err)
            print(f"  [{n}] round {r + 1} {tool.name:8} one quote {got.seconds:8.2f} s", flush=True)
        # a style sheet edit (briefing only: the peers' themes differ): no page renders
        style = tools[0].root / "templates" / "static" / "style.css"
        style.write_text(style.read_text(encoding="utf-8") + f"\n/* round {r} */\n", "utf-8")
        got = tools[0].rebuild()
        times["briefing"].setdefault("style", []).append(got.seconds)
        print(f"  [{n}] round {r + 1} briefing style.css {got.seconds:8.2f} s", flush=True)
        # a term added to a theme's lexicon, a spelling to a person (briefing only): the
        # articles that hold it are annotated again, the others keep theirs
        # (briefing/carryover.py)
        for kind, name, after, added in KNOWLEDGE_FIXES:
            _knowledge_fix(tools[0], n, r, kind, name, after, added, times, stages)
    served, served_said, knowledge, templates = (
        served_latency(tools[0], serve_rounds, changed, KNOWLEDGE_EDITS, TEMPLATE_EDITS)
        if serve_rounds
        else ([], [], [], [])
    )
    return {
        "times": times,
        "memory": memory,
        "stages": stages,
        "served": served,
        "served_said": served_said,
        "knowledge": knowledge,
        "templates": templates,
    }


def report(results: dict[int, dict], peers: list[str]) -> None:
    mb = 1024 * 1024
    print("\n== results (medians) ==")
    for n, res in results.items():
        print(f"\nN = {n:,} articles")
        for tool, kinds in res["times"].items():
            cells = "  ".join(f"{k} {_median(v):7.2f} s" for k, v in kinds.items())
            mem = res["memory"][tool]
            big, tree, pss = (max(m[i] for m in mem) / mb for i in range(3))
            print(
                f"  {tool:8} {cells}  peak RSS {big:6.0f} MB "
                f"(process tree: RSS {tree:6.0f} MB, PSS {pss:6.0f} MB)"
            )
        for key, edit in (("served", "a sentence"), ("served_said", "a quote")):
            if res.get(key):
                s = res[key]
                print(
                    f"  serve: {edit} saved -> served {_median(s):.2f} s median "
                    f"(min {min(s):.2f}, max {max(s):.2f}, {len(s)} edits)"
                )
        for key, edit, rest in (
            ("knowledge", "knowledge edit (a theme's label)", "whole site rebuilt"),
            ("templates", "template edit (base.html)", "every page rendered"),
        ):
            if res.get(key):
                shown, whole = zip(*res[key], strict=True)
                print(
                    f"  serve: {edit} -> open article page served {_median(shown):.2f} s "
                    f"median (min {min(shown):.2f}, max {max(shown):.2f}); "
                    f"-> {rest} {_median(whole):.2f} s ({len(shown)} edits)"
                )
        for kind, line in res["stages"].items():
            print(f"  briefing {kind:5} {line}")
        t = res["times"]
        b = {k: _median(v) for k, v in t["briefing"].items()}
        checks = []
        if "hugo" in t:
            ratio = b["cold"] / _median(t["hugo"]["cold"])
            checks.append(
                ("cold / Hugo cold", ratio, f"<= {TARGETS['cold_vs_hugo']}", ratio <= 1.5)
            )
            noop_ratio = b["noop"] / _median(t["hugo"]["noop"])
            checks.append(("no-op / Hugo no-op", noop_ratio, "(info)", None))
        if "pelican" in t:
            ratio = _median(t["pelican"]["cold"]) / b["cold"]
            checks.append(
                ("Pelican cold / cold", ratio, f">= {TARGETS['pelican_vs_cold']}", ratio >= 4)
            )
        checks.append(("no-op rebuild (s)", b["noop"], "<= 0.3", b["noop"] <= TARGETS["noop"]))
        checks.append(("one article changed (s)", b["one"], "<= 0.3", b["one"] <= TARGETS["one"]))
        checks.append(
            ("one changed, a quote (s)", b["said"], "<= 0.3", b["said"] <= TARGETS["one"])
        )
        if res["served"]:
            s = _median(res["served"])
            checks.append(("save -> served (s)", s, "<= 0.5", s <= TARGETS["served"]))
        if res.get("served_said"):
            s = _median(res["served_said"])
            checks.append(("save -> served, quote (s)", s, "<= 0.5", s <= TARGETS["served"]))
        mem = res["memory"]["briefing"]
        big, tree, pss = (max(m[i] for m in mem) / mb for i in range(3))
        checks.append(("peak memory, largest (MB)", big, "<= 500", big <= TARGETS["memory_mb"]))
        checks.append(("peak memory, tree PSS (MB)", pss, "<= 500", pss <= TARGETS["memory_mb"]))
        # forked workers share the parent's pages: summed RSS counts them once per process
        checks.append(("peak memory, tree RSS (MB)", tree, "(info)", None))
        for name, value, target, ok in checks:
            verdict = "" if ok is None else ("met" if ok else "MISSED")
            print(f"  {name:26} {value:8.2f}  target {target:8} {verdict}")
    sizes = sorted(results)
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        ratio = _median(results[large]["times"]["briefing"]["cold"]) / _median(
            results[small]["times"]["briefing"]["cold"]
        )
        ok = "met" if ratio <= TARGETS["scale"] else "MISSED"
        print(f"\n  cold {large:,} / cold {small:,}: {ratio:.2f}  target <= 11  {ok}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000", help="comma-separated corpus sizes")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds per size")
    ap.add_argument("--rounds-large", type=int, default=1, help="rounds for sizes > 1,000")
    ap.add_argument("--serve-rounds", type=int, default=5, help="edits timed under serve")
    ap.add_argument("--peers", default="pelican,hugo", help="peers to run ('' for none)")
    args = ap.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    _snapshot_code()
    peers = _peers([p for p in args.peers.split(",") if p])
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    if "pelican" in peers:
        print(_version([str(VENV / "bin" / "pelican"), "--version"]).join(["Pelican ", ""]))
    if "hugo" in peers:
        print(_version(["hugo", "version"]))
    results = {}
    for n in (int(x) for x in args.sizes.split(",")):
        rounds = args.rounds if n <= 1000 else args.rounds_large
        print(f"N = {n}: {rounds} round(s)", flush=True)
        results[n] = bench_size(n, rounds, peers, args.serve_rounds)
    report(results, peers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
