"""HTML: visible text of the main content, navigation and scripts stripped, table rows as "cell | cell"."""

from __future__ import annotations

import re

from docsearch.errors import IngestError

_DROP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "iframe", "svg", "button", "menu"}
_BLOCK = {
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section", "article",
    "blockquote", "pre", "dd", "dt", "ul", "ol", "main", "body",
}


_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)


def _decode(data: bytes, path: str) -> str:
    m = _CHARSET_RE.search(data[:4096])
    if m:
        try:
            return data.decode(m.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    from docsearch.ingest.text import decode

    return decode(data, path)[0]


def extract_html(data: bytes, path: str) -> tuple[list[str], list[str]]:
    from lxml import etree, html

    text = re.sub(r"^\s*<\?xml[^>]*>", "", _decode(data, path))
    try:
        parser = html.HTMLParser(remove_comments=True, huge_tree=False)
        root = html.document_fromstring(text, parser=parser)
    except Exception as exc:
        raise IngestError(path, f"không phân tích được trang HTML ({type(exc).__name__})",
                          en=f"the HTML cannot be parsed ({type(exc).__name__})") from exc
    main = root.find(".//main") or root.find(".//article")
    start = main if main is not None else root
    parts: list[str] = []
    skip_depth = 0
    # iterative walk: documents with deeply nested tags must not exhaust the recursion limit
    for event, el in etree.iterwalk(start, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if event == "start":
            if tag in _DROP:
                skip_depth += 1
            if tag in ("td", "th") and skip_depth == 0 and parts and not parts[-1].endswith("\n"):
                parts.append(" | ")
            if skip_depth == 0 and el.text and tag not in _DROP:
                parts.append(el.text)
        else:
            if tag in _BLOCK and skip_depth == 0:
                parts.append("\n")
            if tag in _DROP:
                skip_depth -= 1
            if skip_depth == 0 and el.tail:
                parts.append(el.tail)
    lines = []
    for ln in "".join(parts).split("\n"):
        ln = " ".join(ln.split()).strip(" |")
        if ln:
            lines.append(ln.replace("| |", "|"))
    if not lines:
        raise IngestError(path, "trang HTML không có chữ", en="the HTML page contains no text")
    return ["\n".join(lines)], []
