"""The `docsearch` command: argument parsing and printing over docsearch.service (`docsearch --help` lists the
commands). Each subcommand is an adapter of a few lines: it opens the index, calls one service function, and
prints the result — with --json, the same `docsearch.views` model the API sends."""

from __future__ import annotations

import argparse
import os
import sys

from docsearch.cli import accounts, documents, evaluate, linking, search, topics
from docsearch.errors import DocsearchError, IngestError


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="docsearch",
                                description="Tìm kiếm, gắn chủ đề và liên kết nhiệm vụ trên văn bản chính sách")
    sub = p.add_subparsers(dest="command", required=True)
    for module in (documents, search, topics, linking, accounts):
        module.register(sub)
    evaluate.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except IngestError as exc:
        print(f"lỗi: {exc.path}: {exc.reason}", file=sys.stderr)
        return 2
    except DocsearchError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into head, less …
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
