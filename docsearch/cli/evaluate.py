"""`docsearch eval …`: retrieval, staff-style search, tagging and linking measured on gold sets."""

from __future__ import annotations

import json

from docsearch.cli.common import add_index_option, open_index


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


def cmd_eval_search(args) -> int:
    from docsearch.evaluate.search import run

    modes = ["bm25", "dense", "hybrid"] if args.mode == "all" else [args.mode]
    with open_index(args) as ix:
        results = [run(args.queries, ix, mode=m) for m in modes]
    if args.json:
        for r in results:
            print(json.dumps({k: v for k, v in r.items() if k != "queries" or args.verbose}, ensure_ascii=False))
        return 0
    print(f"{'mode':<8} {'kind':<14} {'MRR@10':>7} {'nDCG@10':>8} {'Hit@5':>6} {'docs@10':>8} {'judged@10':>9} {'n':>4}")
    for r in results:
        for kind, v in sorted(r["kinds"].items(), key=lambda kv: (kv[0] != "all", kv[0])):
            print(f"{r['mode']:<8} {kind:<14} {v['MRR@10']:>7.4f} {v['nDCG@10']:>8.4f} {v['Hit@5']:>6.3f} "
                  f"{v['documents@10']:>8.2f} {v['judged@10']:>9.2f} {v['n']:>4}")
    return 0


def cmd_eval_tagging(args) -> int:
    from docsearch.evaluate.tagging import run

    modes = ["lexicon", "embedding", "combined"] if args.mode == "all" else [args.mode]
    for m in modes:
        res = run(args.labels, args.docs, mode=m, abbreviated=args.abbreviated)
        if args.json:
            print(json.dumps(res, ensure_ascii=False))
        else:
            print(f"{m:<10} micro_f1 {res['micro_f1']:.4f}  macro_f1 {res['macro_f1']:.4f}  p_at_1 {res['p_at_1']:.4f}  n {res['n']}")
            if args.per_topic:  # weakest first
                for t, r in sorted(res["per_topic"].items(), key=lambda kv: (kv[1]["f1"], kv[0])):
                    print(f"  {t:<28} P {r['precision']:.2f}  R {r['recall']:.2f}  F1 {r['f1']:.2f}  n {r['support']}")
    return 0


def cmd_eval_linking(args) -> int:
    from docsearch.evaluate.linking import run

    res = run(args.tasks, args.target, workdir=args.workdir, programme=args.from_programme,
              renumber_seed=args.renumber, cv=not args.no_cv, abbreviated=args.abbreviated)
    if args.json:
        print(json.dumps(res, ensure_ascii=False))
        return 0
    if args.renumber is not None:
        print(f"programme groups renumbered (seed {args.renumber})")
    if args.abbreviated:
        print(f"tasks and group headings written with abbreviations ({res['abbreviation']['tasks_changed']} of "
              f"{res['abbreviation']['tasks']} tasks changed)")
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


def register(sub) -> None:
    ev = sub.add_parser("eval", help="đo chất lượng tìm kiếm, gắn chủ đề, liên kết trên bộ dữ liệu chuẩn")
    evs = ev.add_subparsers(dest="what", required=True)
    p = evs.add_parser("retrieval", help="MRR@10, Recall@1/5/10, nDCG@10 on passages + queries")
    p.add_argument("--passages", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("--mode", choices=["hybrid", "bm25", "dense", "all"], default="hybrid")
    p.add_argument("--workdir", help="where the temporary index (and its embedding cache) lives")
    p.add_argument("--fold-queries", action="store_true", help="strip the diacritics from every query first")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval_retrieval)

    p = add_index_option(evs.add_parser(
        "search", help="staff-style queries with graded judgements: MRR@10, nDCG@10, Hit@5 per kind"))
    p.add_argument("--queries", required=True, help='JSON lines {"id", "query", "kind", "judgements": {"DOC ADDRESS": 2|1|0}, '
                   '"pool_judgements"?: {...}} (0 = judged not relevant)')
    p.add_argument("--mode", choices=["hybrid", "bm25", "dense", "all"], default="hybrid")
    p.add_argument("--verbose", action="store_true", help="with --json: every query's scores and top hits")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval_search)

    p = evs.add_parser("tagging", help="micro-F1, macro-F1, p_at_1 on labelled texts")
    p.add_argument("--labels", required=True)
    p.add_argument("--docs", help="folder of the labelled documents (for context); default: guessed from --labels")
    p.add_argument("--mode", choices=["combined", "lexicon", "embedding", "all"], default="combined")
    p.add_argument("--per-topic", action="store_true", help="precision, recall and F1 of each topic, weakest first")
    p.add_argument("--abbreviated", action="store_true",
                   help="the labels written with abbreviations as provincial programmes write them (Sở KH&CN, CĐS)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval_tagging)

    p = evs.add_parser("linking", help="Hit@1, Hit@5, MRR@10 of task → clause links against gold")
    p.add_argument("--tasks", required=True, help="gold: JSON lines {id, task, source_address, gold}")
    p.add_argument("--target", required=True, help="the target document file")
    p.add_argument("--from-programme", metavar="FILE",
                   help="extract the tasks from the programme file itself (task recall/precision reported)")
    p.add_argument("--renumber", type=int, metavar="SEED", help="permute the programme's group numbers first")
    p.add_argument("--abbreviated", action="store_true",
                   help="write the tasks with abbreviations first, as provincial programmes do (Sở KH&CN, CĐS)")
    p.add_argument("--no-cv", action="store_true", help="skip the leave-one-group-out cross-validation")
    p.add_argument("--workdir")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval_linking)
