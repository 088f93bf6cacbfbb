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
    with _index(args, writable=True) as ix:
        tagger = None if args.no_tags else _tagger(ix)
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
    res = run(args.passages, args.queries, modes, workdir=args.workdir, fold_queries=args.fold_queries)
    if args.json:
        for m in modes:
            print(json.dumps(res[m], ensure_ascii=False))
        return 0
    print(f"{'mode':<8} {'MRR@10':>7} {'R@1':>6} {'R@5':>6} {'R@10':>6} {'nDCG@10':>8} {'n':>5}")
    for m in modes:
        r = res[m]
        print(f"{m:<8} {r['MRR@10']:>7.4f} {r['Recall@1']:>6.3f} {r['Recall@5']:>6.3f} {r['Recall@10']:>6.3f} {r['nDCG@10']:>8.4f} {r['n']:>5}")
    return 0


def cmd_backup(args) -> int:
    from docsearch.cli import _index_dir
    from docsearch.index import backup_index

    m = backup_index(_index_dir(args), args.dest)
    print(f"backed up {m['documents']} documents, {m['links']} links ({m['decisions']} decisions) to {args.dest}")
    return 0


def cmd_restore(args) -> int:
    with _index(args, writable=True) as ix:
        info = ix.restore_backup(args.src)
    print(f"restored {info['documents']} documents and {info['decisions']} link decisions from {args.src}")
    return 0


def cmd_decisions(args) -> int:
    with _index(args) as ix:
        rows = ix.store.decisions(include_suggested=args.all)
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    try:
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    finally:
        if args.out:
            out.close()
            print(f"wrote {len(rows)} links to {args.out}", file=sys.stderr)
    return 0


def cmd_eval_search(args) -> int:
    from docsearch.evaluate.search import run

    modes = ["bm25", "dense", "hybrid"] if args.mode == "all" else [args.mode]
    with _index(args) as ix:
        results = [run(args.queries, ix, mode=m) for m in modes]
    if args.json:
        for r in results:
            print(json.dumps({k: v for k, v in r.items() if k != "queries" or args.verbose}, ensure_ascii=False))
        return 0
    print(f"{'mode':<8} {'kind':<14} {'MRR@10':>7} {'nDCG@10':>8} {'Hit@5':>6} {'docs@10':>8} {'n':>4}")
    for r in results:
        for kind, v in sorted(r["kinds"].items(), key=lambda kv: (kv[0] != "all", kv[0])):
            print(f"{r['mode']:<8} {kind:<14} {v['MRR@10']:>7.4f} {v['nDCG@10']:>8.4f} {v['Hit@5']:>6.3f} "
                  f"{v['documents@10']:>8.2f} {v['n']:>4}")
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
    p.add_argument("--no-tags", action="store_true", help="skip topic tagging")
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
    p.add_argument("--fold-queries", action="store_true", help="strip the diacritics from every query first")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval_retrieval)

    p = idx(sub.add_parser("backup", help="copy the index's store (documents, links, decisions) to a folder"))
    p.add_argument("dest")
    p.set_defaults(func=cmd_backup)
    p = idx(sub.add_parser("restore", help="replace the index with a backup made by `docsearch backup`"))
    p.add_argument("src")
    p.set_defaults(func=cmd_restore)
    p = idx(sub.add_parser("decisions", help="every confirmed or rejected link as JSON lines"))
    p.add_argument("--all", action="store_true", help="also the suggestions nobody decided on")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.set_defaults(func=cmd_decisions)

    p = idx(evs.add_parser("search", help="staff-style queries with graded judgements: MRR@10, nDCG@10, Hit@5 per kind"))
    p.add_argument("--queries", required=True, help='JSON lines {"id", "query", "kind", "judgements": {"DOC ADDRESS": 2|1}}')
    p.add_argument("--mode", choices=["hybrid", "bm25", "dense", "all"], default="hybrid")
    p.add_argument("--verbose", action="store_true", help="with --json: every query's scores and top hits")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval_search)

    register_topics(sub, evs)
    register_linking(sub, evs)


# -- topics --------------------------------------------------------------------------------------------------
def _tagger(index=None):
    from docsearch.config import get_settings
    from docsearch.index.cache import EmbeddingCache
    from docsearch.index.embedders import get_embedder
    from docsearch.tagging import get_tagger

    default = Path.home() / ".cache" / "docsearch" / "embeddings.sqlite"
    cache = index.cache if index is not None else EmbeddingCache(get_settings().cache_path(default))
    return get_tagger(embedder=get_embedder(), cache=cache)


