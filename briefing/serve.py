"""``python build.py serve``: a live preview of the site while its sources are edited.

A livereload server on 127.0.0.1 serves ``site/``; a watcher polls the article
folders, ``content/`` and ``templates/`` (with its static assets), at once when the
file system tells of a change (through watchdog), rebuilds what changed through an
in-memory :class:`~briefing.pipeline.Builder`, and tells the open pages to reload.
When the change is to the text of articles, their pages are written first (in a few
hundredths of a second) and reloaded, and the rest of the site is rebuilt in a
background thread, which reloads the pages again when it ends; when it is to the
knowledge (an alias, a lexicon), so are the article pages served last (those open in
the browser), made with the knowledge as edited; when it is to templates, so are the
pages served last, made with them. A build that fails (a broken template, YAML file
or article) is reported in the terminal *and* in a banner on every
served page, over the last good build; the server keeps running, and fixing the file
recovers without a restart.

The server serves files of the output folder only: no ``..``, no hidden files, and no
symlink that resolves outside the folder.
"""

from __future__ import annotations

import contextlib
import gc
import html
import mimetypes
import os
import sys
import threading
import time
import traceback
from pathlib import Path
from urllib.parse import unquote

from .errors import Diagnostics
from .pipeline import Builder, Project

MIN_INTERVAL, MAX_INTERVAL = 0.1, 1.0  # seconds between polls of the sources
EVENTS_INTERVAL = 5.0  # seconds between polls when file events start them: a safety net
HEAD_START = 0.3  # seconds the pages written first are served before the rebuild starts
SWITCH_INTERVAL = 0.0005  # seconds; Python's default is 0.005
POLL_COST = 5  # poll at most 1/5 of the time: a huge archive is polled less often
OPEN_PAGES = 4  # the pages served last: those the preview takes to be open in a browser
TEXT_TYPES = {"text/html", "text/css", "text/plain", "application/javascript", "image/svg+xml"}
BANNER_ID = "briefing-problems"
STALE_ID = "briefing-rebuilding"  # the note on pages a rebuild in the background has not made


# -- the site, safely ----------------------------------------------------------------------
def resolve(root: str | Path, path_info: str) -> Path | None:
    """The file or folder of ``root`` a request path names, or None if it may not be served.

    ``path_info`` is the WSGI ``PATH_INFO``: already percent-decoded once by the server,
    and never decoded again here (decoding twice is how ``%252e%252e`` escapes a root).
    """
    try:
        text = path_info.encode("latin-1").decode("utf-8")  # PEP 3333: bytes as latin-1
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    if "\x00" in text or "\\" in text:
        return None
    parts = [part for part in text.split("/") if part]
    for part in parts:
        if part.startswith(".") or unquote(part).startswith(".") or ":" in part:
            return None  # "..", ".", hidden files, and (on Windows) drive names
    base = os.path.realpath(root)
    real = os.path.realpath(os.path.join(base, *parts))
    if real != base and not real.startswith(base + os.sep):
        return None  # a symlink out of the site
    return Path(real)


