"""Subcommands over documents: parse, ingest, list, show, remove, status, backup, restore, migrate."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from docsearch import service
from docsearch.cli.common import add_index_option, cli_actor, index_dir, open_index, print_json
from docsearch.errors import InvalidRequestError
from docsearch.index import ENGINES, backup_index, migrate_engine


def cmd_parse(args) -> int:
    doc = service.parse(args.file)
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
    print(f"{len(doc.clauses)} điều khoản, {len(doc.references)} dẫn chiếu")
    for c in doc.clauses:
        print(f"{'  ' * (c.level - 1)}{c.address:<14} tr.{c.page:<3} {c.heading[:90]}")
    for r in doc.references:
        print(f"  → {r.number or r.title or r.text} [{r.relation}] tại {r.clause or '(đầu văn bản)'}")
    return 0


def cmd_ingest(args) -> int:
    from tqdm import tqdm

    total = len(service.files_to_ingest(args.paths))
    with open_index(args, writable=True) as ix:
        # a bar with the time left (ETA), from the files done so far
        bar = tqdm(total=total, unit="tệp", desc="Nạp văn bản", disable=args.quiet or not sys.stderr.isatty(),
                   file=sys.stderr, bar_format="{desc}: {n}/{total} tệp |{bar}| còn khoảng {remaining} {postfix}")
        started = [False]

        def step(f: Path) -> None:
            if started[0]:
                bar.update(1)
            started[0] = True
            bar.set_postfix_str(f.name[:40])

        report = service.ingest_paths(ix, args.paths, tags=not args.no_tags, progress=step, actor=cli_actor())
        bar.update(total - bar.n)
        bar.close()
    for f, reason in report.failed:
        print(f"lỗi: {f}: {reason}", file=sys.stderr)
    if args.json:
        print(json.dumps(asdict(report), ensure_ascii=False))
    else:
        for f, w in report.warnings:
            print(f"cảnh báo: {f}: {w}", file=sys.stderr)
        print(report.summary())
    return 1 if report.failed and not report.added and not report.unchanged else 0


def cmd_list(args) -> int:
    with open_index(args) as ix:
        docs = service.documents(ix)
    if args.json:
        print_json(docs)
        return 0
    if not docs:
        print("Chỉ mục trống: docsearch ingest ĐƯỜNG_DẪN…")
    for d in docs:
        print(f"{d.id:<22} {d.type or '':<12} {d.date or '':<10} {d.clauses:>5} điều khoản  {(d.title or d.source or '')[:70]}")
    return 0


def cmd_show(args) -> int:
    with open_index(args) as ix:
        if args.clause is not None:
            view = service.clause(ix, args.clause)
            if args.json:
                print_json(view)
                return 0
            print(f"{view.doc_number or view.doc_id} · {view.address} — {view.breadcrumb}")
            print(view.text)
            for t in view.linked_tasks:
                print(f"  ← {t.task_doc} {t.task_address or ''} [{t.status}] {t.task_text[:80]}")
            return 0
        if not args.doc:
            raise InvalidRequestError("hãy nêu mã văn bản, hoặc --clause MÃ_ĐIỀU_KHOẢN")
        doc = service.document(ix, args.doc)
    if args.json:
        print_json(doc)
        return 0
    print(f"{doc.metadata.get('type') or '?'} {doc.metadata.get('number') or ''} — {doc.metadata.get('title') or ''}")
    for c in doc.clauses:
        tags = ", ".join(t.topic for t in c.tags[:3])
        print(f"{'  ' * (c.level - 1)}{c.address:<14} {c.heading[:80]}" + (f"  [{tags}]" if tags else ""))
    for r in doc.referenced_by:
        print(f"  ← {r.doc_id} {r.clause or ''} [{r.relation}]")
    return 0


def cmd_remove(args) -> int:
    with open_index(args, writable=True) as ix:
        service.remove_document(ix, args.doc, actor=cli_actor())
    print(f"đã xoá {args.doc}")
    return 0


def cmd_status(args) -> int:
    with open_index(args) as ix:
        h = service.health(ix)
    if args.json:
        print_json(h)
    else:
        print(f"{h.documents} văn bản, {h.clauses} điều khoản; mô hình nhúng {h.embedder}; tìm kiếm trên {h.engine},"
              f" kho {h.store}")
    return 0


def cmd_backup(args) -> int:
    m = backup_index(index_dir(args), args.dest)
    print(f"đã sao lưu {m['documents']} văn bản, {m['links']} liên kết ({m['decisions']} quyết định) vào {args.dest}")
    return 0


def cmd_restore(args) -> int:
    with open_index(args, writable=True) as ix:
        info = ix.restore_backup(args.src)
    print(f"đã khôi phục {info['documents']} văn bản và {info['decisions']} quyết định liên kết từ {args.src}")
    return 0


def cmd_migrate(args) -> int:
    m = migrate_engine(index_dir(args), args.to)
    if args.json:
        print_json(m)
    else:
        print(f"đã chuyển tìm kiếm từ {m['from']} sang {m['to']}: {m['documents']} văn bản, {m['clauses']} điều khoản"
              + (f" ({m['written']} điều khoản ghi vào Milvus)" if m["to"] == "milvus" else
                 "; tệp chỉ mục cục bộ được lập lại ở lần mở tới"))
    return 0


def register(sub) -> None:
    p = sub.add_parser("parse", help="đọc một văn bản, in siêu dữ liệu, cây điều khoản và dẫn chiếu")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_parse)

    p = add_index_option(sub.add_parser("ingest", help="nạp tệp hoặc thư mục vào chỉ mục"))
    p.add_argument("paths", nargs="+")
    p.add_argument("--json", action="store_true")
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--reembed", action="store_true", help="nhúng lại toàn bộ bằng mô hình đang cấu hình")
    p.add_argument("--no-tags", action="store_true", help="bỏ qua gắn chủ đề")
    p.set_defaults(func=cmd_ingest)

    p = add_index_option(sub.add_parser("list", help="danh sách văn bản trong chỉ mục"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = add_index_option(sub.add_parser("show", help="một văn bản (cây điều khoản, dẫn chiếu) hoặc một điều khoản"))
    p.add_argument("doc", nargs="?", help="mã văn bản (docsearch list)")
    p.add_argument("--clause", type=int, help="mã điều khoản (clause_id trong kết quả tìm kiếm)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = add_index_option(sub.add_parser("remove", help="xoá một văn bản khỏi chỉ mục"))
    p.add_argument("doc")
    p.set_defaults(func=cmd_remove)

    p = add_index_option(sub.add_parser("status", help="số văn bản, số điều khoản, mô hình nhúng"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = add_index_option(sub.add_parser("backup", help="sao lưu kho của chỉ mục (văn bản, liên kết, quyết định)"))
    p.add_argument("dest")
    p.set_defaults(func=cmd_backup)
    p = add_index_option(sub.add_parser("restore", help="thay chỉ mục bằng một bản sao lưu của `docsearch backup`"))
    p.add_argument("src")
    p.set_defaults(func=cmd_restore)
    p = add_index_option(sub.add_parser(
        "migrate", help="chuyển nơi tìm kiếm của chỉ mục (cục bộ ↔ Milvus); kho văn bản giữ nguyên, không nhúng lại"))
    p.add_argument("--to", required=True, choices=ENGINES)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_migrate)
