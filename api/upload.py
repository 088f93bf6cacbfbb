"""Uploads: bounded size checked while reading (never read whole first), kind checked by content."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import HTTPException, UploadFile

from docsearch.config import get_settings
from docsearch.ingest.sniff import describe, sniff

ALLOWED = {"pdf": ".pdf", "zip": ".docx", "html": ".html", "text": ".txt", "ole": ".doc", "rtf": ".rtf", "odt": ".odt",
           "png": ".png", "jpeg": ".jpg", "tiff": ".tif"}


async def save_upload(file: UploadFile) -> tuple[Path, str]:
    """Write the upload to a private temp file; returns (path, safe display name). The caller removes it."""
    limit = get_settings().max_upload_mb * 1024 * 1024
    head = await file.read(8192)
    kind = sniff(head)
    if kind not in ALLOWED:
        raise HTTPException(415, f"không nhận tệp này: nội dung là {describe(kind)}; hãy tải lên PDF, DOCX, DOC, ODT, RTF, "
                                 "HTML, văn bản hoặc ảnh chụp (JPEG, PNG, TIFF)")
    name = Path(file.filename or "upload").name[:200] or "upload"
    fd, tmp = tempfile.mkstemp(prefix="docsearch-upload-", suffix=ALLOWED[kind])
    size = len(head)
    with open(fd, "wb") as out:
        out.write(head)
        while True:
            chunk = await file.read(1024 * 1024)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                out.close()
                Path(tmp).unlink(missing_ok=True)
                raise HTTPException(413, f"tệp tải lên vượt giới hạn {get_settings().max_upload_mb} MB")
            out.write(chunk)
    return Path(tmp), name
