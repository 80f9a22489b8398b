"""The `privacy-notice` command: a thin shell over the core. Exit 0 ok, 1 invalid content, 2 usage."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import ContentError, NoticeError, UsageError

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

DESCRIPTION = """\
Turn a company's description of its personal-data processing (content/notice.yaml) into a
versioned privacy notice in Norwegian bokmål and English.

Typical session:
  privacy-notice check            are the YAML files complete and valid?
  privacy-notice serve            preview the site at http://127.0.0.1:8000 while you edit
  privacy-notice build            write the site to site/
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="privacy-notice",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Exit status: 0 success, 1 invalid content (one line per problem: file:line:column: field: message), 2 wrong usage.",
    )
    parser.add_argument("--version", action="version", version=f"privacy-notice {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="validate the content and list every problem", description="Validate a content folder or a notice file and print one line per problem.")
    check.add_argument("path", nargs="?", default="content", type=Path, help="content folder or notice file (default: content)")

    for name, text in (("build", "build the site into site/ (same as mkdocs build)"), ("serve", "preview the site, rebuilding on every change (same as mkdocs serve)")):
        sub = commands.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        sub.add_argument("-f", "--config-file", default="mkdocs.yml", type=Path, help="MkDocs configuration (default: mkdocs.yml)")
        if name == "build":
            sub.add_argument("-d", "--site-dir", type=Path, help="where to write the site (default: the config's site_dir)")
            sub.add_argument("--strict", action="store_true", help="fail on warnings")
        else:
            sub.add_argument("-a", "--dev-addr", default=None, help="address to serve on (default 127.0.0.1:8000)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return _run(args)
    except UsageError as exc:
        print(f"privacy-notice: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    except NoticeError as exc:
        print(f"privacy-notice: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace) -> int:
    if args.command == "check":
        from .content import check_content

        problems = check_content(args.path)
        for problem in problems:
            print(problem, file=sys.stderr)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            print(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} found.", file=sys.stderr)
            return EXIT_INVALID
        print(f"{args.path}: valid.")
        return EXIT_OK
    if args.command in ("build", "serve"):
        from .site import build_site, serve_site

        if args.command == "build":
            build_site(args.config_file, site_dir=args.site_dir, strict=args.strict)
            return EXIT_OK
        serve_site(args.config_file, dev_addr=args.dev_addr)
        return EXIT_OK
    raise UsageError(f"unknown command {args.command}")


if __name__ == "__main__":
    sys.exit(main())
