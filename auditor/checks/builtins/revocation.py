"""Builtin check of a certificate's revocation status (CERT-09: an endpoint's; CERT-11: a
certificate file's), from the `revocation.*` facts the live probe gives
(probes/revocation_facts.py).

Revoked → fail, good → pass, each naming its source (staple, OCSP responder, CRL). A service
that was asked and failed is a probe error → `error` with its reason. Otherwise nothing usable
is known, which is never a pass: `manual`, saying why in words (no staple, the responder not
asked) and what to do (`--revocation`, a staple, a CRL file). CERT-11 reads the same facts for a
certificate file, whose only source is the declared CRL files.
"""

from __future__ import annotations

from auditor.checks.builtins.common import evidence_of, value_of
from auditor.checks.context import EvalContext, Outcome
from auditor.checks.values import unobserved
from auditor.model.results import Status, Text2
from auditor.probe_reasons import reason_in

_SOURCES = {
    "staple": ("phản hồi OCSP máy chủ gửi kèm", "the OCSP response the server staples"),
    "ocsp": ("máy chủ OCSP ghi trong chứng thư", "the OCSP responder the certificate names"),
    "crl": ("danh sách thu hồi (CRL) ghi trong chứng thư", "the CRL the certificate names"),
    "crl_file": ("tệp CRL khai báo trong danh mục", "a CRL file the inventory declares"),
}
_KEYS = ("revocation.status", "revocation.source", "revocation.revoked_at",
         "revocation.next_update", "revocation.stapled", "revocation.online",
         "revocation.staple_problem", "revocation.note", "revocation.crl_files_unused",
         "revocation.staple_asked")


def _unknown(ctx: EvalContext) -> Text2:
    vi: list[str] = []
    en: list[str] = []
    if value_of(ctx, "revocation.of_file") is True:
        return Text2(
            vi="Chưa biết trạng thái thu hồi: không có tệp CRL nào khai báo (tls_policy.crl_files)"
            " của tổ chức cấp chứng thư này: tải CRL của tổ chức cấp và khai báo",
            en="Revocation status not known: no CRL file the inventory declares "
            "(tls_policy.crl_files) is from this certificate's issuer: download the issuer's CRL "
            "and declare it")
    if value_of(ctx, "revocation.staple_asked") is False:
        vi.append("không hỏi phản hồi OCSP gửi kèm (--no-staple)")
        en.append("no OCSP staple was asked for (--no-staple)")
    if value_of(ctx, "revocation.stapled") is False:
        vi.append("máy chủ không gửi kèm phản hồi OCSP (OCSP stapling)")
        en.append("the server staples no OCSP response")
    problem = value_of(ctx, "revocation.staple_problem")
    if value_of(ctx, "revocation.stapled") and problem:
        vi.append(f"phản hồi OCSP gửi kèm không dùng được: {reason_in(str(problem), 'vi')}")
        en.append(f"the stapled OCSP response is no evidence: {problem}")
    if value_of(ctx, "revocation.online") is False:
        vi.append("chưa hỏi máy chủ OCSP/CRL ghi trong chứng thư: chạy lại với --revocation")
        en.append("the OCSP responder / CRL the certificate names was not asked: re-run with "
                  "--revocation")
    elif value_of(ctx, "revocation.online") is True:
        note = value_of(ctx, "revocation.note") or ""
        vi.append(f"máy chủ OCSP/CRL không cho biết trạng thái: {reason_in(str(note), 'vi')}")
        en.append(f"the OCSP responder / CRL did not tell the status: {note}")
    if not en:
        vi.append("không có thông tin thu hồi")
        en.append("no revocation information")
    return Text2(vi="Chưa biết trạng thái thu hồi: " + "; ".join(vi),
                 en="Revocation status not known: " + "; ".join(en))


def revocation_status(ctx: EvalContext) -> Outcome:
    """CERT-09: the certificate is not revoked, on usable evidence."""
    evidence = evidence_of(ctx, *_KEYS)
    status = ctx.fact("revocation.status")
    if status is not None and status.error is not None:
        return unobserved("revocation.status", status.error, evidence)
    if status is None or status.value is None:
        return Outcome(Status.MANUAL, _unknown(ctx), evidence)
    source, _, position = str(value_of(ctx, "revocation.source")).partition(" #")
    vi_source, en_source = _SOURCES.get(source, ("nguồn không rõ", "an unknown source"))
    if position:  # an intermediate of the chain was revoked
        vi_source += f" (chứng thư thứ {position} của chuỗi)"
        en_source += f" (certificate {position} of the chain)"
    if status.value == "revoked":
        when = value_of(ctx, "revocation.revoked_at") or "?"
        return Outcome(Status.FAIL, Text2(
            vi=f"Chứng thư đã bị thu hồi (từ {when}, theo {vi_source})",
            en=f"The certificate is revoked (since {when}, by {en_source})"), evidence)
    return Outcome(Status.PASS, Text2(vi=f"Chứng thư chưa bị thu hồi, theo {vi_source}",
                                      en=f"The certificate is not revoked, by {en_source}"),
                   evidence)