def _content_type(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind in TEXT_TYPES or kind.startswith("text/"):
        return f"{kind}; charset=utf-8"
    return kind


class SiteApp:
    """A WSGI app serving ``root`` read-only, with the build's problems over each page."""

    def __init__(self, root: str | Path, preview: Preview | None = None):
        self.root = Path(root)
        self.preview = preview

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            return self._send(start_response, "405 Method Not Allowed", b"", "text/plain", method)
        path_info = environ.get("PATH_INFO", "") or "/"
        target = resolve(self.root, path_info)
        if target is not None and target.is_dir():
            if not path_info.endswith("/"):  # relative links need the trailing slash
                location = environ.get("SCRIPT_NAME", "") + path_info + "/"
                start_response("301 Moved Permanently", [("Location", location)])
                return [b""]
            target = resolve(self.root, path_info + "index.html")  # it may be a link too
        if target is None or not target.is_file():
            return self._not_found(start_response, method)
        try:
            body = target.read_bytes()
        except OSError:
            return self._not_found(start_response, method)
        kind = _content_type(target)
        page = None
        if self.preview is not None and kind.startswith("text/html"):
            page = os.path.relpath(target, os.path.realpath(self.root))
            self.preview.viewed(page)
        return self._send(start_response, "200 OK", body, kind, method, page)

    def _not_found(self, start_response, method):
        page = resolve(self.root, "/404.html")
        body = page.read_bytes() if page is not None and page.is_file() else b""
        if not body:
            body = _page("Not found", "<p>No such page in the site.</p>").encode()
        return self._send(start_response, "404 Not Found", body, "text/html; charset=utf-8", method)

    def _send(self, start_response, status, body: bytes, kind: str, method: str, page=None):
        if kind.startswith("text/html") and self.preview is not None:
            body = self.preview.decorate(body, page)
        headers = [
            ("Content-Type", kind),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),  # a preview is always the latest build
            ("X-Content-Type-Options", "nosniff"),
        ]
        start_response(status, headers)
        return [b"" if method == "HEAD" else body]


def _page(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}'
        f"</title></head><body>{body}</body></html>"
    )


