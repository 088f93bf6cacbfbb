"""Plain text: UTF-8, UTF-16 and Windows-1258 detected (and TCVN3/VNI font encodings); anything else an error."""

from __future__ import annotations

import codecs
import unicodedata

from docsearch.errors import IngestError
from docsearch.ingest.legacy import common_word_share, detect_and_convert
from docsearch.ingest.sniff import _looks_utf16


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Return (text, encoding name)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_utf16(data[:8192]):
        enc = "utf-16-le" if data[1::2][:4096].count(0) > data[0::2][:4096].count(0) else "utf-16-be"
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            pass
    candidates = []
    for enc in ("cp1258", "cp1252"):
        try:
            text = unicodedata.normalize("NFC", data.decode(enc))
        except UnicodeDecodeError:
            continue
        converted, legacy = detect_and_convert(text)
        candidates.append((common_word_share(converted[:20000]), enc if legacy is None else f"{enc}+{legacy}", text))
    if candidates:
        score, enc, text = max(candidates, key=lambda c: c[0])
        if score >= 0.08:
            return text, enc
    raise IngestError(
        path,
        "văn bản dùng một bảng mã không nhận ra (không phải UTF-8, UTF-16, Windows-1258, TCVN3 hay VNI); hãy lưu "
        "lại dưới dạng UTF-8 rồi thử lại",
        en="the text is in an unknown encoding (not UTF-8, UTF-16, Windows-1258, TCVN3 or VNI); save it as UTF-8 "
           "and try again",
    )
