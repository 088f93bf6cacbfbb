"""OCR for scanned pages with Tesseract (`vie`), page by page, as positioned lines for the layout joiner."""

from __future__ import annotations

import shutil

from docsearch.errors import IngestError
from docsearch.ingest.layout import Line

INSTALL_HINT = (
    "Tesseract OCR is not installed; install it (Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-vie) "
    "and the Python extra (pip install 'docsearch[ocr]')"
)
DPI = 300


def tesseract_available(lang: str = "vie") -> bool:
    if shutil.which("tesseract") is None:
        return False
    try:
        import pytesseract

        return lang in pytesseract.get_languages(config="")
    except Exception:
        return False


def _check(path: str, lang: str) -> None:
    if shutil.which("tesseract") is None:
        raise IngestError(path, "the PDF is scanned (no text layer) and " + INSTALL_HINT)
    try:
        import pytesseract
    except ImportError as exc:
        raise IngestError(path, "the PDF is scanned (no text layer) and " + INSTALL_HINT) from exc
    if lang not in pytesseract.get_languages(config=""):
        raise IngestError(
            path, f"the PDF is scanned and Tesseract lacks the '{lang}' language: apt-get install tesseract-ocr-{lang}"
        )


def ocr_image_lines(image, lang: str = "vie") -> list[Line]:
    """OCR one page image into lines with their boxes (in the image's pixel space)."""
    import pytesseract

    data = pytesseract.image_to_data(image, lang=lang, output_type=pytesseract.Output.DICT, config="--psm 3")
    groups: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if not word or not word.strip():
            continue
        try:
            if float(data["conf"][i]) < 0:
                continue
        except ValueError:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        groups.setdefault(key, []).append(i)
    lines = []
    for idx in groups.values():
        idx.sort(key=lambda i: data["left"][i])
        parts = [data["text"][idx[0]]]
        for a, b in zip(idx, idx[1:]):
            gap = data["left"][b] - (data["left"][a] + data["width"][a])
            parts.append(" | " if gap > 0.05 * image.width else " ")
            parts.append(data["text"][b])
        x0 = min(data["left"][i] for i in idx)
        x1 = max(data["left"][i] + data["width"][i] for i in idx)
        top = min(data["top"][i] for i in idx)
        bottom = max(data["top"][i] + data["height"][i] for i in idx)
        lines.append(Line("".join(parts), x0, x1, top, bottom))
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def ocr_pdf_pages(pdf, page_indexes: list[int], path: str, lang: str = "vie") -> dict[int, tuple[list[Line], float, float]]:
    """OCR the given pages of an open pdfplumber PDF."""
    _check(path, lang)
    out = {}
    for i in page_indexes:
        image = pdf.pages[i].to_image(resolution=DPI).original.convert("L")
        lines = ocr_image_lines(image, lang)
        out[i] = (lines, float(image.height), float(image.width))
    return out
