"""Where the signer line of Form 08 is on the printed annual report: the rectangle a visible
signature goes in.

The page is printed by Chromium, so positions are not known in advance (they depend on the
data above the signer block). They are read back from the PDF with poppler's
`pdftotext -bbox-layout` (an argument list, no shell): the line holding the signing note of
the signer block ("(Ký, ghi rõ họ tên, chức danh và đóng dấu)", or its English), and the blank
the template leaves under it for the signature, down to the next line of that column (the
signer's name) — the box covers that blank, as wide as the note.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from defusedxml import ElementTree  # type: ignore[import-untyped, unused-ignore]

from auditor.bundle.errors import SigningError
from auditor.messages import Msg

#: The signing note of Form 08's signer block, as `report/annual/words.py` writes it.
SIGN_NOTES = (
    "(Ký, ghi rõ họ tên, chức danh và đóng dấu)",
    "(Signature, full name, position and seal)",
)
_XHTML = "{http://www.w3.org/1999/xhtml}"
_MIN_HEIGHT = 24.0  # points: room for a three-line stamp
_MAX_HEIGHT = 60.0


@dataclass(frozen=True)
class SignerBox:
    page: int  # 0-based
    box: tuple[int, int, int, int]  # x1, y1, x2, y2 in PDF points, origin bottom left


@dataclass(frozen=True)
class _Line:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


def find_signer_box(pdf: Path) -> SignerBox:
    """The signature rectangle under the signer block's note; SigningError if there is none
    (not an annual report PDF) or poppler's pdftotext is missing."""
    tool = shutil.which("pdftotext")
    if tool is None:
        raise SigningError(Msg("không tìm thấy pdftotext (cài poppler-utils)",
                               "pdftotext not found (install poppler-utils)"))
    with tempfile.TemporaryDirectory(prefix="auditor-sign-") as scratch:
        layout = Path(scratch) / "layout.html"
        done = subprocess.run(  # noqa: S603 - an argument list, no shell
            [tool, "-q", "-bbox-layout", "--", str(pdf), str(layout)],
            capture_output=True, check=False, timeout=120,
        )
        if done.returncode != 0 or not layout.is_file():
            raise SigningError(Msg(f"{pdf}: không đọc được bố cục PDF (pdftotext)",
                                   f"{pdf}: cannot read the PDF's layout (pdftotext)"))
        root = ElementTree.parse(layout).getroot()
    for index, page in enumerate(root.iter(f"{_XHTML}page")):
        height = float(page.get("height", "0"))
        lines = [_line(line) for line in page.iter(f"{_XHTML}line")]
        note = next((ln for ln in lines if ln.text in SIGN_NOTES), None)
        if note is None:
            continue
        below = [ln for ln in lines if ln.y_min >= note.y_max
                 and ln.x_min < note.x_max and ln.x_max > note.x_min]
        bottom = min((ln.y_min for ln in below), default=note.y_max + _MAX_HEIGHT)
        bottom = min(max(bottom - 1, note.y_max + _MIN_HEIGHT), note.y_max + _MAX_HEIGHT)
        top = note.y_max + 1
        return SignerBox(index, (round(note.x_min), round(height - bottom),
                                 round(note.x_max), round(height - top)))
    raise SigningError(Msg(
        f"{pdf}: không thấy khối người ký của Mẫu 08 (không phải PDF báo cáo năm do "
        "'auditor report annual --pdf' in ra?)",
        f"{pdf}: no Form 08 signer block found (not an annual report PDF printed by "
        "'auditor report annual --pdf'?)",
    ))


def _line(element: Any) -> _Line:
    words = [w.text or "" for w in element.iter(f"{_XHTML}word")]

    def coordinate(name: str) -> float:
        return float(element.get(name, "0"))

    return _Line(" ".join(words), coordinate("xMin"), coordinate("yMin"),
                 coordinate("xMax"), coordinate("yMax"))