# -- rebuilding ------------------------------------------------------------------------------
class Preview:
    """The rebuild the server runs on every change, and what went wrong in the last one."""

    def __init__(
        self,
        project: Project,
        jobs: int | None = None,
        out=None,
        err=None,
        background: bool = False,
    ):
        self.project = project
        self.builder = Builder(project, jobs=jobs, keep_in_memory=True, progress=None)
        self.out = out if out is not None else sys.stdout
        self.err = err if err is not None else sys.stderr
        self.fatal: str | None = None  # the error that stopped the last build
        self.problems: list[str] = []  # errors and warnings of articles and files
        self.builds = 0
        # rebuild in a thread once the edited page is written, so that it is served now
        self.background = background
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._pending: set[str] = set()  # changed while a rebuild ran: built next
        self._running = False
        self._inputs: list[Path] = []
        self._viewed: list[str] = []  # the pages served last, as site paths, latest first
        self._first: set[str] = set()  # pages written first with what the rebuild takes up

    @property
    def busy(self) -> bool:
        """True while a rebuild runs in the background."""
        return self._running

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def viewed(self, page: str) -> None:
        """Note that the page at site path ``page`` was served (a browser shows it)."""
        page = page.replace(os.sep, "/")
        with self._lock:
            if page in self._viewed:
                self._viewed.remove(page)
            self._viewed.insert(0, page)
            del self._viewed[OPEN_PAGES:]

    def open_pages(self) -> list[str]:
        """The pages served last, latest first: those taken to be open."""
        with self._lock:
            return list(self._viewed)

    def quick(self, changed: set[str]) -> list[str]:
        """Write the pages of edited articles before the rebuild; [] if it cannot be done.

        After an edit to the knowledge, those are the open article pages, made with it;
        after an edit to templates, the open pages (see
        :meth:`briefing.pipeline.Builder.quick`); not while a rebuild runs in the
        background: its pages, made with what it loaded, would overwrite them.
        Any failure here is left for the rebuild to report: this is only a head start.
        """
        try:
            return self.builder.quick(changed, [] if self.busy else self.open_pages())
        except Exception:
            return []

    def changed(self, paths: set[str], done=None) -> bool:
        """Rebuild after ``paths`` changed: their own pages first when they are articles.

        With ``background``, the rebuild after a quick write runs in a thread and calls
        ``done()`` at its end; changes during it get their pages written at once too,
        and one more rebuild when it ends.

        Returns whether the open pages should reload now: pages were written at once, or
        the rebuild ran here. False when a rebuild running in the background takes the
        change up and calls ``done()`` when it ends. (Decided here, under the lock: that
        rebuild may end between a caller's look at :attr:`busy` and this call.)
        """
        wrote = self.quick(paths)
        if wrote:
            print(f"wrote {', '.join(wrote)} first; rebuilding the rest", file=self.out, flush=True)
        if not self.background or not (wrote or self.busy):
            self.rebuild()
            return True
        with self._lock:
            self._pending |= set(paths)
            self._first.update(wrote)
            if self._running:
                return bool(wrote)  # the running rebuild takes them up when it ends
            self._running = True

            def run():
                time.sleep(HEAD_START)  # for the reload of the page written first
                while True:
                    with self._lock:
                        todo, self._pending = self._pending, set()
                        self._running = bool(todo)
                    if not todo:
                        break
                    self.rebuild()
                    with self._lock:
                        again = set(self._pending)
                        self._first = set()
                    if again:  # written early, then overwritten by this rebuild: again
                        wrote = self.quick(again)
                        with self._lock:
                            self._first.update(wrote)
                if done is not None:
                    done()

            self._thread = threading.Thread(target=run, name="briefing-rebuild", daemon=True)
            self._thread.start()
        return bool(wrote)

    def roots(self) -> list[Path]:
        """The folders the site is made of: content, templates and the article folders."""
        p = self.project
        try:
            self._inputs = p.inputs()
        except Exception:  # a broken site.yaml: keep watching the folders it named before
            pass
        return [r for r in [p.content, p.templates, *self._inputs] if r.exists()]

    def rebuild(self) -> bool:
        """Build what changed; False (with the error kept for the pages) if it failed."""
        from .cli import fatal_error

        diag = Diagnostics()
        self.builds += 1
        gc.unfreeze()  # what the last build kept may be garbage now
        try:
            result = self.builder.build(diag=diag)
        except Exception as e:
            error = fatal_error(e, self.project)
            if error is None:  # a bug, not the user's input: still keep serving
                where = traceback.extract_tb(e.__traceback__)[-1]
                message = (
                    f"internal error {type(e).__name__}: {e} at "
                    f"{Path(where.filename).name}:{where.lineno} — please report this"
                )
            else:
                message = error.format()
            self.fatal, self.problems = message, diag.lines()
            for line in self.problems + [f"error: {message}"]:
                print(line, file=self.err, flush=True)
            print("the last good build is still served; fix the file to rebuild", file=self.err)
            return False
        finally:
            # what the build keeps (the archive: some 3 million objects at 10,000 articles)
            # lives until the next one: frozen, the next edit's pages written first set
            # off no full collection over it (at 10,000: 2.8-4 s, 0.3 s frozen)
            gc.freeze()
        self.fatal, self.problems = None, diag.lines()
        for line in self.problems:
            print(line, file=self.err, flush=True)
        print(result.summary(self.project.output), file=self.out, flush=True)
        return True

    def decorate(self, page: bytes, path: str | None = None) -> bytes:
        """``page`` with a banner of the last build's problems, if it had any; while a
        rebuild runs in the background, the page at site path ``path`` with a note that
        it may not show the edit yet, unless it was written first with it."""
        if path is not None and self.busy:
            with self._lock:
                stale = path.replace(os.sep, "/") not in self._first
            if stale:
                page = _insert(page, _STALE)
        if not self.fatal and not self.problems:
            return page
        if self.fatal:
            head = "The site could not be rebuilt — this is the last good build."
            lines = [self.fatal] + self.problems
        else:
            head = f"{len(self.problems)} problem(s) in the last build — the rest was built."
            lines = self.problems
        items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        banner = (
            f'<div id="{BANNER_ID}" role="alert" style="position:fixed;z-index:2147483647;'
            "left:0;right:0;bottom:0;max-height:50vh;overflow:auto;margin:0;padding:.8em 1.2em;"
            "background:#3b0d0d;color:#fff;font:14px/1.4 ui-monospace,monospace;"
            'border-top:4px solid #e5484d"><strong>'
            f"{html.escape(head)}</strong>"
            f'<ul style="margin:.4em 0 0;padding-left:1.2em">{items}</ul>'
            "<small>It goes away when the files are fixed (the page reloads).</small></div>"
        ).encode()
        return _insert(page, banner)


