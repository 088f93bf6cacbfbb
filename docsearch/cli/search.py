"""`docsearch search`: hybrid search over the indexed clauses."""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from docsearch import service
from docsearch.cli.common import add_index_option, open_index, print_json


def cmd_search(args) -> int:
    if args.xlsx:
        with open_index(args) as ix:
            data = service.export_search(ix, args.query, k=args.k, mode=args.mode, doc=args.doc, doc_type=args.type,
                                         issuer=args.issuer, year_from=args.year_from, year_to=args.year_to,
                                         topic=args.topic, address=args.address)
        Path(args.xlsx).write_bytes(data)
        print(f"đã ghi {args.xlsx}", file=sys.stderr)
        return 0
    with open_index(args) as ix:
        out = service.search(ix, args.query, k=args.k, mode=args.mode, doc=args.doc, doc_type=args.type,
                             issuer=args.issuer, year_from=args.year_from, year_to=args.year_to, topic=args.topic,
                             address=args.address)
    if args.json:
        print_json(out)
        return 0
    if out.restored:
        print(f"(đã thêm dấu: {out.restored})")
    if out.pasted_from:
        src = out.pasted_from
        implemented = ", ".join(d.number or d.id for d in out.named_documents)
        print(f"(đoạn này có trong {src.doc_number or src.doc_id} · {src.address}"
              + (f"; kết quả ưu tiên văn bản được thực hiện: {implemented})" if implemented else ")"))
    if not out.hits:
        print("Không tìm thấy kết quả.")
    tty = sys.stdout.isatty()
    for i, h in enumerate(out.hits, 1):
        snip = re.sub(r"<mark>(.*?)</mark>", ("\033[1;33m\\1\033[0m" if tty else "[\\1]"), h.snippet)
        print(f"{i:>2}. {h.doc_number or h.doc_id} · {h.address}   ({h.breadcrumb})   điểm {h.score:.3f}")
        print(f"    {html.unescape(snip)}")
    return 0


def register(sub) -> None:
    p = add_index_option(sub.add_parser("search", help="tìm kiếm kết hợp trên các điều khoản"))
    p.add_argument("query")
    p.add_argument("-k", type=int, default=10)
    p.add_argument("--mode", choices=["hybrid", "bm25", "dense"], default="hybrid")
    p.add_argument("--doc", action="append", help="mã văn bản (lặp lại được)")
    p.add_argument("--type", help="loại văn bản, ví dụ 'Nghị quyết'")
    p.add_argument("--issuer", help="cơ quan ban hành (một phần tên)")
    p.add_argument("--year-from", type=int)
    p.add_argument("--year-to", type=int)
    p.add_argument("--topic", help="mã chủ đề trong bộ chủ đề")
    p.add_argument("--address", help="địa chỉ điều khoản (tiền tố), ví dụ III.2")
    p.add_argument("--json", action="store_true")
    p.add_argument("--xlsx", help="ghi kết quả ra tệp .xlsx (kèm câu trích dẫn từng điều khoản)")
    p.set_defaults(func=cmd_search)
