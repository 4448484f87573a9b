"""Writing only what changed, with the site still swapped in whole.

:func:`briefing.write.write_site` writes every page into a fresh folder and swaps it in,
so a killed build leaves the previous site complete. This keeps that guarantee while
writing only the pages whose bytes changed: the new folder is made of *hard links* to
the unchanged files of the current site (same inode, same mtime, no copy) plus the
changed pages, and is swapped in the same way. When no byte changed and no file came
or went, nothing is touched at all.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .cache import as_recorded, digest, hasher, hex_of
from .write import _fsync_tree as _fsync_dir
from .write import atomic_page, open_new, recover, rename_over, safe_relpath, write_failed

# relpath -> (size, mtime_ns, inode, content hash) of a file as written; the hash "" when
# not taken (a file written in pieces or in place: see _write_stream), taken when needed
Manifest = dict[str, tuple[int, int, int, str]]


class Make:
    """A page made only when it is written, so the site is never in memory at once."""

    def __init__(self, make: Callable[[], str | bytes]):
        self.make = make


class Reuse(Make):
    """A page to keep as the site has it, if it is still as written; else ``make()`` it."""


class Stream(Make):
    """A file whose ``make()`` gives it in pieces (str or bytes), written as they come.

    A big download is never whole in memory; it is made here, not in render workers.
    Any maker may give pieces; this class only tells the workers to leave it alone.
    """


class Later(Make):
    """A page a worker makes while this process makes the others: taken up last."""


class FileRange:
    """A piece of a file made in pieces: the bytes ``start:end`` of the file at ``path``,
    which the writer copies without reading them (``os.copy_file_range``).

    A download spliced after a few articles changed (see :mod:`briefing.blocks`) is
    mostly ranges of the site's own file: at 10,000 articles, 300 MB that were read
    through this process, written, and (at the same size) read again with the site's
    file to be compared. A range of the site's file where the new file has it is known
    to be the same bytes: only the other pieces are compared. The kernel's copy of the
    300 MB still takes 0.5 s there (ext4 shares no blocks between files).
    """

    __slots__ = ("path", "start", "end")

    def __init__(self, path: str, start: int, end: int):
        self.path, self.start, self.end = path, start, end

    def __len__(self) -> int:
        return self.end - self.start

    def __bytes__(self) -> bytes:
        with open(self.path, "rb") as handle:
            return os.pread(handle.fileno(), len(self), self.start)

    def copy_to(self, fd: int) -> None:
        """Append the bytes to the file open at ``fd``, by the kernel where it can."""
        with open(self.path, "rb") as handle:
            src, at, left = handle.fileno(), self.start, len(self)
            while left:
                try:
                    n = os.copy_file_range(src, fd, left, at)
                except (AttributeError, OSError):  # not on this system or file system
                    n = os.write(fd, os.pread(src, min(left, 1 << 20), at))
                if n <= 0:
                    raise OSError(f"{self.path}: shorter than the {self.end} bytes expected")
                at, left = at + n, left - n


def spliced_pieces(path: str, cuts, size: int):
    """The pieces of the file at ``path`` (``size`` bytes) with each ``(start, end,
    data)`` of ``cuts``, in order, in place of its bytes ``start:end``: the rest as
    ranges of the file, which the writer copies unread."""
    done = 0
    for start, end, data in cuts:
        if start > done:
            yield FileRange(path, done, start)
        yield data
        done = end
    if size > done:
        yield FileRange(path, done, size)


class Placed:
    """A page a render worker made and placed itself (see :func:`place_made`): only its
    hash comes back to :func:`write_changed`, not its bytes."""

    __slots__ = ("digest", "wrote")

    def __init__(self, digest: str, wrote: bool):
        self.digest, self.wrote = digest, wrote


def place_made(data: bytes, rel: str, output: str | Path, old: Manifest | None) -> Placed:
    """Place a page as :func:`write_changed` would, from another process: unless the
    site's file has these very bytes, write them into the new folder it is building.

    Called only once that folder may be written (see ``begin`` of :func:`write_changed`).
    """
    output = Path(output)
    h = digest(data)
    if _current(output, rel, len(data), old) == h:
        return Placed(h, False)
    target = os.path.join(output.parent, f".{output.name}.tmp", *safe_relpath(rel).parts)
    with open_new(target) as handle:
        handle.write(data)
    return Placed(h, True)


class _PageFailed(Exception):
    """A page's maker raised an OSError (Jinja's TemplateNotFound is one): not a write error."""

    def __init__(self, error: OSError):
        self.error = error


def _make(page: Make) -> str | bytes:
    try:
        return page.make()
    except OSError as e:
        raise _PageFailed(e) from e


def _pieces(content):
    """Bytes of a maker's pieces; an OSError of the maker is the page's, not the disk's."""
    pieces = iter(content)
    while True:
        try:
            piece = next(pieces)
        except StopIteration:
            return
        except OSError as e:
            raise _PageFailed(e) from e
        if isinstance(piece, str):
            yield piece.encode("utf-8")
        else:
            yield piece if isinstance(piece, FileRange) else bytes(piece)


