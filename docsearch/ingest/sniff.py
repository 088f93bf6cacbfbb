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

_DESCRIPTIONS = {
    "png": "a PNG image",
    "jpeg": "a JPEG image",
    "gif": "a GIF image",
    "tiff": "a TIFF image",
    "ole": "a legacy Office file (.doc/.xls); save it as .docx or PDF",
    "elf": "an executable program",
    "exe": "a Windows executable",
    "gzip": "a gzip archive",
    "rar": "a RAR archive",
    "7z": "a 7-Zip archive",
    "zip": "a zip archive",
    "pdf": "a PDF file",
    "html": "an HTML page",
    "binary": "binary data",
}


def sniff(head: bytes) -> str:
    """Return pdf, zip, png, …, html, text or binary from the first bytes of a file."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
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


def describe(kind: str) -> str:
    return _DESCRIPTIONS.get(kind, kind)