def _print_tags(tags, as_json: bool) -> None:
    if as_json:
        print(json.dumps([{"topic": t.topic, "name": t.name, "score": t.score, "evidence": t.evidence} for t in tags],
                         ensure_ascii=False))
        return
    if not tags:
        print("  (không gắn được chủ đề)")
    for t in tags:
        print(f"  {t.topic:<24} {t.score:.2f}  {t.name}")
        for e in t.evidence:
            print(f"      · {e}")


def cmd_tag(args) -> int:
    if args.text is None and args.file is None:
        print("error: give --text \"…\" or a FILE", file=sys.stderr)
        return 2
    tagger = _tagger()
    if args.text is not None:
        _print_tags(tagger.tag_text(args.text), args.json)
        return 0
    from docsearch.structure import parse_file
    from docsearch.structure.passages import passage_text

    doc = parse_file(args.file)
    by_address = {c.address: c for c in doc.clauses}
    vecs = tagger.cache.embed(tagger.embedder, [passage_text(doc, c, by_address) for c in doc.clauses], "passage")
    tagger.tag_document(doc, vectors=vecs)
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
    with _index(args, writable=True) as ix:
        n = ix.retag(_tagger(ix))
    print(f"re-tagged {n} documents")
    return 0


def cmd_topics(args) -> int:
    from docsearch.tagging import load_taxonomy

    with _index(args) as ix:
        if args.topic:
            rows = ix.store.topic_clauses(args.topic, limit=args.k, doc=args.doc)
            info = ix.store.clause_rows([c for c, _ in rows])
            out = [{"clause_id": c, "score": s, "doc_id": info[c]["doc_id"], "address": info[c]["address"],
                    "breadcrumb": info[c]["breadcrumb"], "heading": info[c]["heading"][:200]} for c, s in rows if c in info]
            if args.json:
                print(json.dumps(out, ensure_ascii=False))
            else:
                for r in out:
                    print(f"{r['score']:.2f}  {r['doc_id']} · {r['address']:<12} {r['heading'][:90]}")
            return 0
        counts = ix.store.topic_counts()
    from docsearch.config import get_settings

    tax = load_taxonomy(get_settings().taxonomy)
    rows = [{"topic": t.id, "name": t.name, "clauses": counts.get(t.id, (0, 0))[0], "documents": counts.get(t.id, (0, 0))[1]}
            for t in tax.topics]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        for r in rows:
            print(f"{r['topic']:<24} {r['clauses']:>6} điều khoản {r['documents']:>4} văn bản  {r['name']}")
    return 0


def cmd_eval_tagging(args) -> int:
    from docsearch.evaluate.tagging import run

    modes = ["lexicon", "embedding", "combined"] if args.mode == "all" else [args.mode]
    for m in modes:
        res = run(args.labels, args.docs, mode=m)
        if args.json:
            print(json.dumps(res, ensure_ascii=False))
        else:
            print(f"{m:<10} micro_f1 {res['micro_f1']:.4f}  macro_f1 {res['macro_f1']:.4f}  p_at_1 {res['p_at_1']:.4f}  n {res['n']}")
    return 0


def register_topics(sub, evs) -> None:
    def idx(p):
        p.add_argument("--index", help="index directory (default $DOCSEARCH_INDEX or indexes/default)")
        return p

    p = sub.add_parser("tag", help="tag a text or a document with topics")
    p.add_argument("file", nargs="?")
    p.add_argument("--text")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_tag)

    p = idx(sub.add_parser("retag", help="re-tag the whole index after editing the taxonomy"))
    p.set_defaults(func=cmd_retag)

    p = idx(sub.add_parser("topics", help="topics with clause and document counts; or one topic's clauses"))
    p.add_argument("topic", nargs="?")
    p.add_argument("-k", type=int, default=50)
    p.add_argument("--doc")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_topics)

    p = evs.add_parser("tagging", help="micro-F1, macro-F1, p_at_1 on labelled texts")
    p.add_argument("--labels", required=True)
    p.add_argument("--docs", help="folder of the labelled documents (for context); default: guessed from --labels")
    p.add_argument("--mode", choices=["combined", "lexicon", "embedding", "all"], default="combined")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval_tagging)