def _still_written(output: Path, rel: str, old: Manifest | None) -> str | None:
    """The recorded hash of ``rel`` if the site's file is untouched since it was written."""
    known = old.get(rel) if old else None
    if known is None:
        return None
    try:
        st = os.stat(os.path.join(output, rel))
    except OSError:
        return None
    return known[3] if known[:3] == (st.st_size, st.st_mtime_ns, st.st_ino) else None


def replace_recorded(output: Path, rel: str, data: bytes, manifest: Manifest) -> None:
    """Replace the site's file ``rel`` with ``data`` (:func:`briefing.write.atomic_page`)
    and record it in ``manifest`` if the file was as recorded: the next build then finds
    the site as written, and need not mend it whole. Raises BriefingError."""
    intact = _still_written(output, rel, manifest) is not None
    atomic_page(output, rel, data)
    if intact:
        try:
            st = os.stat(os.path.join(output, rel))
        except OSError:  # the old record no longer holds: the next build will see that
            return
        # an entry replaced, never added or removed: a build in serve's other thread may
        # be going through this manifest
        manifest[rel] = (st.st_size, st.st_mtime_ns, st.st_ino, digest(data))


@dataclass
class WriteReport:
    files: int  # files in the site
    written: int  # files whose bytes changed (or were new)
    removed: int  # files of the previous site that are gone
    swapped: bool  # False when the site was left as it was
    manifest: Manifest


def _current(output: Path, rel: str, size: int, old: Manifest | None):
    """The hash of the site's current file ``rel``, or None if it differs in size/is gone."""
    path = os.path.join(output, rel)
    try:
        st = os.stat(path)
    except OSError:
        return None
    if st.st_size != size:
        return None
    known = old.get(rel) if old else None
    if known and known[3] and known[:3] == (st.st_size, st.st_mtime_ns, st.st_ino):
        return known[3]
    return _file_digest(path)


def _file_digest(path: str) -> str | None:
    h = hasher()
    try:
        with open(path, "rb") as handle:
            while data := handle.read(1 << 20):
                h.update(data)
    except OSError:
        return None
    return hex_of(h)


