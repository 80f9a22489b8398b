"""The `privacy-notice` command: a thin shell over the core. Exit 0 ok, 1 invalid content, 2 usage."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__
from .errors import ContentError, NoticeError, UsageError, display_path, plain_os_error
from .escape import json_text, terminal

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_SIGNIFICANT = 0, 1, 2, 3
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a command whose reader left

DESCRIPTION = """\
Turn a company's description of its personal-data processing (content/notice.yaml) into a
versioned privacy notice in Norwegian bokmål and English.

Typical session:
  privacy-notice init             start: a notice, mkdocs.yml, workflows and schemas in this folder
  privacy-notice check            are the YAML files complete and valid?
  privacy-notice serve            preview the site at http://127.0.0.1:8000 while you edit
  privacy-notice build            write the site to site/
  privacy-notice diff             what changed since the last release, and must customers be told?
  privacy-notice release --effective 2027-01-05
                                  freeze the content as the next version
  privacy-notice notify           the customer notice of the latest release
"""


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="privacy-notice",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Exit status: 0 success, 1 invalid content (one line per problem: file:line:column: field: message), 2 wrong usage.",
    )
    parser.add_argument("--version", action="version", version=f"privacy-notice {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="validate the content and list every problem", description="Validate a content folder or a notice file and print one line per problem.")
    check.add_argument("path", nargs="?", default="content", type=Path, help="content folder or notice file (default: content)")
    check.add_argument("--strict", action="store_true", help="treat warnings (conditional GDPR checklist items, lint) as errors")
    check.add_argument("--format", choices=("text", "json"), default="text", help="text: one line per problem on stderr; json: a report on stdout")

    diff = commands.add_parser(
        "diff",
        help="compare the content with the latest release or a git ref, for legal review",
        description=(
            "Compare the text readers see now (the latest release as published) with the text the next release would "
            "publish: content changes and standard-wording changes, classified. With --base, first what the content "
            "changes against that git ref or notice file, then the next release."
        ),
        epilog=(
            "Exit status: 0 no significant change, 3 significant change (customers must be notified), 1 invalid content, "
            "2 wrong usage. With --base the status is that of the changes against the base."
        ),
    )
    diff.add_argument("--content", default="content", type=Path, help="content folder (default: content)")
    diff.add_argument("--base", help="a git ref (e.g. origin/main) or a notice file/folder to compare against (default: the latest release)")
    diff.add_argument("--format", choices=("markdown", "text", "json"), default="text", help="output format (default: text)")
    diff.add_argument("--limit", type=int, help="markdown only: at most this many characters (at least 1000); headlines and change tables stay whole, the text is cut section by section")
    diff.add_argument("--full-url", help="with --limit: where the full report is, linked from the cut")

    release = commands.add_parser(
        "release",
        help="freeze the current content as the next version",
        description="Freeze content/notice.yaml as the next version: its dates, the frozen source and the rendered text of each language, with checksums.",
    )
    release.add_argument("--content", default="content", type=Path, help="content folder (default: content)")
    release.add_argument("--effective", required=True, type=_date, help="the date the version takes effect (YYYY-MM-DD)")
    release.add_argument("--announced", type=_date, help="the date it is published and announced (default: today)")
    release.add_argument("--reclassify", action="append", default=[], metavar="KEY=CLASS", help="overrule a change's class, e.g. recipients.mailchimp=minor (repeatable; needs --reason and --approved-by)")
    release.add_argument("--reason", help="why the reclassification is right")
    release.add_argument("--short-notice-reason", help="why a significant change may take effect with less notice than required")
    release.add_argument("--approved-by", help="name of the person approving a reclassification or short notice")
    release.add_argument("--dry-run", action="store_true", help="show what would be released; write nothing")

    notify = commands.add_parser("notify", help="write the customer notice of a significant release", description="Write the customer e-mail of a release (default: the latest) in every language: subject and body, as Markdown, plain text or HTML.")
    notify.add_argument("version", nargs="?", type=int, help="the version (default: the latest)")
    notify.add_argument("--content", type=Path, help="content folder (default: the plugin's content option in the MkDocs configuration, else content)")
    notify.add_argument("-f", "--config-file", default="mkdocs.yml", type=Path, help="MkDocs configuration to read site_url and the content folder from (default: mkdocs.yml)")
    notify.add_argument("--site-url", help="the site's address for links (default: site_url from the MkDocs configuration)")
    notify.add_argument("--format", choices=("markdown", "text", "html"), default="markdown", help="body format: markdown, text, or html for an e-mail tool (default: markdown)")
    notify.add_argument("--lang", help="only this language (default: every language of the version)")
    notify.add_argument("--sent", type=_date, help="the day the e-mail is sent (YYYY-MM-DD, default: today): its link to the notice in force is to the version in force that day")

    init = commands.add_parser(
        "init",
        help="start a repository: a minimal notice, mkdocs.yml, workflows, schemas",
        description="Write a working starting point into DIR: a minimal notice in bokmål and English, mkdocs.yml, .gitignore, a pre-commit configuration, the GitHub workflows and the JSON schemas the editor modelines point at. Never replaces an existing file.",
    )
    init.add_argument("dir", nargs="?", default=".", type=Path, help="the folder (default: the current folder)")
    init.add_argument("--site-url", help="the site's full address, e.g. https://ORG.github.io/REPO/ (needed before the first release)")
    init.add_argument("--site-name", default="Personvern / Privacy", help="the site's name in mkdocs.yml")

    pages = commands.add_parser(
        "pages",
        help="write every generated page as Markdown with front matter (for another site engine)",
        description="Write every page the plugin generates into OUT, as Markdown files with front matter: exactly what the plugin hands MkDocs, so another engine can build the site.",
    )
    pages.add_argument("out", type=Path, help="the folder to write (replaced whole; an existing folder must be empty or an earlier output of this command)")
    pages.add_argument("-f", "--config-file", default="mkdocs.yml", type=Path, help="MkDocs configuration to read site_url and the plugin options from (default: mkdocs.yml)")
    pages.add_argument("--draft", action="store_true", help="also write the working copy's draft pages")

    for name, text in (("build", "build the site into site/ (same as mkdocs build)"), ("serve", "preview the site, rebuilding on every change (same as mkdocs serve)")):
        sub = commands.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        sub.add_argument("-f", "--config-file", default="mkdocs.yml", type=Path, help="MkDocs configuration (default: mkdocs.yml)")
        if name == "build":
            sub.add_argument("-d", "--site-dir", type=Path, help="where to write the site (default: the config's site_dir)")
            sub.add_argument("--strict", action="store_true", help="fail on warnings")
        else:
            sub.add_argument("-a", "--dev-addr", default=None, help="address to serve on (default 127.0.0.1:8000)")
    return parser


def _date(value: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; write YYYY-MM-DD") from None


def _today():
    from .releases import build_date

    return build_date()


class _Parser(argparse.ArgumentParser):
    """argparse, but a wrong option is one line (and exit 2) like every other error."""

    def error(self, message: str):  # noqa: D102 (argparse's API)
        raise UsageError(f"{message} (see {self.prog} --help)")


def main(argv: list[str] | None = None) -> int:
    """Run a command; the one place where every failure becomes a one-line message and an exit code."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")  # a terminal that cannot show a letter still gets the line
    try:
        parser = _parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return EXIT_USAGE
        _check_environment()
        code = _run(args)
        sys.stdout.flush()
        return code
    except UsageError as exc:
        _err(f"privacy-notice: {exc}")
        return EXIT_USAGE
    except ContentError as exc:
        for problem in exc.problems:
            _err(str(problem))
        return EXIT_INVALID
    except NoticeError as exc:
        _err(f"privacy-notice: {exc}")
        return EXIT_INVALID
    except BrokenPipeError:
        # The reader went away (`... | head`): whatever the command wrote to disk is complete; stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        _err(f"privacy-notice: {os_error(exc)}")
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130


