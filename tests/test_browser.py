"""The site in a real browser: Debian's Chromium, headless, driven by Playwright.

The seeds are built into a temporary folder and opened from ``file://``, as a reader
who downloaded the site would. Every request the pages make is recorded: none may
leave the disk. Screenshots at phone and desktop widths land in
``test-artifacts/screenshots/`` for a human to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing.pipeline import build
from briefing.project import Project

from .conftest import REPO, free_port

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SHOTS = REPO / "test-artifacts" / "screenshots"
PHONE, DESKTOP = 390, 1280

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not CHROMIUM.exists():
    pytest.skip(
        "no Chromium at /usr/bin/chromium (apt-get install chromium)", allow_module_level=True
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("browser")
    result = build(Project(root=REPO, output=tmp / "site", cache_dir=tmp / "cache"))
    assert not result.diag.errors
    return tmp / "site"


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Visit:
    """A browser tab on the site that remembers every request it made."""

    def __init__(self, browser, width=DESKTOP, **options):
        self.context = browser.new_context(viewport={"width": width, "height": 900}, **options)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def open(self, site: Path, path: str):
        self.page.goto((site / path).as_uri())
        return self.page

    def remote(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("file:", "data:"))]

    def close(self):
        self.context.close()


@pytest.fixture()
def visit(browser):
    opened = []

    def make(**options):
        v = Visit(browser, **options)
        opened.append(v)
        return v

    yield make
    for v in opened:
        v.close()


def test_a_reader_goes_from_home_to_an_article_a_leader_and_a_topic(site, visit):
    v = visit()
    page = v.open(site, "index.html")
    assert page.locator("h1").inner_text() == "Iran–Iraq Briefing Archive"
    card = page.locator(".card-title a").first
    title = card.inner_text()
    card.click()
    assert "/articles/" in page.url and page.locator("h1").inner_text() == title
    speaker = page.locator(".speaker-list a").first
    name = speaker.inner_text()
    speaker.click()
    assert "/leaders/" in page.url and page.locator("h1").inner_text() == name
    topic = page.locator("#by-theme-h ~ section.group h3 a").first
    label = topic.inner_text()
    topic.click()
    assert "/topics/" in page.url and page.locator("h1").inner_text() == label
    # back to the article through the topic's evidence, landing on the sentence
    page.locator(".topic-articles .evidence a").first.click()
    assert re.search(r"/articles/[^/]+\.html#s-\d+$", page.url)
    assert page.locator(":target").count() == 1
    page.locator(".site-header nav a", has_text="Timeline").click()
    assert page.url.endswith("/timeline.html")
    assert v.requests and all(u.startswith("file:") for u in v.requests if "/site/" in u)
    assert v.remote() == []
    assert v.errors == []


def _wait_text(page, selector: str, text: str) -> None:
    # a function, not a string: the pages' Content-Security-Policy forbids eval
    page.wait_for_function(
        "([s, t]) => document.querySelector(s).textContent.includes(t)", arg=[selector, text]
    )


def _results(page, kind: str) -> list[str]:
    return page.locator(f"#r-{kind} ~ ol > li").all_inner_texts()


def test_search_works_from_disk_with_filters(site, visit):
    v = visit()
    page = v.open(site, "search.html")
    assert page.locator("#search-form").is_visible()
    assert not page.locator("#search-off").is_visible()
    page.fill("#q", "Saudi")
    page.wait_for_selector("#r-statements")
    status = page.locator("#search-status").inner_text()
    assert re.fullmatch(r"Found \d+ articles? and \d+ statements?\.", status), status
    statements = _results(page, "statements")
    assert statements and all("saudi" in s.lower() for s in statements)
    assert page.locator("#search-results mark").first.inner_text().lower() == "saudi"

    # a filter by leader keeps only that leader's statements
    page.select_option("#f-leader", label="Ebrahim Raisi")
    _wait_text(page, "#search-status", "Found")
    for source in page.locator("#r-statements ~ ol .source strong").all_inner_texts():
        assert source == "Ebrahim Raisi"
    # the year filter: an article known to 2020-2021 only is not in 2022's results
    page.fill("#q", "")
    page.select_option("#f-leader", value="")
    page.select_option("#f-year", "2022")
    page.wait_for_selector("#r-articles")
    in_2022 = _results(page, "articles")
    page.select_option("#f-year", "2020")
    _wait_text(page, "#search-results", "Jahangiri")
    assert not any("Jahangiri" in r for r in in_2022)
    # a topic filter with a query no text matches
    page.select_option("#f-year", "")
    page.select_option("#f-topic", label="COVID-19")
    page.fill("#q", "zzzz nothing")
    _wait_text(page, "#search-status", "Nothing found")
    # a result leads to its sentence
    page.fill("#q", "Daesh")
    page.select_option("#f-topic", value="")
    page.wait_for_selector("#r-statements")
    page.locator("#r-statements ~ ol .source a").first.click()
    assert re.search(r"/articles/[^/]+\.html#s-\d+$", page.url)
    assert "Daesh" in page.locator(":target").inner_text()
    assert v.remote() == [] and v.errors == []


def test_a_search_in_the_address_is_run_on_load(site, visit):
    v = visit()
    v.page.goto((site / "search.html").as_uri() + "?q=Yemen&leader=ebrahim-raisi")
    v.page.wait_for_selector("#r-statements")
    assert v.page.input_value("#q") == "Yemen"
    assert v.page.input_value("#f-leader") == "ebrahim-raisi"
    assert v.remote() == [] and v.errors == []


def test_without_javascript_search_says_so_and_the_rest_works(site, visit):
    v = visit(java_script_enabled=False)
    page = v.open(site, "search.html")
    assert page.locator("#search-off").is_visible()
    assert "needs JavaScript" in page.locator("#search-off").inner_text()
    assert not page.locator("#search-form").is_visible()
    page.locator("#search-off a", has_text="leaders").click()
    assert page.url.endswith("/leaders/index.html")


PAGES = [
    "index.html",
    "leaders/index.html",
    "topics/index.html",
    "timeline.html",
    "matrix.html",
    "search.html",
    "about.html",
    "downloads.html",
    "404.html",
]


def _some(site: Path, folder: str) -> str:
    return (
        sorted(p for p in (site / folder).glob("*.html") if p.name != "index.html")[0]
        .relative_to(site)
        .as_posix()
    )


@pytest.mark.parametrize(
    ("scheme", "width"), [("light", DESKTOP), ("dark", DESKTOP), ("light", PHONE)]
)
def test_no_serious_accessibility_violations(site, visit, scheme, width):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    v = visit(color_scheme=scheme, width=width)
    pages = PAGES + [_some(site, "articles"), _some(site, "leaders"), _some(site, "topics")]
    problems = []
    for path in pages:
        page = v.open(site, path)
        if path == "search.html":  # with results on show
            page.fill("#q", "security")
            page.wait_for_selector("#r-statements")
        found = axe.run(page).response["violations"]
        for x in found:
            if x["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in x["nodes"][:3]]
                problems.append(f"{path}: {x['id']} ({x['impact']}) {x['help']} {targets}")
    assert problems == [], "\n".join(problems)
    assert v.remote() == []


def test_keyboard_first_tab_reaches_the_skip_link_and_focus_is_visible(site, visit):
    v = visit()
    page = v.open(site, "index.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # from main, the first link inside it
    assert page.evaluate("document.activeElement.closest('main') !== null")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_screenshots_and_no_page_wider_than_the_screen(site, visit, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    v = visit(width=width)
    pages = PAGES + [_some(site, "articles"), _some(site, "leaders"), _some(site, "topics")]
    wide = []
    for path in pages:
        page = v.open(site, path)
        if path == "search.html":
            page.fill("#q", "Iraq")
            page.select_option("#f-leader", label="Mustafa al-Kadhimi")
            page.wait_for_selector("#r-statements")
        name = path.replace("/", "_").removesuffix(".html")
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        # charts and tables scroll inside their own boxes: the page itself never does
        if page.evaluate("document.documentElement.scrollWidth") > width:
            wide.append(path)
    assert wide == []
    assert v.remote() == [] and v.errors == []


# -- the live preview: `build.py serve` and a page left open ----------------------------------
@pytest.fixture()
def served(tmp_path):
    """``python build.py serve`` on a copy of the project; (root, base URL), stopped after."""
    import shutil
    import subprocess
    import sys
    import time
    import urllib.request

    root = tmp_path / "proj"
    for name in ("content", "templates", "seeds"):
        shutil.copytree(REPO / name, root / name)
    port = free_port()
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 - closed in the finally below
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "serve", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base, timeout=2).close()
                break
            except OSError:
                assert proc.poll() is None, "build.py serve stopped"
                assert time.monotonic() < deadline, "build.py serve never answered"
                time.sleep(0.2)
        yield root, base
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()
        print((tmp_path / "serve.log").read_text(encoding="utf-8"))  # shown if the test fails


def test_a_page_left_open_reloads_on_each_save_and_shows_a_broken_build(served, visit):
    root, base = served
    v = visit()
    page = v.page
    seed = sorted((root / "seeds").glob("*.txt"))[0]
    greeted: list = []  # livereload's hello: from then on the page hears of rebuilds
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: greeted.append(f)))
    page.goto(base + "articles/" + seed.stem.replace("_", "-") + ".html")
    for _ in range(100):
        if greeted:
            break
        page.wait_for_timeout(100)
    assert greeted, "the page never connected to the livereload server"
    marker = "Envoys later toured the Zubair oil terminal."
    assert marker not in page.locator("section.text").inner_text()
    # the editor saves; the page, never navigated by the test, shows the new text
    seed.write_text(seed.read_text(encoding="utf-8") + "\n\n" + marker + "\n", encoding="utf-8")
    _wait_text(page, "section.text", "Zubair oil terminal")
    # a broken template: the open page keeps the last good build, with the error over it
    template = root / "templates" / "article.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good.replace("{% endblock %}", "{% endblok %}", 1), encoding="utf-8")
    page.wait_for_selector("#briefing-problems")
    assert "article.html:" in page.locator("#briefing-problems").inner_text()
    assert "Zubair oil terminal" in page.locator("section.text").inner_text()
    # fixed: the banner goes, without a restart
    template.write_text(good, encoding="utf-8")
    page.wait_for_selector("#briefing-problems", state="detached")
    assert page.locator("h1").count() == 1
    assert [u for u in v.requests if not u.startswith(base.rstrip("/"))] == []
