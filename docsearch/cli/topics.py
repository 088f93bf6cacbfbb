"""Subcommands over topics: tag, retag, topics."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict

from docsearch import service
from docsearch.cli.common import add_index_option, open_index, print_json


def _print_tags(tags, as_json: bool) -> None:
    if as_json:
        print(json.dumps([asdict(t) for t in tags], ensure_ascii=False))
        return
    if not tags:
        print("  (không gắn được chủ đề)")
    for t in tags:
        print(f"  {t.topic:<24} {t.score:.2f}  {t.name}")
        for e in t.evidence:
            print(f"      · {e}")


def cmd_tag(args) -> int:
    if args.text is None and args.file is None:
        print("lỗi: cần --text \"…\" hoặc một TỆP", file=sys.stderr)
        return 2
    if args.text is not None:
        _print_tags(service.tag_text(args.text), args.json)
        return 0
    doc = service.tag_document(service.parse(args.file))
    if args.json:
        print(json.dumps({"document": [asdict(t) for t in doc.tags],
                          "clauses": {c.address: [asdict(t) for t in c.tags] for c in doc.clauses}}, ensure_ascii=False))
        return 0
    print("Chủ đề của văn bản:")
    for t in doc.tags[:8]:
        print(f"  {t.topic:<24} {t.score:.0%} số điều khoản")
    for c in doc.clauses:
        print(f"{c.address:<16} " + ", ".join(f"{t.topic} {t.score:.2f}" for t in c.tags))
    return 0


def cmd_retag(args) -> int:
    with open_index(args, writable=True) as ix:
        n = service.retag(ix)
    print(f"đã gắn lại chủ đề cho {n} văn bản")
    return 0


def cmd_topics(args) -> int:
    with open_index(args) as ix:
        if args.topic:
            rows = service.topic_clauses(ix, args.topic, k=args.k, doc=args.doc)
            if args.json:
                print_json(rows)
            else:
                for r in rows:
                    print(f"{r.score:.2f}  {r.doc_id} · {r.address:<12} {r.heading[:90]}")
            return 0
        counts = service.topics(ix)
    if args.json:
        print_json(counts)
    else:
        for r in counts:
            print(f"{r.topic:<24} {r.clauses:>6} điều khoản {r.documents:>4} văn bản  {r.name}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("tag", help="gắn chủ đề cho một đoạn văn hoặc một văn bản")
    p.add_argument("file", nargs="?")
    p.add_argument("--text")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_tag)

    p = add_index_option(sub.add_parser("retag", help="gắn lại chủ đề cho cả chỉ mục sau khi sửa bộ chủ đề"))
    p.set_defaults(func=cmd_retag)

    p = add_index_option(sub.add_parser("topics", help="các chủ đề và số điều khoản, văn bản; hoặc các điều khoản "
                                                       "của một chủ đề"))
    p.add_argument("topic", nargs="?")
    p.add_argument("-k", type=int, default=50)
    p.add_argument("--doc")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_topics)