def _check_environment() -> None:
    """Environment values are options too: refuse a bad one before any work, in one line."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        _today()


def os_error(exc: OSError) -> str:
    """A system error in plain words, naming the file, and saying that earlier data is intact."""
    where = f"{display_path(Path(exc.filename))}: " if exc.filename else ""
    plain = plain_os_error(exc)
    return f"{where}{plain}; nothing was changed: earlier output and content are as they were"


def _out(text: str, *, end: str = "\n") -> None:
    """Standard output: text from content cannot move the cursor or rewrite what is shown."""
    sys.stdout.write(terminal(text, keep_newlines=True) + end)


def _err(line: str) -> None:
    """One line on standard error, whatever the message holds."""
    sys.stderr.write(terminal(line) + "\n")


def _run(args: argparse.Namespace) -> int:
    if args.command == "check":
        from .check import check_all

        problems = check_all(args.path, strict=args.strict)
        errors = [p for p in problems if p.severity == "error"]
        if args.format == "json":
            _out(json_text(_report(args.path, problems), indent=2))
            return EXIT_INVALID if errors else EXIT_OK
        for problem in problems:
            _err(str(problem))
        if errors:
            _err(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} found.")
            return EXIT_INVALID
        warnings = len(problems) - len(errors)  # listed above; counted here so "valid" never hides them
        _out(f"{args.path}: valid, {warnings} warning{'s' if warnings != 1 else ''}.")
        return EXIT_OK
    if args.command == "diff":
        return _diff(args)
    if args.command == "release":
        return _release(args)
    if args.command == "notify":
        return _notify(args)
    if args.command == "init":
        return _init(args)
    if args.command == "pages":
        return _pages(args)
    if args.command in ("build", "serve"):
        from .site import build_site, serve_site

        if args.command == "build":
            build_site(args.config_file, site_dir=args.site_dir, strict=args.strict)
            return EXIT_OK
        serve_site(args.config_file, dev_addr=args.dev_addr)
        return EXIT_OK
    raise UsageError(f"unknown command {args.command}")



def _report(path: Path, problems) -> dict:
    """check --format json: every finding with its position and, for GDPR items, the checklist id."""
    import re

    findings = []
    for p in problems:
        match = re.match(r"^\[([a-z0-9_]+), (?:GDPR )?([^\]]+)\] (.*)$", p.message)
        findings.append(
            {
                "file": p.file,
                "line": p.line,
                "column": p.column,
                "field": p.field,
                "severity": p.severity,
                "id": match.group(1) if match else None,
                "article": match.group(2) if match else None,
                "message": match.group(3) if match else p.message,
            }
        )
    return {"path": str(path), "valid": not any(p.severity == "error" for p in problems), "findings": findings}


def _diff(args: argparse.Namespace) -> int:
    from .content import load_notice, locate_content
    from .diff import diff
    from .releases import load_verified_log
    from .review import FORMATS, fit, review, review_release
    from .vcs import notice_at_ref

    paths = locate_content(args.content)
    notice = load_notice(args.content)
    latest = load_verified_log(paths.root, latest_only=True).latest  # check and build verify every version
    today = _today()
    report = review_release(latest, notice, today=today)
    if args.base is not None:
        is_file = Path(args.base).exists()
        base = load_notice(Path(args.base)) if is_file else notice_at_ref(args.base, paths.notice)
        report = review(
            base, notice, diff(base, notice), base_label=args.base, today=today,
            after=latest.effective if latest else None, branch=not is_file, next_release=report,
        )
    output = FORMATS[args.format](report)
    if args.limit is not None and args.format == "markdown":
        if args.limit < 1000:
            raise UsageError(f"--limit {args.limit}: give at least 1000 characters")
        output = fit(output, args.limit, args.full_url)
    _out(output, end="")
    return EXIT_SIGNIFICANT if report.notification_required else EXIT_OK


def _release(args: argparse.Namespace) -> int:
    from .consistency import text_problem
    from .diff import Reclassification
    from .releases import make_release, plan_release

    for option in ("reason", "short_notice_reason", "approved_by"):
        value = getattr(args, option)
        why = text_problem(value, multiline=False) if value is not None else None
        if why:
            raise UsageError(f"--{option.replace('_', '-')} {why}: it is recorded in the release log")

    reclassifications = []
    for item in args.reclassify:
        key, _, cls = item.partition("=")
        if cls not in ("significant", "minor") or not key:
            raise UsageError(f"--reclassify {item}: write KEY=significant or KEY=minor")
        if not args.reason or not args.approved_by:
            raise UsageError("--reclassify needs --reason and --approved-by: the decision is recorded with the release")
        reclassifications.append(Reclassification(key, cls, args.reason, args.approved_by))
    short = None
    if args.short_notice_reason:
        if not args.approved_by:
            raise UsageError("--short-notice-reason needs --approved-by")
        short = (args.short_notice_reason, args.approved_by)
    announced = args.announced or _today()
    action = plan_release if args.dry_run else make_release
    plan = action(args.content, effective=args.effective, announced=announced, reclassifications=tuple(reclassifications), short_notice=short)
    verb = "Would release" if args.dry_run else "Released"
    kind = f"significant: {len(plan.changes.significant)} change(s) need customer notice" if plan.significant else "minor: no customer notice needed"
    for folder in plan.recovered:
        _err(f"privacy-notice: removed {folder}: an interrupted release had left it (it had no entry in the release log)")
    _out(f"{verb} version {plan.version}, announced {plan.announced}, effective {plan.effective} ({kind}).")
    for change in plan.changes.changes:
        _out(terminal(f"  {'SIGNIFICANT' if change.significant else 'minor      '}  {change.key}: {change.explanation.get('en', '')}"))
    if plan.significant and not args.dry_run:
        _out("Next: privacy-notice notify   (the customer notice to send)")
    return EXIT_OK


def _notify(args: argparse.Namespace) -> int:
    from .content import locate_content
    from .notify import notifications
    from .releases import load_verified_log

    site = _mkdocs_settings(args.config_file)
    log = load_verified_log(locate_content(args.content or site.content).root)
    if not log.releases:
        raise UsageError("nothing has been released yet")
    release = log.get(args.version) if args.version else log.latest
    if release is None:
        raise UsageError(f"there is no version {args.version}; the latest is {log.latest.version}")
    if args.lang and args.lang not in release.languages:
        raise UsageError(f"--lang {args.lang}: version {release.version} is published in {', '.join(release.languages)}")
    site_url = args.site_url or site.site_url
    if not site_url:
        raise UsageError(f"no site address: set site_url in {args.config_file} or pass --site-url (the e-mail's links must be absolute)")
    if not site_url.startswith(("https://", "http://")):
        raise UsageError(f"site address {site_url!r}: give the full address, e.g. https://ORG.github.io/REPO/")
    site_url = site_url.rstrip("/") + "/" + (site.prefix + "/" if site.prefix else "")
    found = notifications(log, release, site_url, sent=args.sent or _today())
    if not found:
        _out(f"Version {release.version} has no significant change: no customer notice is needed (it is recorded in the change log).")
        return EXIT_OK
    for n in found:
        if args.lang and n.lang != args.lang:
            continue
        if not args.lang:
            _out(f"=== {n.lang} ===")
        _out(f"Subject: {terminal(n.subject)}")
        _out("")
        _out(n.body(args.format))
    return EXIT_OK


class _Site(argparse.Namespace):
    site_url: str | None
    content: Path
    prefix: str


def _mkdocs_settings(config: Path) -> _Site:
    """site_url and the plugin's content and prefix from an MkDocs configuration, read as plain YAML
    (notify must not need MkDocs). Paths are relative to the configuration's folder, as in MkDocs."""
    from .document import read_document

    site = _Site(site_url=None, content=Path("content"), prefix="")
    if not config.exists():
        if config != Path("mkdocs.yml"):
            raise UsageError(f"{config}: no such MkDocs configuration")
        return site
    try:
        data = read_document(config).data
    except NoticeError:
        return site
    if not isinstance(data, dict):
        return site
    url = data.get("site_url")
    site.site_url = url if isinstance(url, str) and url else None
    options: dict = {}
    for plugin in data.get("plugins") or ():
        if isinstance(plugin, dict) and isinstance(plugin.get("privacy-notice"), dict):
            options = plugin["privacy-notice"]
    content = options.get("content", "content")
    site.content = config.parent / (content if isinstance(content, str) else "content")
    prefix = options.get("prefix", "")
    site.prefix = prefix.strip("/") if isinstance(prefix, str) else ""
    return site


