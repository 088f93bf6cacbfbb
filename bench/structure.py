"""Structure figures on the shared documents: address P/R/F1 against the segmentation gold, law summaries,
PDF/DOCX/scanned versions against their TXT, .doc/.rtf/.odt made by LibreOffice against their DOCX, the scan as a
TIFF against its TXT, metadata against metadata.jsonl.

Usage: python bench/structure.py [--no-ocr]"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import time

from common import SHARED, write_section

from docsearch.structure import parse_file

RAW = SHARED / "corpus" / "raw"
GOLD = SHARED / "eval" / "segmentation"


def prf(pred, gold) -> tuple[float, float, float]:
    p, g = set(pred), set(gold)
    tp = len(p & g)
    if not tp:
        return 0.0, 0.0, 0.0
    P, R = tp / len(p), tp / len(g)
    return P, R, 2 * P * R / (P + R)


def office_and_image_rows(no_ocr: bool) -> list[str]:
    """The shared DOCX files saved by LibreOffice as .doc/.rtf/.odt, read back against the DOCX; the scanned PDF's
    pages rendered as a multi-page TIFF, read back against the TXT."""
    import subprocess
    import tempfile
    from pathlib import Path

    rows = []
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    work = Path(tempfile.mkdtemp(prefix="bench-office-"))
    if soffice:
        for f in sorted((SHARED / "corpus" / "docx").glob("*.docx")):
            base = parse_file(str(f))
            for fmt in ("doc", "rtf", "odt"):
                subprocess.run([soffice, f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--convert-to",
                                fmt, "--outdir", str(work), str(f)], check=True, capture_output=True, timeout=300)
                t = time.perf_counter()
                doc = parse_file(str(work / f"{f.stem}.{fmt}"))
                secs = time.perf_counter() - t
                _, _, F = prf([c.address for c in doc.clauses], [c.address for c in base.clauses])
                same = "metadata equal" if doc.metadata == base.metadata else "metadata differs"
                rows.append(f"| {f.stem}.{fmt} (made by LibreOffice) vs its DOCX: address F1 | {F:.3f} ({same}; {secs:.1f} s) |")
    if not no_ocr and shutil.which("tesseract"):
        import pdfplumber

        with pdfplumber.open(str(SHARED / "corpus" / "pdf" / "nq-10-nqtw-2022.scanned.pdf")) as pdf:
            pages = [p.to_image(resolution=300).original.convert("L") for p in pdf.pages]
        tiff = work / "nq-10-scanned.tiff"
        pages[0].save(tiff, save_all=True, append_images=pages[1:], compression="tiff_lzw")
        t = time.perf_counter()
        doc = parse_file(str(tiff))
        secs = time.perf_counter() - t
        raw = parse_file(str(RAW / "nq-10-nqtw-2022.txt"))
        _, _, F = prf([c.address for c in doc.clauses], [c.address for c in raw.clauses])
        rows.append(f"| the scanned NQ 10 as a {len(pages)}-page TIFF (300 dpi) vs its TXT: address F1 | {F:.3f} ({secs:.1f} s) |")
    shutil.rmtree(work, ignore_errors=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-ocr", action="store_true")
    args = ap.parse_args()
    rows = ["| check | result |", "|---|---|"]
    for stem in ("nq-57-nqtw-2024", "nq-20-nqtw-2012"):
        gold = [json.loads(x)["address"] for x in (GOLD / f"{stem}.jsonl").read_text(encoding="utf-8").splitlines()]
        P, R, F = prf([c.address for c in parse_file(str(RAW / f"{stem}.txt")).clauses], gold)
        rows.append(f"| {stem}: address P / R / F1 vs gold ({len(gold)} clauses) | {P:.2f} / {R:.2f} / {F:.2f} |")
    for stem in ("luat-dat-dai-31-2024-qh15", "luat-nha-o-27-2023-qh15", "nd-100-2024-ndcp"):
        g = json.loads((GOLD / f"{stem}.summary.json").read_text(encoding="utf-8"))
        doc = parse_file(str(RAW / f"{stem}.txt"))
        arts = [c for c in doc.clauses if c.kind == "dieu"]
        chapters: dict[str, list[int]] = {}
        for c in arts:
            chapters.setdefault(c.breadcrumb.split(" › ")[0].removeprefix("Chương "), []).append(int(re.sub(r"\D", "", c.label)))
        want = {k: list(range(int(v.split("-")[0]), int(v.split("-")[1]) + 1)) for k, v in g["dieu_theo_chuong_range"].items()}
        muc = len({" › ".join(c.breadcrumb.split(" › ")[:2]) for c in arts if "Mục" in c.breadcrumb})
        khoan = all(sum(1 for c in doc.clauses if c.parent == a and c.kind == "num") == n for a, n in g["so_khoan_dieu_1_10"].items())
        rows.append(f"| {stem}: Điều {len(arts)}/{g['so_dieu']}, Mục {muc}/{g['so_muc']}, per-Chương lists "
                    f"{'exact' if chapters == want else 'DIFFER'}, khoản of Điều 1–10 {'exact' if khoan else 'DIFFER'} | "
                    f"{'exact' if (len(arts), muc) == (g['so_dieu'], g['so_muc']) and chapters == want and khoan else 'DIFFERS'} |")
    for kind in ("pdf", "docx"):
        for f in sorted((SHARED / "corpus" / kind).glob(f"*.{kind}")):
            if "scanned" in f.name and (args.no_ocr or shutil.which("tesseract") is None):
                continue
            stem = f.name.split(".")[0]
            t = time.perf_counter()
            doc = parse_file(str(f))
            secs = time.perf_counter() - t
            raw = parse_file(str(RAW / f"{stem}.txt"))
            _, _, F = prf([c.address for c in doc.clauses], [c.address for c in raw.clauses])
            same = "metadata equal" if doc.metadata == raw.metadata else "metadata differs"
            rows.append(f"| {f.name} vs its TXT: address F1 | {F:.3f} ({same}; {secs:.1f} s) |")
    rows += office_and_image_rows(args.no_ocr)
    fields = {"so_hieu": "number", "loai": "type", "co_quan": "issuer", "ngay": "date", "trich_yeu": "title", "nguoi_ky": "signer"}
    meta_rows = [json.loads(x) for x in (GOLD / "metadata.jsonl").read_text(encoding="utf-8").splitlines()]
    equal = total = 0
    for r in meta_rows:
        m = parse_file(str(RAW / r["file"])).metadata
        for gk, k in fields.items():
            total += 1
            equal += getattr(m, k) == r[gk]
    rows.append(f"| metadata.jsonl: fields equal to gold ({len(meta_rows)} documents × {len(fields)} fields) | {equal} / {total} |")
    write_section("Structure", "python bench/structure.py", "\n".join(rows))


if __name__ == "__main__":
    main()