def _existing(output: Path) -> set[str]:
    found = set()
    base = str(output)
    for here, _dirs, files in os.walk(base):
        rel_dir = os.path.relpath(here, base)
        for name in files:
            found.add(name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/"))
    return found


# at most one file in FEW made again: written in place (see write_changed)
FEW = 10


def write_changed(
    files: dict[str, str | bytes | Make],
    output: str | Path,
    old: Manifest | None = None,
    begin: Callable[[], None] | None = None,
) -> WriteReport:
    """Make ``output`` hold exactly ``files``, rewriting only the files that changed.

    ``old`` is the manifest of the previous write (a hint: every file is checked
    against the disk by stat, and by content when the stat does not match). Pages are
    encoded one at a time, so memory holds no second copy of the site. A :class:`Reuse`
    page is linked from the current site without being rendered when it can be; any
    other :class:`Make` page is made as its turn comes, and may come back
    :class:`Placed` by a render worker that ``begin()`` (called once the new folder may
    be written) set going.
    When a few files are to be made again (:data:`FEW`) and the site has every file of
    ``old`` as written and no other to come or go, they are replaced in place instead
    (:func:`write_in_place`): linking 12,700 files of 10,000 articles into a new folder
    and removing the old one costs more than the pages an added quote changes.
    Raises :class:`BriefingError` on a write error, with the previous site kept.
    """
    output = Path(output)
    tmp = output.parent / f".{output.name}.tmp"
    prev = output.parent / f".{output.name}.old"
    if begin is None and old and files.keys() == old.keys():
        remade = {rel: c for rel, c in files.items() if not isinstance(c, Reuse)}
        if len(remade) * FEW <= len(files):
            report = write_in_place(remade, output, old)
            if report is not None:
                return report
    recover(output)
    checked = {rel: safe_relpath(rel) for rel in files}  # before touching disk
    have_site = output.is_dir()
    if begin is not None:
        begin()
    hashes: dict[str, str] = {}
    same: list[str] = []  # unchanged files, linked once the new folder exists
    made: set[str] = set()
    started = False
    written = 0

    def place(rel: str, data: bytes | None) -> None:
        parts = checked[rel].parts
        parent = os.path.join(tmp, *parts[:-1]) if len(parts) > 1 else str(tmp)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        target = os.path.join(parent, parts[-1])
        if data is not None:
            with open(target, "wb") as handle:
                handle.write(data)
            return
        source = os.path.join(output, *parts)
        try:
            os.link(source, target)
        except OSError:  # no hard links here (or another device): copy instead
            shutil.copy2(source, target)

    def place_pieces(rel: str, pieces) -> tuple[str, bool]:
        parts = checked[rel].parts
        parent = os.path.join(tmp, *parts[:-1]) if len(parts) > 1 else str(tmp)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        return _write_stream(os.path.join(parent, parts[-1]), pieces, output, rel, old)

    # files made in pieces (the big downloads) first: render workers place the pages
    # meanwhile, and only their hashes are left to take in after; the pages of a worker
    # that renders while this process makes the other pages, last
    order = sorted(
        files,
        key=lambda rel: (not isinstance(files[rel], Stream), isinstance(files[rel], Later), rel),
    )

    def start() -> None:
        nonlocal started
        tmp.mkdir(parents=True, exist_ok=True)  # (a render worker may have made it)
        started = True
        for kept in same:
            place(kept, None)

    try:
        for rel in order:
            content = files[rel]
            if isinstance(content, Reuse):
                kept = _still_written(output, rel, old) if have_site else None
                if kept is not None:
                    hashes[rel] = kept
                    if started:
                        place(rel, None)
                    else:
                        same.append(rel)
                    continue
            if isinstance(content, Make):
                content = _make(content)
            if isinstance(content, Placed):
                hashes[rel] = content.digest
                if content.wrote:
                    if not started:
                        start()
                    written += 1
                elif started:
                    place(rel, None)
                else:
                    same.append(rel)
                continue
            if not isinstance(content, (str, bytes, bytearray, memoryview)):
                if not started:
                    start()
                h, same_bytes = place_pieces(rel, _pieces(content))
                hashes[rel] = h
                if have_site and same_bytes:
                    os.unlink(os.path.join(tmp, *checked[rel].parts))
                    place(rel, None)  # the same bytes: keep the site's file
                else:
                    written += 1
                continue
            data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
            h = hashes[rel] = digest(data)
            if have_site and _current(output, rel, len(data), old) == h:
                if started:
                    place(rel, None)
                else:
                    same.append(rel)
                continue
            if not started:
                start()
            place(rel, data)
            written += 1
        present = _existing(output) if have_site else set()
        removed = len(present - set(files))
        if not started and (removed or not have_site):
            start()
        if not started:
            return WriteReport(len(files), 0, 0, False, _manifest(output, hashes))
        _fsync_dir(tmp)
        if output.exists():
            output.rename(prev)
        tmp.rename(output)
    except _PageFailed as e:  # the site stays as it was
        shutil.rmtree(tmp, ignore_errors=True)
        raise e.error from None
    except OSError as e:
        raise write_failed(e, output) from None
    except BaseException:  # a page that failed to render: the site stays as it was
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(prev, ignore_errors=True)
    return WriteReport(len(files), written, removed, True, _manifest(output, hashes))


def write_in_place(
    changed: dict[str, str | bytes | Make], output: str | Path, old: Manifest
) -> WriteReport | None:
    """Replace the few files of ``changed`` in the site, each renamed over the old one.

    For a rebuild that changes a handful of files which each stand alone (an edited
    article's page and the export): linking the whole site into a new folder would cost
    more than the pages. Every file of the site must be as ``old`` records it (None if
    not, having touched nothing: :func:`write_changed` then mends the site). Every file
    is made before the first is renamed, so a page that fails leaves the site as it was;
    a crash between two renames leaves each file whole, old or new.
    Raises :class:`BriefingError` on a write error.
    """
    output = Path(output)
    recover(output)
    if not output.is_dir() or any(rel not in old for rel in changed):
        return None
    if not as_recorded(output, old):
        return None
    checked = {rel: safe_relpath(rel) for rel in changed}
    ready: list[tuple[str, str, str]] = []  # (rel, temporary file or "" to keep, hash)
    try:
        # pages another process is making (Later) last, for it to make them meanwhile
        order = sorted(changed, key=lambda rel: (_rank(changed[rel]), rel))
        for rel in order:
            target = os.path.join(output, *checked[rel].parts)
            tmp = os.path.join(os.path.dirname(target), f".{os.path.basename(target)}.tmp")
            content = changed[rel]
            if isinstance(content, Make):
                content = _make(content)
            if isinstance(content, (str, bytes, bytearray, memoryview)):
                pieces = [content.encode("utf-8") if isinstance(content, str) else content]
            else:
                pieces = _pieces(content)
            ready.append((rel, tmp, ""))  # discarded if anything fails from here
            h, same_bytes = _write_stream(tmp, pieces, output, rel, old)
            if same_bytes:  # keep the site's file
                os.unlink(tmp)
                tmp = ""
            ready[-1] = (rel, tmp, h)
    except _PageFailed as e:
        _discard(ready)
        raise e.error from None
    except OSError as e:
        _discard(ready)
        raise write_failed(e, output) from None
    except BaseException:
        _discard(ready)
        raise
    written = 0
    try:
        for rel, tmp, _ in ready:
            if tmp:
                rename_over(tmp, os.path.join(output, *checked[rel].parts))
                written += 1
    except OSError as e:  # the files renamed are whole, the next build mends the rest
        _discard(ready)
        raise write_failed(e, output) from None
    manifest = dict(old)
    manifest.update(_manifest(output, {rel: h for rel, tmp, h in ready if tmp}))
    return WriteReport(len(old), written, 0, written > 0, manifest)


def _rank(content) -> int:
    return 2 if isinstance(content, Later) else 1 if isinstance(content, Stream) else 0


def _write_stream(path: str, pieces, output: Path, rel: str, old: Manifest | None):
    """Write the bytes of ``pieces`` to ``path``; (hash, the same as the site's file).

    A download of a large archive is hundreds of megabytes: it is compared with the
    site's file byte by byte (when their sizes match), not hashed; where its pieces are
    ranges of the site's file at their own place (:class:`FileRange`), only the other
    pieces are. Its hash is the site file's when they are the same, else unknown (""):
    :func:`_current` takes it from the bytes if ever a page of the same size is to be
    compared with it.
    """
    site_file = os.path.join(output, rel)
    try:
        site = os.stat(site_file)
    except OSError:
        site = None
    size = 0
    others: list[tuple[int, int]] = []  # where the pieces not of the site's file lie
    placed = site is not None  # every range is the site file's, at its own place
    buffered: list[bytes] = []
    held = 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        for data in pieces:
            if isinstance(data, FileRange):
                if buffered:
                    _write_all(fd, b"".join(buffered))
                    buffered, held = [], 0
                data.copy_to(fd)
                if placed and (data.start != size or not _same_file(data.path, site)):
                    placed = False
            else:
                buffered.append(data)
                held += len(data)
                if others and others[-1][1] == size:
                    others[-1] = (others[-1][0], size + len(data))
                else:
                    others.append((size, size + len(data)))
                if held >= 1 << 20:
                    _write_all(fd, b"".join(buffered))
                    buffered, held = [], 0
            size += len(data)
        if buffered:
            _write_all(fd, b"".join(buffered))
    finally:
        os.close(fd)
    if site is None or site.st_size != size:
        return "", False
    if placed:
        same = _same_ranges(path, site_file, others)
    else:
        same = _same_ranges(path, site_file, [(0, size)])
    if not same:
        return "", False
    return _still_written(output, rel, old) or "", True


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _same_file(path: str, st: os.stat_result) -> bool:
    try:
        other = os.stat(path)
    except OSError:
        return False
    return (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino)


def _same_ranges(path: str, other: str, ranges, chunk: int = 1 << 20) -> bool:
    """Whether the files ``path`` and ``other`` hold the same bytes in ``ranges``."""
    try:
        with open(path, "rb") as a, open(other, "rb") as b:
            fa, fb = a.fileno(), b.fileno()
            for start, end in ranges:
                for at in range(start, end, chunk):
                    n = min(chunk, end - at)
                    if os.pread(fa, n, at) != os.pread(fb, n, at):
                        return False
    except OSError:
        return False
    return True


def _discard(ready) -> None:
    for _, tmp, _ in ready:
        if tmp:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _manifest(output: Path, hashes: dict[str, str]) -> Manifest:
    out: Manifest = {}
    base = str(output)
    for rel, h in hashes.items():
        try:
            st = os.stat(os.path.join(base, rel))
        except OSError:
            continue
        out[rel] = (st.st_size, st.st_mtime_ns, st.st_ino, h)
    return out