def _init(args: argparse.Namespace) -> int:
    from .scaffold import init

    written = init(args.dir, site_url=args.site_url, site_name=args.site_name)
    for item in written:
        _out(f"{'wrote' if item.created else 'kept '} {item.path}")
    kept = [w.path.name for w in written if not w.created]
    if ".gitignore" in kept:
        _out("Your .gitignore was kept as it is: add site/ and records/ to it (the built site and the internal record).")
    if "mkdocs.yml" in kept:
        _out("Your mkdocs.yml was kept as it is: add the plugin (plugins: - privacy-notice, with prefix: privacy inside an existing site) and use theme: material.")
    where = "" if args.dir == Path(".") else f" (in {args.dir})"
    _out(f"Next{where}: fill in content/notice.yaml, run `privacy-notice check` until it is clean, preview with `privacy-notice serve`.")
    return EXIT_OK


def _pages(args: argparse.Namespace) -> int:
    """The engine exit: the plugin's pages as files, swapped in whole (a rerun replaces its own output)."""
    import shutil

    from .content import load_notice, locate_content
    from .files import guard_output, replace_dir, staging_dir
    from .pages import require_site_url, site_files
    from .releases import build_date, load_verified_log

    site = _mkdocs_settings(args.config_file)
    target = args.out.resolve()
    guard_output(target, project=args.config_file.resolve().parent, protected={"the content folder": site.content, "the MkDocs configuration": args.config_file}, what="pages folder")
    notice = load_notice(site.content)
    log = load_verified_log(locate_content(site.content).root)
    require_site_url(log, site.site_url, args.config_file)
    files = site_files(notice, log, today=build_date(), draft=args.draft, site_url=site.site_url, prefix=site.prefix)
    staging = staging_dir(target)
    count = 0
    try:
        for path, _, text in files:
            count += 1
            written = staging / path
            written.parent.mkdir(parents=True, exist_ok=True)
            written.write_text(text, encoding="utf-8")
        replace_dir(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    _out(f"Wrote {count} files to {args.out}.")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
