"""Word 97–2003 (.doc), RTF and OpenDocument (.odt) files, converted to DOCX by LibreOffice headless and then read
like any DOCX.

Each conversion runs in its own process group with a private LibreOffice profile (so conversions never share or
corrupt one user profile, and several can run at once) and a time limit: a file that makes LibreOffice hang is
killed with its whole group at the limit, and reported."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from docsearch.errors import IngestError

INSTALL_HINT = ("cần LibreOffice để đọc tệp này; hãy cài (Debian/Ubuntu: apt-get install libreoffice-writer-nogui) "
                "hoặc lưu tệp thành .docx hay PDF")
INSTALL_HINT_EN = ("LibreOffice is needed to read this file; install it (Debian/Ubuntu: apt-get install "
                   "libreoffice-writer-nogui) or save the file as .docx or PDF")
KIND_NAMES = {"ole": "Word 97–2003 (.doc)", "rtf": "RTF", "odt": "OpenDocument (.odt)"}
# the import filter is named, so a file that is not what it claims fails instead of being imported as plain text
IMPORT_FILTERS = {"ole": "MS Word 97", "rtf": "Rich Text Format", "odt": "writer8"}


def soffice() -> str | None:
    """The LibreOffice program: $DOCSEARCH_SOFFICE, else soffice / libreoffice on the PATH."""
    configured = os.environ.get("DOCSEARCH_SOFFICE")
    if configured:
        return configured if shutil.which(configured) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def is_encrypted_ole(path: str | Path) -> bool:
    """An OLE file that is password-protected: encrypted OOXML (an EncryptionInfo stream) or a Word 97 document
    whose FIB has fEncrypted set."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            if ole.exists("EncryptionInfo"):
                return True
            if ole.exists("WordDocument"):
                fib = ole.openstream("WordDocument").read(12)
                return len(fib) >= 12 and bool(fib[11] & 0x01)  # FibBase: fEncrypted is bit 0 of byte 11
    except Exception:  # not a readable OLE file: LibreOffice will say what it makes of it
        return False
    return False


def convert_to_docx(path: str, kind: str, timeout: float = 120.0) -> tuple[Path, Path]:
    """Convert a .doc/.rtf/.odt file to DOCX; returns (the DOCX, the temporary folder to remove)."""
    what = KIND_NAMES.get(kind, kind)
    if kind == "ole" and is_encrypted_ole(path):
        raise IngestError(path, f"tệp {what} được đặt mật khẩu; hãy gỡ mật khẩu rồi thử lại",
                          en="the file is password-protected; remove the password and try again")
    program = soffice()
    if program is None:
        raise IngestError(path, f"tệp {what}: {INSTALL_HINT}", en=f"a {what} file: {INSTALL_HINT_EN}")
    work = Path(tempfile.mkdtemp(prefix="docsearch-office-"))
    src = work / ("input" + {"ole": ".doc", "rtf": ".rtf", "odt": ".odt"}.get(kind, ""))
    shutil.copyfile(path, src)  # a plain name: LibreOffice reads some characters of file names badly
    out = work / "out"
    cmd = [program, f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--norestore", "--nologo",
           "--nodefault", "--nolockcheck", f"--infilter={IMPORT_FILTERS[kind]}", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(src)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            env={**os.environ, "HOME": str(work)})
    try:
        _stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        shutil.rmtree(work, ignore_errors=True)
        raise IngestError(path, f"LibreOffice chuyển đổi tệp {what} quá {timeout:g} giây và đã bị dừng; tệp có thể "
                                "hỏng hoặc quá lớn",
                          en=f"LibreOffice took over {timeout:g} s converting the {what} file and was stopped") from None
    result = out / "input.docx"
    if proc.returncode != 0 or not result.exists() or result.stat().st_size == 0:
        shutil.rmtree(work, ignore_errors=True)
        detail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] if stderr else []
        raise IngestError(path, f"LibreOffice không mở được tệp {what}: tệp hỏng, được đặt mật khẩu, hoặc không "
                                "phải văn bản" + (f" ({detail[0][:200]})" if detail else ""),
                          en=f"LibreOffice could not open the {what} file: corrupt, password-protected or not a "
                             "document")
    return result, work
