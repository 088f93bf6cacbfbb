"""Tell a file's kind from its content, not its name."""

from __future__ import annotations

_MAGIC = [
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),  # legacy .doc / .xls
    (b"\x7fELF", "elf"),
    (b"MZ", "exe"),
    (b"\x1f\x8b", "gzip"),
    (b"Rar!", "rar"),
    (b"7z\xbc\xaf", "7z"),
]

# kind → (Vietnamese, English)
_DESCRIPTIONS = {
    "png": ("ảnh PNG", "a PNG image"),
    "jpeg": ("ảnh JPEG", "a JPEG image"),
    "gif": ("ảnh GIF", "a GIF image"),
    "tiff": ("ảnh TIFF", "a TIFF image"),
    "ole": ("tệp Office đời cũ (.doc/.xls)", "a legacy Office file (.doc/.xls)"),
    "rtf": ("tệp RTF", "an RTF file"),
    "odt": ("tệp OpenDocument (.odt)", "an OpenDocument text (.odt)"),
    "elf": ("một chương trình chạy được", "an executable program"),
    "exe": ("một chương trình Windows", "a Windows executable"),
    "gzip": ("tệp nén gzip", "a gzip archive"),
    "rar": ("tệp nén RAR", "a RAR archive"),
    "7z": ("tệp nén 7-Zip", "a 7-Zip archive"),
    "zip": ("tệp nén zip", "a zip archive"),
    "pdf": ("tệp PDF", "a PDF file"),
    "html": ("trang HTML", "an HTML page"),
    "binary": ("dữ liệu nhị phân", "binary data"),
}


def sniff(head: bytes) -> str:
    """Return pdf, zip, odt, rtf, ole, png, jpeg, tiff, …, html, text or binary from the first bytes of a file."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            if kind == "zip" and head[30:38] == b"mimetype" and b"opendocument.text" in head[38:120]:
                return "odt"  # an OpenDocument text: its first entry is the mimetype, stored uncompressed
            return kind
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        return "rtf"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml")) or (
        stripped.startswith(b"<") and b"<p" in stripped[:4096]
    ):
        return "html"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"
    sample = head[:8192]
    if not sample:
        return "text"
    nul = sample.count(0)
    if nul and not _looks_utf16(sample):
        return "binary"
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if control / len(sample) > 0.05 and not _looks_utf16(sample):
        return "binary"
    return "text"


def _looks_utf16(sample: bytes) -> bool:
    if len(sample) < 4:
        return False
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) / 2
    return max(even, odd) > 0.3 * half and min(even, odd) < 0.05 * half


def describe(kind: str, lang: str = "vi") -> str:
    vi, en = _DESCRIPTIONS.get(kind, (kind, kind))
    return en if lang == "en" else vi
