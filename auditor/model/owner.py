"""Who reports: section 2 of Decree 331 Form 08 and the annual report's covering letter.

Form 08 section 2 asks, for the system owner (chủ quản hệ thống thông tin) and for its
specialised cybersecurity unit (đơn vị chuyên trách về an ninh mạng): the name, the document
setting its functions, duties and powers, the representative and position, the address, and a
phone number and e-mail. Decree 331 Art. 36.1 asks the same. The letter that carries the report
(Form 08's header: "Số: …", "V/v …", "Kính gửi: …", place and date, and the signature) is set
once for the organisation and can be overridden on the command line.

Everything is optional: a value the inventory does not give is printed as a visible blank to
fill in by hand ("……"), never made up.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

from auditor.messages import MsgValueError
from auditor.model.base import DocumentRef, FrozenModel, Text

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

#: Decree 331 Art. 35.4.b: the owner sends the annual report to the Ministry of Public
#: Security, while Form 08 itself is addressed to "the specialised cybersecurity unit/force";
#: the letter's default follows the article (see docs/annual-report.md).
DEFAULT_RECIPIENT = "Bộ Công an"


def _check_email(value: str) -> str:
    if not _EMAIL_RE.match(value):
        raise MsgValueError(
            f"'{value}' không phải địa chỉ thư điện tử hợp lệ (dạng ten@mien.vn)",
            f"'{value}' is not a valid e-mail address (like name@domain.vn)",
        )
    return value


Email = Annotated[str, AfterValidator(_check_email)]


class ContactCard(FrozenModel):
    """A body as Form 08 section 2 describes it (items (1)–(5))."""

    name: Text | None = Field(default=None, description="(1) Tên cơ quan/đơn vị")
    mandate: DocumentRef | None = Field(
        default=None,
        description="(2) Văn bản quy định chức năng, nhiệm vụ và quyền hạn (số, ngày, cơ quan)",
    )
    representative: Text | None = Field(
        default=None, description="(3) Người đại diện (họ và tên người đứng đầu)"
    )
    position: Text | None = Field(default=None, description="(3) Chức vụ của người đại diện")
    address: Text | None = Field(default=None, description="(4) Địa chỉ liên lạc")
    phone: Text | None = Field(default=None, description="(5) Số điện thoại")
    email: Email | None = Field(default=None, description="(5) Thư điện tử")


class Form08Details(FrozenModel):
    """Form 08 section 2 for a body: the owner and its specialised cybersecurity unit.

    Declared by the organisation, or by an agency that is an owner in its own right; an agency
    that declares none reports under the organisation's (inherited whole, like
    `defaults.policy`)."""

    owner: ContactCard | None = Field(
        default=None, description="a) Thông tin về chủ quản hệ thống thông tin"
    )
    security_unit: ContactCard | None = Field(
        default=None, description="b) Thông tin về đơn vị chuyên trách về an ninh mạng"
    )


class Signer(FrozenModel):
    """Who signs the report: the head of the owner, or a deputy for them."""

    name: Text | None = Field(default=None, description="Họ và tên người ký")
    position: Text | None = Field(default=None, description="Chức vụ, e.g. 'PHÓ CHỦ TỊCH'")
    authority: Text | None = Field(
        default=None, description="Thẩm quyền ký, e.g. 'KT. CHỦ TỊCH' or 'TM. ỦY BAN NHÂN DÂN'"
    )


class LetterSettings(FrozenModel):
    """The covering letter of the annual report (Form 08 header and signature block)."""

    parent: Text | None = Field(
        default=None, description="Cơ quan cấp trên in above the owner's name in the header"
    )
    header: Text | None = Field(
        default=None,
        description="Tên chủ quản in the header (default: form08.owner.name, else the "
        "organisation's name)",
    )
    number: Text | None = Field(default=None, description="Số, ký hiệu văn bản, e.g. '…/BC-UBND'")
    recipient: Text = Field(
        default=DEFAULT_RECIPIENT,
        description="Kính gửi (Decree 331 Art. 35.4.b: Bộ Công an; Form 08 names the "
        "specialised cybersecurity unit/force)",
    )
    place: Text | None = Field(default=None, description="Địa danh, e.g. 'An Bình'")
    signer: Signer | None = None
    copies: tuple[Text, ...] = Field(default=(), description="Nơi nhận (besides the recipient)")
