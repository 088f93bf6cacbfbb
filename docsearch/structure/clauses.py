"""Text → clause tree with canonical addresses (see ADDRESSES.md in the shared conventions).

One pass over the lines with a stack of open clauses. Nesting follows the markers: a marker kind already open
on the stack closes back to a sibling; a new kind opens a child. Law-style `Điều` restart the stack; `Chương`
and `Mục` are containers that only enter breadcrumbs. Appendices (`Phụ lục`, `DANH MỤC`) turn table rows into
clauses addressed by their STT. The header block, `Nơi nhận`, signature and closing sentences are not clauses:
they are returned for the metadata reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docsearch.model import Clause
from docsearch.structure import patterns as P

BULLETS = ("dash", "plus")


@dataclass
class _Open:
    kind: str
    clause: Clause
    counters: dict[str, int] = field(default_factory=dict)
    crumb: str = ""


@dataclass
class Parsed:
    clauses: list[Clause]
    header: list[str]  # lines before the first clause
    tail: list[str]  # Nơi nhận, signature, closing lines
    warnings: list[str]


def _roman_ok(label: str) -> bool:
    return bool(label) and re.fullmatch(P.ROMAN, label) is not None


class _Reader:
    def __init__(self) -> None:
        self.clauses: list[Clause] = []
        self.addresses: set[str] = set()
        self.stack: list[_Open] = []
        self.header: list[str] = []
        self.tail: list[str] = []
        self.warnings: list[str] = []
        self.mode = "body"  # body | tail | appendix
        self.chuong: str | None = None
        self.muc: str | None = None
        self.await_title: str | None = None  # "chuong" | "muc" when the title follows on the next line
        self.quote_depth = 0
        self.quote_lines = 0
        self.appendix: _Open | None = None
        self.appendix_prefix = ""
        self.columns: list[str] = []
        self.row_group: _Open | None = None
        self.last_row: _Open | None = None
        self.last_num_label = ""
        self.seen_clause = False
        self.root_counters: dict[str, int] = {}  # bullet counters of clauses without a parent
        self.ocr = False

    # -- clause creation ------------------------------------------------------------------------------
    def _unique(self, address: str) -> str:
        if address not in self.addresses:
            return address
        for suffix in "bcdefghijklmnopqrstuvwxyz":
            if address + suffix not in self.addresses:
                return address + suffix
        return address + "z"

    def _make(self, kind: str, label: str, line: str, lineno: int, page: int, parent: _Open | None,
              crumb_label: str, address: str | None = None) -> _Open:
        if address is None:
            address = f"{parent.clause.address}.{label}" if parent else label
        address = self._unique(address)
        crumb = f"{parent.crumb} › {crumb_label}" if parent else crumb_label
        clause = Clause(
            address=address,
            label=label,
            level=(parent.clause.level + 1) if parent else 1,
            heading=line,
            text=line,
            breadcrumb=crumb,
            parent=parent.clause.address if parent else None,
            page=page,
            line=lineno,
            kind=kind,
        )
        self.clauses.append(clause)
        self.addresses.add(address)
        self.seen_clause = True
        return _Open(kind, clause, crumb=crumb)

    def _law_prefix(self) -> str:
        parts = [p for p in (self.chuong, self.muc) if p]
        return " › ".join(parts)

    def open_party(self, kind: str, label: str, line: str, lineno: int, page: int) -> None:
        kinds = [o.kind for o in self.stack]
        if kind in kinds:
            del self.stack[kinds.index(kind):]
        elif kind not in BULLETS:
            while self.stack and self.stack[-1].kind in BULLETS:
                self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        if kind == "num" and self.ocr:
            label = self._ocr_sequence(parent, label)
        if kind in BULLETS:
            counters = parent.counters if parent else self.root_counters
            counters[kind] = counters.get(kind, 0) + 1
            label = ("-" if kind == "dash" else "+") + str(counters[kind])
        crumb_label = label
        if parent and parent.kind == "dieu" or (parent and parent.crumb.startswith(("Chương", "Điều"))):
            crumb_label = {"num": f"khoản {label}", "letter": f"điểm {label}"}.get(kind, label)
        opened = self._make(kind, label, line, lineno, page, parent, crumb_label)
        self.stack.append(opened)

    # digits OCR confuses with one another
    _CONFUSABLE = {("9", "5"), ("5", "9"), ("8", "3"), ("3", "8"), ("6", "5"), ("5", "6"), ("1", "7"), ("7", "1"),
                   ("0", "8"), ("8", "0"), ("4", "1"), ("2", "7")}

    def _ocr_sequence(self, parent: _Open | None, label: str) -> str:
        """In OCR text, a numbered item out of sequence by a confusable digit takes the expected number."""
        prefix = parent.clause.address + "." if parent else ""
        siblings = [c for c in self.clauses if c.parent == (parent.clause.address if parent else None) and c.kind == "num"]
        if not siblings or not siblings[-1].label.isdigit() or not label.isdigit():
            return label
        expected = str(int(siblings[-1].label) + 1)
        if label != expected and len(label) == len(expected) and prefix + label not in self.addresses:
            diff = [(a, b) for a, b in zip(label, expected) if a != b]
            if len(diff) == 1 and diff[0] in self._CONFUSABLE:
                return expected
        return label

    def open_dieu(self, label: str, line: str, lineno: int, page: int) -> None:
        self.stack.clear()
        address = f"Điều {label}"
        prefix = self._law_prefix()
        opened = self._make("dieu", address, line, lineno, page, None, address, address=address)
        opened.crumb = f"{prefix} › {address}" if prefix else address
        opened.clause.breadcrumb = opened.crumb
        self.stack.append(opened)

    def add_body(self, line: str) -> None:
        if self.stack:
            c = self.stack[-1].clause
            c.text = f"{c.text}\n{line}"
        elif self.appendix is not None:
            c = self.appendix.clause
            c.text = f"{c.text}\n{line}"
        elif not self.seen_clause:
            self.header.append(line)

    # -- appendix tables --------------------------------------------------------------------------------
    def open_appendix(self, label: str, line: str, lineno: int, page: int) -> None:
        self.stack.clear()
        self.mode = "appendix"
        self.chuong = self.muc = None
        address = f"PL-{label}" if label != "DM" else "DM"
        crumb = f"Phụ lục {label}" if label != "DM" else "Danh mục"
        self.appendix = self._make("appendix", address, line, lineno, page, None, crumb, address=address)
        self.appendix_prefix = self.appendix.clause.address
        self.columns = []
        self.row_group = None
        self.last_row = None
        self.last_num_label = ""

    def add_row(self, cells: list[str], line: str, lineno: int, page: int) -> None:
        assert self.appendix is not None
        first = cells[0].strip().rstrip(".").strip()
        if first.lower() in P.TABLE_HEADER_FIRST or (not self.columns and not re.match(r"^[\dIVXLC]", first) and first):
            self.columns = [c.strip() for c in cells]
            return
        text = cells[1].strip() if len(cells) > 1 else ""
        fields = {}
        for i, cell in enumerate(cells[2:], start=2):
            name = self.columns[i] if i < len(self.columns) and self.columns[i] else f"cột {i + 1}"
            if cell.strip():
                fields[name] = cell.strip()
        if _roman_ok(first) and not first.isdigit():
            opened = self._make("rowgroup", first, line, lineno, page, self.appendix, first)
            opened.clause.text = text
            opened.clause.heading = text
            opened.clause.fields = fields
            self.row_group = opened
            self.last_row = None
            return
        parent = self.row_group or self.appendix
        if re.fullmatch(r"\d+(?:\.\d+)+", first):
            head, _, tail_label = first.rpartition(".")
            base = self.last_row if self.last_row and self.last_row.clause.label == head else None
            label = tail_label if base else first
            parent = base or parent
        elif re.fullmatch(r"\d+", first):
            label = first
            self.last_num_label = first
        elif first == "":
            base_label = self.last_num_label or "0"
            label = base_label + "b"
        elif re.fullmatch(r"[a-zđ]\)?", first) and self.last_row is not None:
            label = first.rstrip(")")
            parent = self.last_row
        else:
            label = first
        opened = self._make("row", label, line, lineno, page, parent, label)
        opened.clause.text = text
        opened.clause.heading = text
        opened.clause.fields = fields
        if re.fullmatch(r"\d+", first):
            self.last_row = opened

    # -- main loop --------------------------------------------------------------------------------------
    def feed(self, raw: str, lineno: int, page: int) -> None:
        line = raw.strip()
        if not line or P.SEPARATOR_RE.match(line):
            return
        if self.await_title:
            self.await_title = None
            if P.is_mostly_upper(line) and not P.DIEU_RE.match(line):
                return  # the title line of a Chương or Mục: part of neither address nor breadcrumb
        # quoted blocks (amending laws quote whole articles): their markers are not clauses
        if self.quote_depth > 0:
            m = P.DIEU_RE.match(line)
            current = self.stack[0].clause.label if self.stack and self.stack[0].kind == "dieu" else None
            if m and current and _next_article(current, m.group(1)) or self.quote_lines > 80:
                self.quote_depth = 0
            else:
                self._update_quote(line)
                self.add_body(line)
                return
        if line.startswith(("“", '"')):
            self._update_quote(line)
            self.add_body(line)
            return

        if P.NOINHAN_RE.match(line) or (P.SIGN_RE.match(line) and self.mode != "appendix"):
            self.mode = "tail"
            self.tail.append(line)
            return
        if P.CLOSING_RE.match(line):
            self.tail.append(line)
            if line.lower().startswith(("luật", "bộ luật", "pháp lệnh")):
                self.mode = "tail"
            return

        m = P.PHULUC_RE.match(line)
        if m and (m.group(1) or P.is_mostly_upper(line)) and not line.lower().startswith("phụ lục này"):
            self.open_appendix(m.group(1) or "I", line, lineno, page)
            return
        if P.DANHMUC_RE.match(line) and P.is_mostly_upper(line):
            if self.mode == "appendix" and self.appendix is not None and not any(
                c.parent == self.appendix.clause.address for c in self.clauses[-3:]
            ) and len(self.clauses) and self.clauses[-1] is self.appendix.clause:
                self.appendix.clause.text += "\n" + line
                return
            self.open_appendix("DM", line, lineno, page)
            return

        if self.mode == "appendix":
            if " | " in line or line.startswith("|"):
                cells = [c.strip() for c in re.split(r"\s*\|\s*", line)]
                if len(cells) >= 2:
                    self.add_row(cells, line, lineno, page)
                    return
            if P.CAPTION_RE.match(line):
                return
            m = P.ROMAN_RE.match(line)
            if not (m and _roman_ok(m.group(1)) and m.group(2)):
                if self.appendix is not None and self.appendix.clause.text.count("\n") < 3:
                    self.appendix.clause.text += "\n" + line
                return
            self.mode = "body"
            self.appendix = None

        if self.mode == "tail":
            m = P.ROMAN_RE.match(line)
            if m and _roman_ok(m.group(1)) and m.group(2) and len(line) < 300:
                self.mode = "body"
                self.stack.clear()
                self.root_counters = {}
                self.chuong = self.muc = None
            elif P.CHUONG_RE.match(line) or P.DIEU_RE.match(line):
                self.mode = "body"
            else:
                self.tail.append(line)
                return

        self.body_line(line, lineno, page)

    def _update_quote(self, line: str) -> None:
        self.quote_depth = max(0, self.quote_depth + line.count("“") - line.count("”"))
        if line.startswith('"') and line.count('"') % 2 == 1:
            self.quote_depth = max(self.quote_depth, 1)
        elif '"' in line and line.rstrip(".;,").endswith('"') and not line.startswith(("“", '"')):
            self.quote_depth = 0
        self.quote_lines = self.quote_lines + 1 if self.quote_depth else 0

    def body_line(self, line: str, lineno: int, page: int) -> None:
        in_law = bool(self.stack) and self.stack[0].kind == "dieu"
        m = P.CHUONG_RE.match(line)
        if m:
            self.stack.clear()
            self.chuong = f"Chương {m.group(1)}"
            self.muc = None
            if not m.group(2):
                self.await_title = "chuong"
            return
        m = P.MUC_RE.match(line)
        if m and (self.chuong or in_law):
            self.stack.clear()
            self.muc = f"Mục {m.group(1)}"
            if not m.group(2):
                self.await_title = "muc"
            return
        m = P.DIEU_RE.match(line)
        if m:
            self.open_dieu(m.group(1), line, lineno, page)
            return
        if not in_law:
            m = P.ROMAN_RE.match(line)
            if m and _roman_ok(m.group(1)) and m.group(2) and not P.NUM_RE.match(line):
                self.open_section("roman", m.group(1), line, lineno, page)
                return
            m = P.LETTER_SECTION_RE.match(line)
            if m and P.is_mostly_upper(m.group(2)) and m.group(1) not in "IVX":
                self.open_section("lsec", m.group(1), line, lineno, page)
                return
        m = P.NUM2_RE.match(line)
        if m:
            a, b, c = m.group(1), m.group(2), m.group(3)
            kinds = [o.kind for o in self.stack]
            parent_idx = None
            for i in range(len(self.stack) - 1, -1, -1):
                if self.stack[i].kind == "num" and self.stack[i].clause.label == a:
                    parent_idx = i
                    break
            if parent_idx is not None and c is None:
                del self.stack[parent_idx + 1:]
                self._push("num2", b, line, lineno, page)
                return
            if c is not None and "num2" in kinds:
                idx = kinds.index("num2")
                del self.stack[idx + 1:]
                self._push("num3", c, line, lineno, page)
                return
            self.open_party("num2", f"{a}.{b}" if c is None else f"{a}.{b}.{c}", line, lineno, page)
            return
        m = P.NUM_RE.match(line)
        if m:
            self.open_party("num", m.group(1), line, lineno, page)
            return
        m = P.LETTER_RE.match(line) or P.LETTER_ALT_RE.match(line)
        if m:
            self.open_party("letter", m.group(1), line, lineno, page)
            return
        m = P.DASH_RE.match(line)
        if m and m.group(1):
            self.open_party("dash", "", line, lineno, page)
            return
        m = P.PLUS_RE.match(line)
        if m and m.group(1):
            self.open_party("plus", "", line, lineno, page)
            return
        self.add_body(line)

    def _push(self, kind: str, label: str, line: str, lineno: int, page: int) -> None:
        parent = self.stack[-1] if self.stack else None
        opened = self._make(kind, label, line, lineno, page, parent, label)
        self.stack.append(opened)

    def open_section(self, kind: str, label: str, line: str, lineno: int, page: int) -> None:
        kinds = [o.kind for o in self.stack]
        if kind in kinds:
            del self.stack[kinds.index(kind):]
        elif kind == "lsec":
            self.stack.clear()
        else:
            # a Roman section nests only inside a letter section
            keep = kinds.index("lsec") + 1 if "lsec" in kinds else 0
            del self.stack[keep:]
        self.chuong = self.muc = None
        self._push(kind, label, line, lineno, page)


def _next_article(current: str, candidate: str) -> bool:
    try:
        return int(re.sub(r"\D", "", candidate)) == int(re.sub(r"\D", "", current.split()[-1])) + 1
    except ValueError:
        return False


def read_clauses(text: str, ocr: bool = False) -> Parsed:
    """Read the clause tree of a normalised text (pages separated by form feeds)."""
    reader = _Reader()
    reader.ocr = ocr
    reader.root_counters = {}
    page = 1
    lineno = 0
    for chunk_index, chunk in enumerate(text.split("\f")):
        page = chunk_index + 1
        for raw in chunk.split("\n"):
            lineno += 1
            reader.feed(raw, lineno, page)
    for c in reader.clauses:
        c.text = c.text.strip()
    return Parsed(reader.clauses, reader.header, reader.tail, reader.warnings)
