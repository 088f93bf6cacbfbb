"""OCR with Tesseract (`vie`), page by page, as positioned lines for the layout joiner: the scanned pages of a PDF
(pages with a text layer are read directly), and images — JPEG, PNG, multi-page TIFF — of scans or photos.

A photo of a page is often turned or taken at an angle: an image is first turned upright by Tesseract's
orientation detection (OSD), then deskewed by the angle that makes its text lines most horizontal (the angle whose
row projection has the sharpest profile), before the text is read."""

from __future__ import annotations

import shutil

from docsearch.errors import IngestError
from docsearch.ingest.layout import Line

INSTALL_HINT = ("Tesseract OCR chưa được cài; hãy cài (Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-vie) "
                "và gói Python bổ sung (pip install 'docsearch[ocr]')")
INSTALL_HINT_EN = ("Tesseract OCR is not installed; install it (Debian/Ubuntu: apt-get install tesseract-ocr "
                   "tesseract-ocr-vie) and the Python extra (pip install 'docsearch[ocr]')")
DPI = 300


def tesseract_available(lang: str = "vie") -> bool:
    if shutil.which("tesseract") is None:
        return False
    try:
        import pytesseract

        return lang in pytesseract.get_languages(config="")
    except Exception:
        return False


def _check(path: str, lang: str, what: str = "tệp PDF là bản quét (không có lớp chữ)",
           what_en: str = "the PDF is scanned (no text layer)") -> None:
    try:
        import pytesseract
    except ImportError:
        pytesseract = None
    if shutil.which("tesseract") is None or pytesseract is None:
        raise IngestError(path, f"{what} nên cần OCR: {INSTALL_HINT}", en=f"{what_en} and {INSTALL_HINT_EN}")
    if lang not in pytesseract.get_languages(config=""):
        raise IngestError(path, f"{what} nhưng Tesseract thiếu ngôn ngữ '{lang}': apt-get install tesseract-ocr-{lang}",
                          en=f"{what_en} and Tesseract lacks the '{lang}' language: apt-get install tesseract-ocr-{lang}")


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


def upright(image) -> tuple[object, int]:
    """Turn a page image upright by Tesseract's orientation detection; (image, degrees turned). An image whose
    orientation cannot be told (too little text, no `osd` data) is returned as it is."""
    import pytesseract

    try:
        osd = pytesseract.image_to_osd(image, output_type=pytesseract.Output.DICT, config="--psm 0")
    except Exception:
        return image, 0
    rotate = int(osd.get("rotate", 0)) % 360
    if rotate == 0 or float(osd.get("orientation_conf", 0)) < 1.0:
        return image, 0
    return image.rotate(-rotate, expand=True, fillcolor=255), rotate


def skew_angle(image, limit: float = 8.0) -> float:
    """The small angle (degrees, counter-clockwise) that makes the text lines horizontal: the rotation whose row
    sums of dark pixels vary most sharply from row to row, searched coarse to fine on a reduced copy."""
    import numpy as np

    small = image.convert("L")
    small.thumbnail((900, 900))
    ink = np.asarray(small, dtype=np.float32) < 128
    if ink.mean() < 0.002:
        return 0.0
    from PIL import Image

    mask = Image.fromarray((ink * 255).astype(np.uint8))

    def sharpness(angle: float) -> float:
        rows = np.asarray(mask.rotate(angle, expand=False, fillcolor=0), dtype=np.float32).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    best = max(np.arange(-limit, limit + 0.01, 1.0), key=sharpness)
    best = max(np.arange(best - 1.0, best + 1.01, 0.2), key=sharpness)
    return round(float(best), 1)


def deskew(image) -> tuple[object, float]:
    angle = skew_angle(image)
    if abs(angle) < 1.0:  # Tesseract reads a slight slant well; turning it would only blur the glyphs
        return image, 0.0
    return image.rotate(angle, expand=True, fillcolor=255, resample=3), angle


def ocr_image_file(path: str, lang: str = "vie", max_pages: int = 200) -> tuple[list[str], list[str]]:
    """Read a JPEG, PNG or (multi-page) TIFF: each page turned upright, deskewed and read by OCR."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    from docsearch.ingest.layout import drop_running_lines, paragraphs

    _check(path, lang, "tệp là ảnh chụp/ảnh quét", "the file is an image")
    Image.MAX_IMAGE_PIXELS = 200_000_000  # a page at 600 dpi is ~35 Mpx; more is a decompression bomb
    try:
        img = Image.open(path)
        n = getattr(img, "n_frames", 1)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise IngestError(path, f"không mở được ảnh: tệp hỏng hoặc quá lớn ({type(exc).__name__})",
                          en=f"the image cannot be opened: corrupt or too large ({type(exc).__name__})") from None
    if n > max_pages:
        raise IngestError(path, f"ảnh TIFF có {n} trang, quá giới hạn {max_pages} trang; hãy tách thành nhiều tệp",
                          en=f"the TIFF has {n} pages, over the limit of {max_pages}; split it into several files")
    page_lines, heights, widths, warnings = [], [], [], []
    try:
        for k, frame in enumerate(ImageSequence.Iterator(img)):
            page = frame.convert("L")
            page, turned = upright(page)
            page, angle = deskew(page)
            if turned or angle:
                warnings.append(f"trang {k + 1}: ảnh được xoay {turned}° và chỉnh nghiêng {angle:g}° trước khi đọc")
            try:
                page_lines.append(ocr_image_lines(page, lang))
            except Exception as exc:  # Tesseract refuses the page (too small, unreadable): the others are read
                warnings.append(f"trang {k + 1}: OCR không đọc được ({type(exc).__name__})")
                page_lines.append([])
            heights.append(float(page.height))
            widths.append(float(page.width))
    except (OSError, SyntaxError) as exc:
        raise IngestError(path, f"ảnh bị hỏng giữa chừng ({type(exc).__name__})",
                          en=f"the image is corrupt ({type(exc).__name__})") from None
    page_lines = drop_running_lines(page_lines, heights)
    pages = ["\n".join(paragraphs(lines, w)) for lines, w in zip(page_lines, widths)]
    if not any(p.strip() for p in pages):
        raise IngestError(path, "OCR không tìm thấy chữ nào trong ảnh", en="OCR found no text in the image")
    return pages, warnings
