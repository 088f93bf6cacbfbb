"""Command line: thin over the library. `docsearch --help` lists the commands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from docsearch.errors import DocsearchError, IngestError


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False))


def _index_dir(args) -> Path:
    from docsearch.config import get_settings

    return Path(args.index) if getattr(args, "index", None) else get_settings().index


# -- parse ---------------------------------------------------------------------------------------------------
def cmd_parse(args) -> int:
    from docsearch.structure import parse_file

    doc = parse_file(args.file)
    if args.json:
        print(json.dumps(doc.to_dict(), ensure_ascii=False, indent=1))
        return 0
    m = doc.metadata
    print(f"{m.type or '?'} {m.number or ''} — {m.issuer or '?'} — {m.date or '?'}")
    if m.title:
        print(f"  {m.title}")
    if m.signer:
        print(f"  Người ký: {m.signer}")
    for w in doc.warnings:
        print(f"  ! {w}")
    print(f"{len(doc.clauses)} clauses, {len(doc.references)} references")
    for c in doc.clauses:
        print(f"{'  ' * (c.level - 1)}{c.address:<14} p.{c.page:<3} {c.heading[:90]}")
    for r in doc.references:
        where = r.clause or "(đầu văn bản)"
        print(f"  → {r.number or r.title or r.text} [{r.relation}] in {where}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="docsearch", description="Search and topic tagging over Vietnamese policy documents")
    sub = p.add_subparsers(dest="command", required=True)

    sp = sub.add_parser("parse", help="parse one document and print its metadata, clauses and references")
    sp.add_argument("file")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_parse)

    from docsearch import commands  # a broken module fails loudly instead of hiding its subcommands

    commands.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except IngestError as exc:
        print(f"error: {exc.path}: {exc.reason}", file=sys.stderr)
        return 2
    except DocsearchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into head, less …
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
