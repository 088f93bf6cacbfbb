"""What every subcommand shares: the --index option, opening the index, printing JSON."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from docsearch.config import get_settings
from docsearch.index import Index


def add_index_option(p):
    p.add_argument("--index", help="thư mục chỉ mục (mặc định $DOCSEARCH_INDEX hoặc indexes/default)")
    return p


def index_dir(args) -> Path:
    return Path(args.index) if getattr(args, "index", None) else get_settings().index


def open_index(args, writable: bool = False) -> Index:
    return Index(index_dir(args), writable=writable, reembed=getattr(args, "reembed", False))


def to_json(obj) -> object:
    """Views as the API sends them (pydantic's JSON mode); lists of views likewise."""
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json")
    if isinstance(obj, list):
        return [to_json(x) for x in obj]
    return obj


def print_json(obj, indent: int | None = None) -> None:
    print(json.dumps(to_json(obj), ensure_ascii=False, indent=indent))


def cli_actor() -> str:
    """Who acts from the command line, for the audit trail: the operating-system account."""
    import getpass

    try:
        return "cli:" + getpass.getuser()
    except (KeyError, OSError):
        return "cli"
