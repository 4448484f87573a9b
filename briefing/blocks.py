"""Downloads made of one block per article, spliced when a few articles change.

The statements table and the search index hold each article's part in a block of its
own, in the archive's order. A whole build records the size in bytes of every block as
it writes them (:class:`Spans`). The next whole build that changed a few articles only,
with the archive's order as it was (and, for the search index, its leaders and topics),
copies the last file but for the changed articles' blocks (:func:`splice`): at 10,000
articles, the table and the index made anew took 2 of the 6.6 s of a rebuild after a
quote was added.
"""

from __future__ import annotations

import functools
import os
from array import array

from . import cache as _cache
from . import downloads, search

FIXED = -1  # the block of no article: a header, what lies between two lists


class Spans:
    """The blocks of a file in order, each ``(who, size in bytes)``: ``who`` is
    :data:`FIXED` or a number the file's maker gives an article's block."""

    def __init__(self, flat: array | None = None):
        self.flat = flat if flat is not None else array("q")

    def add(self, who: int, text: str) -> str:
        """Note ``text`` as the next block, ``who``'s; returns it."""
        size = len(text) if text.isascii() else len(text.encode("utf-8"))
        self.flat.extend((who, size))
        return text

    def pairs(self):
        flat = self.flat
        return zip(flat[0::2], flat[1::2], strict=True)

    def size(self) -> int:
        return sum(self.flat[1::2])

    def dump(self) -> bytes:
        """As the build state keeps it (marshalled: plain data only)."""
        return self.flat.tobytes()

    @classmethod
    def load(cls, data: bytes) -> Spans:
        flat = array("q")
        flat.frombytes(data)
        return cls(flat)


def identities(archive) -> dict[str, str]:
    """{path: hash of what, besides its articles' blocks, the file is made of}: the order
    of the archive's articles and their pages' paths; for the search index, the leaders
    and topics too, which its documents name by position."""
    order = _cache.combine([(e.article.id, e.path) for e in archive.articles])
    return {
        downloads.CSV_PATH: order,
        search.PATH: _cache.combine(order, search.tables(archive)),
    }


def _changed_blocks(path: str, archive, positions: list[int], spans: Spans, base):
    if path == downloads.CSV_PATH:
        return {i: downloads.article_rows(archive.articles[i], base) for i in positions}
    return search.changed_blocks(archive, positions, spans)


def splice(files: dict, made: dict, output, state, archive, now: dict, ids: set, base) -> None:
    """Make each download of ``files`` that is to be made anew from the last build's
    file with the blocks of the articles ``ids`` made again, where the last build
    recorded its blocks, the file is as written and the archive's order is as it was.

    ``made``: {path: :class:`Spans`} of the files made in this build, which the splice
    fills in as it is written; ``now``: the archive's :func:`identities`; ``base``: the
    site's address, as the table's links have it.
    """
    from .relink import Stream

    kept = state.fast.get("blocks", {}) if state is not None and state.fast else {}
    if not kept or not ids:
        return
    positions = [i for i, e in enumerate(archive.articles) if e.article.id in ids]
    if len(positions) != len(ids):
        return
    for path, (identity, dumped) in kept.items():
        spans = Spans.load(dumped)
        fresh = files.get(path)
        if type(fresh) is not Stream or now.get(path) != identity:
            continue
        recorded = state.manifest.get(path)
        if recorded is None or recorded[0] != spans.size():
            continue
        if not _cache.as_recorded(output, {path: recorded}):
            continue
        new = _changed_blocks(path, archive, positions, spans, base)
        got = new is not None and spliced(os.path.join(output, path), spans, new)
        if got:
            pieces, after = got
            noted = functools.partial(made.__setitem__, path, after)
            files[path] = Stream(or_fresh(pieces, fresh.make, noted))


def spliced(path: str, spans: Spans, new: dict[int, str]):
    """``(pieces, spans after)``: ``pieces()`` gives the file at ``path``, whose blocks
    are ``spans``, with the blocks of ``new`` (by ``who``) in place of the old; it raises
    LookupError before the first piece if the file is not as long as ``spans`` say.
    None if a block of ``new`` is not in ``spans``."""
    after = Spans()
    cuts = []
    at = 0
    for who, size in spans.pairs():
        text = new.get(who) if who != FIXED else None
        if text is None:
            after.flat.extend((who, size))
        else:
            after.add(who, text)
            cuts.append((at, at + size, text.encode("utf-8")))
        at += size
    if len(cuts) != len(new):
        return None

    def pieces():
        from .relink import spliced_pieces

        if os.stat(path).st_size != at or not at:
            raise LookupError(f"{path}: not the file whose blocks were recorded")
        yield from spliced_pieces(path, cuts, at)

    return pieces, after


def or_fresh(pieces, fresh, taken=None):
    """What makes a file from the pieces of a splice, ``pieces()``, else (the old file gone
    or not as recorded: no harm done, nothing is written before the first piece) anew,
    by ``fresh()``. ``taken()`` is called once the splice gives its first piece."""

    def make():
        chunks = pieces()
        try:
            first = next(chunks)
        except (LookupError, OSError, ValueError):
            yield from fresh()
            return
        if taken is not None:
            taken()
        yield first
        yield from chunks

    return make


def record(made: dict, state, manifest: dict, now: dict) -> dict:
    """What :func:`splice` needs of this build: {path: (identity, dumped spans)} of the
    block-made downloads this build wrote (``made``) or kept as the last build wrote
    them; ``now``: the archive's :func:`identities`."""
    last = state.fast.get("blocks", {}) if state is not None and state.fast else {}
    out = {}
    for path, identity in now.items():
        entry = manifest.get(path)
        if entry is None:
            continue
        spans = made.get(path)
        if spans is None:  # not made: kept, if the last build's and as it recorded it
            old = last.get(path)
            if old is None or old[0] != identity:
                continue
            was = state.manifest.get(path)
            if was is None or was[::3] != entry[::3]:  # size and hash
                continue
            spans = Spans.load(old[1])
        if spans.size() == entry[0]:
            out[path] = (identity, spans.dump())
    return out