def _insert(page: bytes, part: bytes) -> bytes:
    """``page`` with ``part`` at the end of its body."""
    at = page.rfind(b"</body>")
    if at < 0:
        return page + part
    return page[:at] + part + page[at:]


# in a corner, under the problems' banner: the page's own header and links stay in sight
_STALE = (
    f'<div id="{STALE_ID}" role="status" style="position:fixed;z-index:2147483646;'
    "right:1em;bottom:1em;max-width:24em;margin:0;padding:.5em .9em;background:#fff4c2;"
    "color:#222;font:14px/1.4 system-ui,sans-serif;border:2px solid #b08800;"
    'border-radius:6px;box-shadow:0 2px 8px rgba(0,0,0,.25)"><strong>Rebuilding after '
    "your edit</strong>: this page may not show it yet. It reloads when the rebuild "
    "ends.</div>"
).encode()


# -- watching ----------------------------------------------------------------------------------
def _ignored(name: str) -> bool:
    """A file no edit of the site is made in: hidden, an editor's swap or backup file."""
    return name.startswith(".") or name.endswith(("~", ".swp", ".swx", ".tmp"))


def _snapshot(roots: list[Path]) -> dict[str, tuple[int, int, int]]:
    out = {}
    for root in roots:
        if root.is_file():
            st = root.stat()
            out[str(root)] = (st.st_size, st.st_mtime_ns, st.st_ino)
            continue
        for here, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
            for name in files:
                if _ignored(name):
                    continue
                path = os.path.join(here, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                out[path] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return out


class Events:
    """File system events (inotify, FSEvents, kqueue... through watchdog) that call
    ``wake()`` when a file of the sources may have changed, for the watcher to poll at
    once rather than at its next poll: at 10,000 articles a poll stats 20,000 files
    (0.12 s), so it polls every 0.6 s, and an edit waited 0.3 s on average to be seen.
    Where they cannot be had (no watchdog, no watch left), :meth:`watch` says so and
    the polls go on alone."""

    KINDS = {"created", "deleted", "modified", "moved", "closed"}  # not opened, nor read

    def __init__(self, wake):
        self.wake = wake
        self.roots: list[Path] = []
        self.observer = None

    def watch(self, roots: list[Path]) -> bool:
        """Watch ``roots`` (folders, whole; files) from now on; False if it cannot."""
        if self.observer is not None and roots == self.roots:
            return True
        self.stop()
        try:
            from watchdog.events import FileSystemEventHandler
            from watchdog.observers import Observer
        except ImportError:
            return False
        wake = self.wake

        class Handler(FileSystemEventHandler):
            def dispatch(self, event):
                if event.event_type not in Events.KINDS:
                    return
                if event.is_directory and event.event_type == "modified":
                    return  # its files' own events tell what changed in it
                paths = [event.src_path, getattr(event, "dest_path", "")]
                if any(p and not _ignored(os.path.basename(os.fsdecode(p))) for p in paths):
                    wake()

        observer = Observer()
        observer.daemon = True
        try:
            for root in roots:
                if root.is_dir():
                    observer.schedule(Handler(), str(root), recursive=True)
                else:  # a file: its folder, for the editors that save by renaming
                    observer.schedule(Handler(), str(root.parent), recursive=False)
            observer.start()
        except (OSError, RuntimeError):  # no inotify watch left, a folder gone...
            with contextlib.suppress(Exception):
                observer.stop()
            return False
        self.observer, self.roots = observer, list(roots)
        return True

    def stop(self) -> None:
        if self.observer is not None:
            observer, self.observer, self.roots = self.observer, None, []
            with contextlib.suppress(Exception):
                observer.stop()


def make_watcher(preview: Preview):
    """A livereload watcher that polls the sources, on file events and on a timer, and
    rebuilds on a change."""
    from livereload.watcher import Watcher

    class SourceWatcher(Watcher):
        def __init__(self):
            super().__init__()
            self._tasks = {"sources": {"func": None, "delay": None, "ignore": None, "mtimes": {}}}
            self.interval = MIN_INTERVAL
            self.snapshot = _snapshot(preview.roots())
            self.timer = None
            self.events: Events | None = None
            self.wake = None  # what starts a poll now, once started

        def start(self, callback):
            from tornado.ioloop import IOLoop, PeriodicCallback

            loop = IOLoop.current()
            woken = threading.Event()  # a poll is on its way: events meanwhile add none

            def polled():
                woken.clear()  # before: an event during the poll asks for another
                callback()

            def wake():  # in watchdog's thread
                if not woken.is_set():
                    woken.set()
                    loop.add_callback(polled)

            self.wake = wake
            self.events = Events(wake)
            self.events.watch(preview.roots())
            self.timer = PeriodicCallback(callback, self.interval * 1000)
            self.timer.start()
            return True  # livereload must not poll on its own (every 0.8 s)

        def examine(self):
            if self._changes:
                return self._changes.pop()
            changed = self.poll()
            self.filepath = changed
            return changed, None

        def poll(self) -> str | None:
            """Rebuild if a source changed; the changed path (a CSS path reloads CSS only)."""
            # this thread's CPU time: a rebuild running beside it must not slow the polls
            started = time.thread_time()
            roots = preview.roots()
            now = _snapshot(roots)
            cost = time.thread_time() - started
            self.interval = min(MAX_INTERVAL, max(MIN_INTERVAL, POLL_COST * cost))
            if self.events is not None and self.events.watch(roots):  # site.yaml may move them
                self.interval = max(self.interval, EVENTS_INTERVAL)
            if self.timer is not None:
                self.timer.callback_time = self.interval * 1000
            if now == self.snapshot:
                return None
            diff = {p for p in set(now) | set(self.snapshot) if now.get(p) != self.snapshot.get(p)}
            self.snapshot = now  # taken before the build: an edit during it is seen next time
            if not preview.changed(diff, done=self._rebuilt):
                return None  # the rebuild running in the background reloads when it ends
            css = [p for p in diff if p.endswith(".css")]
            return css[0] if preview.fatal is None and len(css) == len(diff) else "*"

        def _rebuilt(self) -> None:
            """A rebuild in the background ended: the pages reload at the next poll, which
            is started now (the timer's may be seconds away)."""
            self._changes.append(("*", None))
            if self.wake is not None:
                self.wake()

    return SourceWatcher()


def serve(
    project: Project, host: str = "127.0.0.1", port: int = 8000, jobs: int | None = None
) -> int:
    """Build, serve ``project.output`` on ``host:port`` and rebuild on every change."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler

    preview = Preview(project, jobs=jobs, background=True)
    # the server and the watcher share the interpreter with a rebuild in the background:
    # a shorter switch interval lets them answer while it runs
    sys.setswitchinterval(SWITCH_INTERVAL)
    preview.rebuild()
    preview.builder.warm()  # the first edit is shown as fast as the next ones
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # reload at every rebuild, however close
    server = Server(app=SiteApp(project.output, preview), watcher=make_watcher(preview))
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {host}: other machines can see the preview", file=sys.stderr)
    print(f"serving {project.output} at http://{host}:{port}/ — Ctrl-C to stop", flush=True)
    try:
        server.serve(port=port, host=host, debug=False, restart_delay=0)
    except OSError as e:
        print(f"error: cannot listen on {host}:{port} ({e.strerror}) — try --port", file=sys.stderr)
        return 2
    return 0
