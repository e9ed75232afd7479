"""A revocation observation → the `revocation.*` facts of an endpoint address's `tls` item.

- `revocation.status` (`good` / `revoked`, from a usable source) and `revocation.source`
  (`staple`, `ocsp`, `crl`), `revocation.this_update`, `revocation.next_update`,
  `revocation.revoked_at`; absent when nothing usable was known: then `revocation.note` says
  why and what to do (CERT-09 `manual`), or the key is in the item's errors when a service that
  was asked failed (CERT-09 `error`);
- `revocation.stapled` (the server stapled a response), `revocation.staple` (what the staple
  said, or why it is no evidence: `stale`, `bad_signature`, `wrong_certificate`, `malformed`,
  `not_successful`, `not_yet`; `none` when there is none), `revocation.staple_ok` (a staple
  that is usable and says good or revoked: CERT-10) and `revocation.staple_problem`; none of
  these but `revocation.staple_asked` false when no staple was asked for (--no-staple);
- `revocation.asked`: the responder and CRL URLs asked (`--revocation`), `revocation.online`;
- `revocation.of_file` (a certificate file: CRL files only), `revocation.crl_files_unused`
  (declared CRL files that name no issuer of this chain: accounted for, not silently dropped).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from auditor.probes.ocsp import CertStatus, Unusable
from auditor.probes.revocation import RevocationObservation, summarise


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _staple(observation: RevocationObservation, values: dict[str, Any],
            errors: dict[str, str]) -> None:
    if observation.stapled is None:
        reason = observation.staple_error or "the status-requesting handshake failed"
        for key in ("stapled", "staple", "staple_ok"):
            errors[f"revocation.{key}"] = reason
        return
    values["stapled"] = observation.stapled
    staple = observation.staple
    if staple is None:
        values["staple"] = "none"
        if observation.stapled:  # stapled, but not judged (no issuer in hand)
            errors["revocation.staple_ok"] = observation.staple_error or "not judged"
        else:
            values["staple_ok"] = False
            values["staple_problem"] = "the server staples no OCSP response"
        return
    values["staple"] = str(staple.status or staple.unusable)
    if staple.unusable is Unusable.NOT_YET:  # no evidence either way on that day (manual)
        values["staple_problem"] = staple.problem
        return
    values["staple_ok"] = staple.status in (CertStatus.GOOD, CertStatus.REVOKED)
    if not values["staple_ok"]:
        values["staple_problem"] = staple.problem or "the responder does not know the certificate"


def revocation_facts(
    observation: RevocationObservation, values: dict[str, Any], errors: dict[str, str],
    expected_serial: str | None = None,
) -> None:
    """Add `revocation` to `values` (and its failures to `errors`) of one `tls` item.
    `expected_serial`: the leaf the TLS probe saw; the status request's connection may reach
    another server behind the same address (a load balancer), whose answer is then not this
    certificate's."""
    if (expected_serial is not None and observation.serial is not None
            and observation.serial != expected_serial):
        reason = (f"the status request saw another certificate (serial {observation.serial}) "
                  f"than the TLS probe (serial {expected_serial})")
        for key in ("status", "staple_ok"):
            errors[f"revocation.{key}"] = reason
        values["revocation"] = {"online": observation.asked_online, "serial": observation.serial}
        return
    facts: dict[str, Any] = {"online": observation.asked_online,
                             "judged_at": observation.instant.isoformat()}
    if observation.serial is not None:
        facts["serial"] = observation.serial
    if observation.of_file:
        facts["of_file"] = True
    elif observation.staple_asked:
        _staple(observation, facts, errors)
    else:
        facts["staple_asked"] = False  # --no-staple
    if observation.crl_files_unused:  # declared, but naming no issuer of this chain
        facts["crl_files_unused"] = list(observation.crl_files_unused)
    asked = [a.where for a in observation.answers if a.where and a.source != "crl_file"]
    if asked:
        facts["asked"] = asked
    verdict = summarise(observation)
    if verdict.status is not None:
        facts["status"] = verdict.status
        facts["source"] = verdict.source
        for key, moment in (("this_update", verdict.this_update),
                            ("next_update", verdict.next_update),
                            ("revoked_at", verdict.revoked_at)):
            if moment is not None:
                facts[key] = _iso(moment)
    elif verdict.error is not None:
        errors["revocation.status"] = verdict.error
    else:
        facts["note"] = verdict.note
    values["revocation"] = facts
