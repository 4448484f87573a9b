"""The command line: ``python build.py [build|annotate|serve] ...``.

Exit status: 0 all good; 1 the site was built but some articles or files had
problems; 2 nothing was built (a knowledge, settings or template error, bad
arguments, or ``--strict`` refused the build). ``annotate --strict`` exits 1 on a
warning.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import recache
from .errors import BriefingError, Diagnostics
from .project import Project

EXIT_OK, EXIT_PROBLEMS, EXIT_FATAL = 0, 1, 2


def _report(diag: Diagnostics) -> None:
    for line in diag.lines():
        print(line, file=sys.stderr)


def _template_error(e: Exception, project: Project) -> BriefingError:
    import jinja2

    name = getattr(e, "filename", None) or getattr(e, "name", None) or ""
    line = getattr(e, "lineno", None)
    path = project.templates / name if name else project.templates
    if isinstance(e, jinja2.TemplateNotFound):
        return BriefingError(
            path, None, f"template {e.name!r} is missing — restore it in {project.templates}"
        )
    return BriefingError(
        path, line, f"template error: {getattr(e, 'message', None) or e} — fix the template"
    )


def fatal_error(e: Exception, project: Project) -> BriefingError | None:
    """The error that stopped a build, as the user should read it; None if not ours."""
    if isinstance(e, BriefingError):
        return e
    if "jinja2" in sys.modules:
        import jinja2

        if isinstance(e, jinja2.TemplateError):
            return _template_error(e, project)
    return None


def _timings(result) -> str:
    order = ("check", "knowledge", "scan", "load", "carry", "annotate", "index")
    order += ("render", "write", "render+write", "state")
    wall = ", ".join(f"{k} {result.timings[k]:.3f}" for k in order if k in result.timings)
    cpu = ", ".join(
        f"{k.split()[0]} {v:.3f}" for k, v in result.timings.items() if k.endswith("(cpu)")
    )
    return f"stages (s): {wall}" + (f"; per article, summed over workers: {cpu}" if cpu else "")


def cmd_build(args, project: Project) -> int:
    from . import pipeline

    diag = Diagnostics()
    try:
        result = pipeline.build(
            project,
            args.paths or None,
            strict=args.strict,
            diag=diag,
            jobs=args.jobs,
            use_cache=not args.no_cache,
            progress=False if args.quiet else None,
        )
    except Exception as e:
        error = fatal_error(e, project)
        if error is None:
            raise
        _report(diag)
        print(f"error: {error.format()}", file=sys.stderr)
        if isinstance(e, BriefingError) and diag.errors and not args.strict:
            return EXIT_PROBLEMS
        return EXIT_FATAL
    _report(diag)
    if not args.quiet:
        print(result.summary(project.output))
    if args.timings:
        print(_timings(result), file=sys.stderr)
    return EXIT_PROBLEMS if diag.errors else EXIT_OK


def cmd_annotate(args, project: Project) -> int:
    from . import export
    from .project import process

    diag = Diagnostics()
    try:
        project.knowledge, project.cleaner  # noqa: B018 - validate before reading articles
        articles = process(args.paths, project, diag)
    except BriefingError as e:
        print(f"error: {e.format()}", file=sys.stderr)
        return EXIT_FATAL
    _report(diag)
    if args.json in (None, "-"):
        sys.stdout.write(export.dumps(articles))
    else:
        export.write(articles, args.json)
        if not args.quiet:
            print(f"annotated {len(articles)} articles -> {args.json}", file=sys.stderr)
    if args.strict and (diag.errors or diag.warnings):
        return EXIT_PROBLEMS
    return EXIT_PROBLEMS if diag.errors else EXIT_OK


def cmd_serve(args, project: Project) -> int:
    from . import serve

    return serve.serve(project, host=args.host, port=args.port, jobs=args.jobs)


def _jobs(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError("--jobs must be 1 or more")
    return n


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build.py",
        description="Build the briefing archive: annotated articles as a static site.",
    )
    p.add_argument(
        "--root", type=Path, default=None, help="project folder (default: beside build.py)"
    )
    p.add_argument("--output", type=Path, default=None, help="output folder (default: site/)")
    sub = p.add_subparsers(dest="command")

    b = sub.add_parser("build", help="build the site (the default command)")
    b.add_argument(
        "paths", nargs="*", help="article files or folders (default: site.yaml 'articles')"
    )
    for q in (p, b):
        # on the subcommand, an option left out must not undo the same option given before it
        # (``build.py --strict build``): its default is "absent", the main parser's stands
        unset = {"default": argparse.SUPPRESS} if q is b else {}
        flag = {"action": "store_true", **unset}
        q.add_argument("--strict", help="fail the build on any warning", **flag)
        q.add_argument("--quiet", "-q", help="print only problems", **flag)
        q.add_argument(
            "--jobs",
            "-j",
            type=_jobs,
            help="annotate with N processes (default: one per core)",
            **(unset or {"default": None}),
        )
        q.add_argument(
            "--no-cache",
            help="annotate every article again (the cache is in .briefing-cache/)",
            **flag,
        )
        q.add_argument("--timings", help="print the time of each stage", **flag)

    a = sub.add_parser("annotate", help="annotate articles and export the annotations as JSON")
    a.add_argument("paths", nargs="+", help="article files or folders")
    a.add_argument("--json", metavar="FILE", help="write the export here ('-' or absent: stdout)")
    a.add_argument("--strict", action="store_true", help="exit 1 on any warning")
    a.add_argument("--quiet", "-q", action="store_true")

    s = sub.add_parser("serve", help="preview the site with live reload")
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    s.add_argument("--jobs", "-j", type=_jobs, default=None, help="annotation processes")
    return p


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    from . import codecache

    codecache.install()  # for the modules imported from here on (build.py does it first)
    recache.install()  # the libraries' patterns too, from the build cache's file
    args = parser().parse_args(argv)
    project = Project(root=args.root or root or Path.cwd(), output=args.output)
    if args.command is None:
        args.command, args.paths = "build", []
    handler = {"build": cmd_build, "annotate": cmd_annotate, "serve": cmd_serve}[args.command]
    try:
        return handler(args, project)
    except BriefingError as e:
        print(f"error: {e.format()}", file=sys.stderr)
        return EXIT_FATAL
    except KeyboardInterrupt:
        return 130


def run(argv: list[str] | None = None, root: Path | None = None) -> int:
    """:func:`main` in a process that ends with it (``build.py``, the ``briefing`` script).

    Python collects the garbage of every object left as it shuts down: after a
    one-article rebuild, the knowledge and the index in memory, 30–50 ms of a 0.3 s run.
    Frozen, they are left to the end of the process instead; nothing of the build waits
    on being collected (its files are written and closed).
    """
    import gc

    code = main(argv, root)
    gc.freeze()
    return code