# -- linking -------------------------------------------------------------------------------------------------
def cmd_link(args) -> int:
    from docsearch import service
    from docsearch.linking.export import rows_for, to_csv, to_xlsx
    from docsearch.structure import parse_file

    doc = parse_file(args.programme)
    with _index(args, writable=True) as ix:
        result = service.link_programme(ix, doc, args.target, args.top, tagger=_tagger(ix))
        links = result.links
        labels = {t: (ix.store.document_info(t) or {}).get("number") or t for t in result.targets}
        target_label = ", ".join(labels.values())
    if args.xlsx or args.csv:
        rows = rows_for(links, target_label)
        if args.xlsx:
            Path(args.xlsx).write_bytes(to_xlsx(rows))
            print(f"wrote {len(rows)} rows to {args.xlsx}", file=sys.stderr)
        if args.csv:
            Path(args.csv).write_bytes(to_csv(rows))
            print(f"wrote {len(rows)} rows to {args.csv}", file=sys.stderr)
        if not args.json:
            return 0
    if args.json:
        print(json.dumps({"programme": doc.id, "target": result.targets[0], "targets": result.targets, "tasks": [
            {"task": asdict(tl.task), "suggestions": [asdict(s) for s in tl.suggestions]} for tl in links]}, ensure_ascii=False))
        return 0
    print(f"{doc.metadata.number or doc.id} → {target_label}: {len(links)} nhiệm vụ")

    def where(s) -> str:
        return s.address if len(result.targets) == 1 else f"{labels.get(s.doc_id, s.doc_id)} {s.address}"

    for tl in links:
        best = tl.suggestions[0] if tl.suggestions else None
        print(f"{(tl.task.address or tl.task.id):<14} → {where(best) if best else '-':<12} {tl.task.text[:80]}")
        for s in tl.suggestions[1:]:
            print(f"{'':<17}{where(s):<12} ({s.score:.2f}{', trích dẫn' if s.reason == 'citation' else ''})")
    return 0


def cmd_eval_linking(args) -> int:
    from docsearch.evaluate.linking import run

    res = run(args.tasks, args.target, workdir=args.workdir, programme=args.from_programme,
              renumber_seed=args.renumber, cv=not args.no_cv)
    if args.json:
        print(json.dumps(res, ensure_ascii=False))
        return 0
    if args.renumber is not None:
        print(f"programme groups renumbered (seed {args.renumber})")
    for name, r in res.items():
        if "MRR@10" in r:
            print(f"{name:<24} Hit@1 {r['Hit@1']:.4f}  Hit@5 {r['Hit@5']:.4f}  MRR@10 {r['MRR@10']:.4f}  n {r['n']}")
    if "tasks" in res:
        t = res["tasks"]
        print(f"task extraction: {t['extracted']} extracted, {t['gold_tasks']} in the gold; recall {t['recall']:.4f}, "
              f"precision {t['precision']:.4f}" + (f"; missed {t['missed']}" if t["missed"] else "")
              + (f"; not in the gold {t['extra']}" if t["extra"] else ""))
    if "cv_choices" in res:
        print(f"cross-validated: leave-one-group-out over {res['cv_choices']['folds']} programme groups "
              "(parameters chosen on the other groups)")
    return 0


def register_linking(sub, evs) -> None:
    p = sub.add_parser("link", help="link the tasks of an action programme to the clauses of its resolution")
    p.add_argument("programme")
    p.add_argument("--target", action="append",
                   help="target document id, repeatable (default: the documents the programme implements)")
    p.add_argument("--top", type=int, default=5)
    p.add_argument("--json", action="store_true")
    p.add_argument("--xlsx", help="write the task → clause table to this .xlsx file")
    p.add_argument("--csv", help="write the task → clause table to this .csv file")
    p.add_argument("--index", help="index directory (default $DOCSEARCH_INDEX or indexes/default)")
    p.set_defaults(func=cmd_link)

    p = evs.add_parser("linking", help="Hit@1, Hit@5, MRR@10 of task → clause links against gold")
    p.add_argument("--tasks", required=True, help="gold: JSON lines {id, task, source_address, gold}")
    p.add_argument("--target", required=True, help="the target document file")
    p.add_argument("--from-programme", metavar="FILE",
                   help="extract the tasks from the programme file itself (task recall/precision reported)")
    p.add_argument("--renumber", type=int, metavar="SEED", help="permute the programme's group numbers first")
    p.add_argument("--no-cv", action="store_true", help="skip the leave-one-group-out cross-validation")
    p.add_argument("--workdir")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval_linking)
