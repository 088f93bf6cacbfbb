"""Subcommands over linking: link (a programme file or a list of tasks), links, confirm, reject, coverage,
export, decisions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from docsearch import service
from docsearch.cli.common import add_index_option, cli_actor, open_index, print_json
from docsearch.errors import InvalidRequestError
from docsearch.service import TaskInput


def read_task_file(path: str) -> list[TaskInput]:
    """Tasks from a file: JSON lines ({"text", "group"?, "group_heading"?}) or plain text, one task per line."""
    items = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("{"):
            d = json.loads(line)
            items.append(TaskInput(text=d["text"], group=d.get("group"), group_heading=d.get("group_heading", "")))
        else:
            items.append(TaskInput(text=line))
    return items


def cmd_link(args) -> int:
    if (args.programme is None) == (args.tasks is None):
        raise InvalidRequestError("hãy nêu một tệp chương trình, hoặc --tasks TỆP (mỗi dòng một nhiệm vụ)")
    with open_index(args, writable=True) as ix:
        if args.programme is not None:
            view = service.link_programme_file(ix, args.programme, args.target, top=args.top, actor=cli_actor())
        else:
            result = service.link_task_list(ix, read_task_file(args.tasks), args.target or [], top=args.top,
                                            actor=cli_actor())
            view = service.link_view(ix, result)
        labels = {t: (d.number or t) for t in view.targets for d in service.documents(ix) if d.id == t}
        for fmt in ("xlsx", "csv", "docx"):
            out = getattr(args, fmt)
            if out:
                Path(out).write_bytes(service.export_links(ix, fmt, programme=view.programme))
                print(f"đã ghi bảng liên kết vào {out}", file=sys.stderr)
    if args.json:
        print_json(view)
        return 0
    if args.xlsx or args.csv or args.docx:
        return 0
    print(f"{view.programme} → {', '.join(labels.get(t, t) for t in view.targets)}: {len(view.tasks)} nhiệm vụ")

    def where(s) -> str:
        return s.address if len(view.targets) == 1 else f"{labels.get(s.doc_id, s.doc_id)} {s.address}"

    for t in view.tasks:
        best = t.suggestions[0] if t.suggestions else None
        print(f"{(t.address or t.id):<14} → {where(best) if best else '-':<12} {t.text[:80]}")
        for s in t.suggestions[1:]:
            print(f"{'':<17}{where(s):<12} ({s.score:.2f}{', trích dẫn' if s.reason == 'citation' else ''})")
    return 0


def cmd_links(args) -> int:
    with open_index(args) as ix:
        rows = service.links(ix, programme=args.programme, target=args.target, status=args.status)
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        print(f"{r.id:>6} {r.status:<10} {r.task_doc} {r.task_address or ''} → {r.target_doc} {r.clause_address}")
    return 0


def _set_status(args, status: str) -> int:
    with open_index(args, writable=True) as ix:
        row = service.set_link_status(ix, args.link_id, status, actor=cli_actor())
    if args.json:
        print_json(row)
    else:
        print(f"liên kết {row.id}: {row.task_address or row.task_doc} → {row.target_doc} {row.clause_address} "
              f"[{row.status}]")
    return 0


def cmd_confirm(args) -> int:
    return _set_status(args, "confirmed")


def cmd_reject(args) -> int:
    return _set_status(args, "rejected")


def cmd_coverage(args) -> int:
    with open_index(args) as ix:
        cov = service.coverage_of(ix, args.doc)
        if args.docx:
            Path(args.docx).write_bytes(service.export_coverage_docx(ix, args.doc))
            print(f"đã ghi {args.docx}", file=sys.stderr)
            return 0
    if args.json:
        print_json(cov)
        return 0
    for r in cov.rows:
        mark = "✓" if r.confirmed + r.suggested else "·"
        print(f"{mark} {'  ' * (r.level - 1)}{r.address:<12} {r.confirmed:>3} xác nhận {r.suggested:>3} đề xuất  "
              f"{r.heading[:70]}")
    print(f"chưa có nhiệm vụ: {', '.join(cov.uncovered) or 'không'}")
    return 0


def cmd_export(args) -> int:
    fmt = args.out.lower().rsplit(".", 1)[-1]
    fmt = fmt if fmt in ("csv", "docx") else "xlsx"
    with open_index(args) as ix:
        data = service.export_links(ix, fmt, programme=args.programme, target=args.target)
    Path(args.out).write_bytes(data)
    print(f"đã ghi {args.out}", file=sys.stderr)
    return 0


def cmd_decisions(args) -> int:
    with open_index(args) as ix:
        rows = service.decisions(ix, include_suggested=args.all)
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    try:
        for r in rows:
            out.write(r.model_dump_json() + "\n")
    finally:
        if args.out:
            out.close()
            print(f"đã ghi {len(rows)} liên kết vào {args.out}", file=sys.stderr)
    return 0


def register(sub) -> None:
    p = add_index_option(sub.add_parser("link", help="liên kết nhiệm vụ của một chương trình hành động (hoặc một "
                                                     "danh sách nhiệm vụ) với điều khoản của nghị quyết"))
    p.add_argument("programme", nargs="?", help="tệp chương trình hành động")
    p.add_argument("--tasks", help="tệp danh sách nhiệm vụ: mỗi dòng một nhiệm vụ, hoặc JSON lines {text, group}")
    p.add_argument("--target", action="append",
                   help="mã văn bản đích, lặp lại được (mặc định: các văn bản mà chương trình thực hiện)")
    p.add_argument("--top", type=int, default=5)
    p.add_argument("--json", action="store_true")
    p.add_argument("--xlsx", help="ghi bảng nhiệm vụ → điều khoản ra tệp .xlsx")
    p.add_argument("--csv", help="ghi bảng nhiệm vụ → điều khoản ra tệp .csv")
    p.add_argument("--docx", help="ghi phụ lục đối chiếu (STT | Nhiệm vụ | Điều khoản | Trạng thái) ra tệp .docx")
    p.set_defaults(func=cmd_link)

    p = add_index_option(sub.add_parser("links", help="các liên kết đã lưu"))
    p.add_argument("--programme")
    p.add_argument("--target")
    p.add_argument("--status", choices=list(service.STATUSES))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_links)

    for name, func, text in (("confirm", cmd_confirm, "xác nhận một liên kết"), ("reject", cmd_reject, "loại một liên kết")):
        p = add_index_option(sub.add_parser(name, help=text))
        p.add_argument("link_id", type=int)
        p.add_argument("--json", action="store_true")
        p.set_defaults(func=func)

    p = add_index_option(sub.add_parser("coverage", help="mức bao phủ một nghị quyết: điều khoản nào có, chưa có nhiệm vụ"))
    p.add_argument("doc")
    p.add_argument("--json", action="store_true")
    p.add_argument("--docx", help="ghi báo cáo bao quát ra tệp .docx")
    p.set_defaults(func=cmd_coverage)

    p = add_index_option(sub.add_parser("export", help="xuất bảng liên kết ra .xlsx, .csv hoặc .docx"))
    p.add_argument("out", help="tệp ra (.xlsx, .csv, hoặc .docx: phụ lục đối chiếu, cần --programme)")
    p.add_argument("--programme")
    p.add_argument("--target")
    p.set_defaults(func=cmd_export)

    p = add_index_option(sub.add_parser("decisions", help="mọi liên kết đã xác nhận hoặc đã loại, JSON lines"))
    p.add_argument("--all", action="store_true", help="cả những đề xuất chưa ai quyết định")
    p.add_argument("--out", help="ghi ra tệp này thay vì đầu ra chuẩn")
    p.set_defaults(func=cmd_decisions)
