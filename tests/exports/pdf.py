"""Reading an exported PDF back: its text, metadata and structure."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pypdf


@dataclass
class ReadPdf:
    reader: pypdf.PdfReader
    pages: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.pages)

    def page_with(self, words: str) -> str:
        return next(page for page in self.pages if words in page)

    @property
    def xmp(self) -> str:
        return self.reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()

    @property
    def pdfa(self) -> tuple[str, str]:
        part = re.search(r'pdfaid:part="?(\d)', self.xmp)
        conformance = re.search(r'pdfaid:conformance="?(\w)', self.xmp)
        return (part[1] if part else "", conformance[1] if conformance else "")

    @property
    def language(self) -> str:
        return str(self.reader.trailer["/Root"].get("/Lang", ""))

    @property
    def title(self) -> str:
        return str(self.reader.metadata.title or "")

    def fonts(self) -> set[tuple[str, bool]]:
        """(font name, embedded) for every font the pages use."""
        found = set()
        for page in self.reader.pages:
            for font in page["/Resources"].get("/Font", {}).values():
                font = font.get_object()
                descendants = font.get("/DescendantFonts")
                described = (descendants[0].get_object() if descendants else font).get(
                    "/FontDescriptor"
                )
                descriptor = described.get_object() if described else {}
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                found.add((str(font.get("/BaseFont")), embedded))
        return found

    def alt_texts(self) -> list[str]:
        """The alternative texts of tagged figures, from the structure tree."""
        root = self.reader.trailer["/Root"]["/StructTreeRoot"].get_object()
        found: list[str] = []

        def walk(node: object) -> None:
            node = node.get_object() if hasattr(node, "get_object") else node
            if isinstance(node, pypdf.generic.ArrayObject):
                for child in node:
                    walk(child)
            elif isinstance(node, pypdf.generic.DictionaryObject):
                if "/Alt" in node:
                    found.append(str(node["/Alt"]))
                if "/K" in node:
                    walk(node["/K"])

        walk(root)
        return found


def read_pdf(data: bytes) -> ReadPdf:
    assert data.startswith(b"%PDF-"), data[:20]
    reader = pypdf.PdfReader(io.BytesIO(data))
    # One space for every run of whitespace, as table cells and long lines wrap
    # anywhere; a line broken after a hyphen ("e-" / "tjänster") is joined again.
    pages = [
        " ".join(re.sub(r"-\n(?=\w)", "-", page.extract_text() or "").split())
        for page in reader.pages
    ]
    return ReadPdf(reader, pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def in_order(haystack: str, needles: list[str]) -> bool:
    """Each needle occurs after the previous one."""
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        if found < 0:
            return False
        position = found + len(needle)
    return True
