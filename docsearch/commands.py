"""Subcommands over the index: ingest, search, list, remove, eval."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path


def _index(args, writable: bool = False):
    from docsearch.cli import _index_dir
    from docsearch.index import Index

    return Index(_index_dir(args), writable=writable, reembed=getattr(args, "reembed", False))


def cmd_ingest(args) -> int:
    from tqdm import tqdm

    from docsearch.pipeline import collect_files, ingest_files

    files = collect_files(args.paths)
    if not files:
        print("error: no PDF, DOCX, HTML or text files found in " + ", ".join(args.paths), file=sys.stderr)
        return 2
    tagger = None
    try:
        from docsearch.tagging import get_tagger

        tagger = get_tagger()
    except ImportError:
        pass
    with _index(args, writable=True) as ix:
        bar = tqdm(total=len(files), unit="file", disable=args.quiet or not sys.stderr.isatty(), file=sys.stderr)

        def step(f: Path) -> None:
            bar.set_postfix_str(f.name[:40])
            bar.update(1)

        report = ingest_files(ix, files, tagger=tagger, progress=step)
        bar.close()
    for f, reason in report.failed:
        print(f"error: {f}: {reason}", file=sys.stderr)
    if args.json:
        print(json.dumps(asdict(report), ensure_ascii=False))
    else:
        for f, w in report.warnings:
            print(f"warning: {f}: {w}", file=sys.stderr)
        print(report.summary())
    return 1 if report.failed and not report.added and not report.unchanged else 0


def _hit_dict(h) -> dict:
    d = asdict(h)
    d.pop("components", None)
    return d


def cmd_search(args) -> int:
    import re

    with _index(args) as ix:
        hits = ix.search(args.query, k=args.k, mode=args.mode, doc=args.doc, doc_type=args.type, issuer=args.issuer,
                         year_from=args.year_from, year_to=args.year_to, topic=args.topic,
                         address_prefix=args.address)
    if args.json:
        print(json.dumps([_hit_dict(h) for h in hits], ensure_ascii=False))
        return 0
    if not hits:
        print("Không tìm thấy kết quả.")
    tty = sys.stdout.isatty()
    for i, h in enumerate(hits, 1):
        snip = h.snippet
        snip = re.sub(r"<mark>(.*?)</mark>", ("\033[1;33m\\1\033[0m" if tty else "[\\1]"), snip)
        import html as _html

        print(f"{i:>2}. {h.doc_number or h.doc_id} · {h.address}   ({h.breadcrumb})   score {h.score:.3f}")
        print(f"    {_html.unescape(snip)}")
    return 0


def cmd_list(args) -> int:
    with _index(args) as ix:
        docs = ix.store.documents()
    if args.json:
        print(json.dumps(docs, ensure_ascii=False))
        return 0
    if not docs:
        print("The index is empty: docsearch ingest PATH…")
    for d in docs:
        print(f"{d['id']:<22} {d['type'] or '':<12} {d['date'] or '':<10} {d['clauses']:>5} clauses  {(d['title'] or d['source'])[:70]}")
    return 0


def cmd_remove(args) -> int:
    with _index(args, writable=True) as ix:
        ok = ix.remove(args.doc)
        ix.commit()
    if not ok:
        print(f"error: no document '{args.doc}' in the index", file=sys.stderr)
        return 2
    print(f"removed {args.doc}")
    return 0


def cmd_eval_retrieval(args) -> int:
    from docsearch.evaluate.retrieval import run

    modes = ["bm25", "dense", "hybrid"] if args.mode == "all" else [args.mode]
    res = run(args.passages, args.queries, modes, workdir=args.workdir)
    if args.json:
        for m in modes:
            print(json.dumps(res[m], ensure_ascii=False))
        return 0
    print(f"{'mode':<8} {'MRR@10':>7} {'R@1':>6} {'R@5':>6} {'R@10':>6} {'nDCG@10':>8} {'n':>5}")
    for m in modes:
        r = res[m]
        print(f"{m:<8} {r['MRR@10']:>7.4f} {r['Recall@1']:>6.3f} {r['Recall@5']:>6.3f} {r['Recall@10']:>6.3f} {r['nDCG@10']:>8.4f} {r['n']:>5}")
    return 0


def register(sub) -> None:
    def idx(p):
        p.add_argument("--index", help="index directory (default $DOCSEARCH_INDEX or indexes/default)")
        return p

    p = idx(sub.add_parser("ingest", help="parse and index files or folders"))
    p.add_argument("paths", nargs="+")
    p.add_argument("--json", action="store_true")
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--reembed", action="store_true", help="re-embed everything with the configured embedder")
    p.set_defaults(func=cmd_ingest)

    p = idx(sub.add_parser("search", help="hybrid search over the indexed clauses"))
    p.add_argument("query")
    p.add_argument("-k", type=int, default=10)
    p.add_argument("--mode", choices=["hybrid", "bm25", "dense"], default="hybrid")
    p.add_argument("--doc", action="append", help="document id (repeatable)")
    p.add_argument("--type", help="loại văn bản, e.g. 'Nghị quyết'")
    p.add_argument("--issuer", help="cơ quan ban hành (substring)")
    p.add_argument("--year-from", type=int)
    p.add_argument("--year-to", type=int)
    p.add_argument("--topic", help="topic id from the taxonomy")
    p.add_argument("--address", help="address prefix, e.g. III.2")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = idx(sub.add_parser("list", help="list indexed documents"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = idx(sub.add_parser("remove", help="remove a document from the index"))
    p.add_argument("doc")
    p.set_defaults(func=cmd_remove)

    ev = sub.add_parser("eval", help="evaluate retrieval, tagging or linking on a gold set")
    evs = ev.add_subparsers(dest="what", required=True)
    p = evs.add_parser("retrieval", help="MRR@10, Recall@1/5/10, nDCG@10 on passages + queries")
    p.add_argument("--passages", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("--mode", choices=["hybrid", "bm25", "dense", "all"], default="hybrid")
    p.add_argument("--workdir", help="where the temporary index (and its embedding cache) lives")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval_retrieval)
