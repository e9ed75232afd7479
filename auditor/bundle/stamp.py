"""The signed annual report's visible signature: what it says and how pyHanko shows it.

It says who signed, the organisation and when: the name is the certificate's common name, or
`--signer-name`, the same name written with its diacritics (a certificate often carries
"NGUYEN VAN A"); a name that is not the certificate's is refused, since the stamp would then
claim a signer the signature does not prove. The organisation is the certificate's O. The page
is printed by `report.signature_stamp` and becomes the signature widget's appearance, scaled
to the box (it is printed at the box's size, so the scale is 1).
"""

from __future__ import annotations

import datetime as dt
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509

from auditor.bundle.errors import SigningError
from auditor.messages import Msg
from auditor.report.signature_stamp import print_stamp, stamp_lines

if TYPE_CHECKING:
    from pyhanko.stamp import StaticStampStyle


def _folded(text: str) -> str:
    """`text` without diacritics (đ → d), case or repeated spaces: how two spellings of one
    name are compared."""
    plain = text.replace("Đ", "D").replace("đ", "d")
    plain = unicodedata.normalize("NFKD", plain)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def _attribute(certificate: x509.Certificate, oid: x509.ObjectIdentifier) -> str | None:
    values = certificate.subject.get_attributes_for_oid(oid)
    return str(values[0].value) if values else None


def certificate_name(certificate: x509.Certificate) -> str:
    """The signer as the certificate names it: its CN, else its whole subject."""
    common = _attribute(certificate, x509.NameOID.COMMON_NAME)
    return common if common is not None else certificate.subject.rfc4514_string()


def stamp_name(certificate: x509.Certificate, given: str | None) -> str:
    """The name the stamp shows: `given` (--signer-name) if it is the certificate's CN with
    other diacritics or case, else the CN. SigningError if it is someone else's name."""
    if given is None:
        return certificate_name(certificate)
    wanted = " ".join(given.split())
    common = _attribute(certificate, x509.NameOID.COMMON_NAME)
    if common is None:
        raise SigningError(Msg(
            "--signer-name: chứng thư số không có tên (CN) để đối chiếu",
            "--signer-name: the certificate has no common name (CN) to check it against",
        ))
    if not wanted or _folded(wanted) != _folded(common):
        raise SigningError(Msg(
            f"--signer-name '{wanted}' không phải tên trong chứng thư số ('{common}'): "
            "chỉ được viết lại tên đó với dấu tiếng Việt",
            f"--signer-name '{wanted}' is not the certificate's name ('{common}'): it may only "
            "write that name with its Vietnamese diacritics",
        ))
    return wanted


def organisation(certificate: x509.Certificate) -> str | None:
    """The signer's organisation (the certificate's O), if it names one."""
    return _attribute(certificate, x509.NameOID.ORGANIZATION_NAME)


@contextmanager
def visible_stamp(
    box: tuple[int, int, int, int], name: str, organisation: str | None,
    moment: dt.datetime, lang: str, *, browser: Path | None = None,
) -> Iterator[StaticStampStyle]:
    """pyHanko's style for a widget `box` showing the stamp (the printed page lives as long as
    the context, pyHanko reads it while signing). StampError when it cannot be printed."""
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.content import ImportedPdfPage
    from pyhanko.stamp import StaticStampStyle

    x1, y1, x2, y2 = box
    width, height = x2 - x1, y2 - y1
    with tempfile.TemporaryDirectory(prefix="auditor-stamp-") as scratch:
        page = Path(scratch) / "stamp.pdf"
        print_stamp(stamp_lines(name, organisation, moment, lang), width, height, lang, page,
                    browser=browser)
        yield StaticStampStyle(
            background=ImportedPdfPage(str(page)),  # type: ignore[no-untyped-call]
            background_opacity=1.0,
            border_width=0,  # the page draws its own frame
            background_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MID,
                y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins.uniform(0),  # type: ignore[no-untyped-call]
            ),
        )
