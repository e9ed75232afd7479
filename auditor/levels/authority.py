"""Bodies competent to appraise (thẩm định) and approve (phê duyệt) a level dossier.

Decree 85/2016 Art. 12 and Decree 331/2026 Art. 18 (regulations.md §1.4). The two regimes agree
on who approves; they differ on who appraises levels 4-5, where the Ministry of Public Security
replaced the Ministry of Information and Communications.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from auditor.code_words import words
from auditor.model.inventory import Authority, Regime, SystemDomain

# Levels 1-2: the owner's specialised security unit approves and reports to the owner; the owner
# itself, being the unit's superior, is competent too. Levels 3-4: the owner. Level 5: the Prime
# Minister approves the list of level-5 systems (the owner approves only the security plan).
_APPROVERS: Mapping[int, frozenset[Authority]] = MappingProxyType(
    {
        1: frozenset({Authority.SPECIALISED_UNIT, Authority.OWNER}),
        2: frozenset({Authority.SPECIALISED_UNIT, Authority.OWNER}),
        3: frozenset({Authority.OWNER}),
        4: frozenset({Authority.OWNER}),
        5: frozenset({Authority.PRIME_MINISTER}),
    }
)

# Levels 1-3: the specialised unit, or — when it also operates the system — another competent
# subordinate unit or an independent council (TT12 Art. 6; ND331 Art. 18.4). Levels 4-5: the
# lead ministry, with MOD for military and the Government Cipher Committee for cipher systems
# under Decree 331; MOD and MPS for their own systems under Decree 85.
_LOCAL_APPRAISERS = frozenset({Authority.SPECIALISED_UNIT, Authority.INDEPENDENT_COUNCIL})
_NATIONAL_APPRAISERS: Mapping[Regime, frozenset[Authority]] = MappingProxyType(
    {
        Regime.ND85: frozenset({Authority.MIC, Authority.MOD, Authority.MPS}),
        Regime.ND331: frozenset({Authority.MPS, Authority.MOD, Authority.CIPHER_COMMITTEE}),
    }
)


def _check_level(level: int) -> None:
    if not 1 <= level <= 5:
        raise ValueError(f"security level must be 1-5, got {level}")


def competent_approvers(level: int, regime: Regime) -> frozenset[Authority]:
    """Who may approve a level dossier proposing `level` (same in both regimes)."""
    _check_level(level)
    return _APPROVERS[level]


def competent_appraisers(level: int, regime: Regime) -> frozenset[Authority]:
    """Who may appraise a level dossier proposing `level` under `regime`."""
    _check_level(level)
    return _LOCAL_APPRAISERS if level <= 3 else _NATIONAL_APPRAISERS[regime]


# Levels 4-5, by whose system it is. Decree 331 Art. 18.3: the Ministry of Public Security leads
# (and appraises the systems of its own bodies), the Ministry of Defence appraises military
# systems, the Government Cipher Committee the cipher systems of its bodies. Decree 85 Art. 12
# (regulations.md §1.4, secondary reading [S]): MIC leads, MOD and MPS appraise their own.
_NATIONAL_BY_DOMAIN: Mapping[Regime, Mapping[SystemDomain, Authority]] = MappingProxyType(
    {
        Regime.ND85: MappingProxyType(
            {
                SystemDomain.CIVIL: Authority.MIC,
                SystemDomain.MILITARY: Authority.MOD,
                SystemDomain.PUBLIC_SECURITY: Authority.MPS,
                SystemDomain.CIPHER: Authority.MIC,
            }
        ),
        Regime.ND331: MappingProxyType(
            {
                SystemDomain.CIVIL: Authority.MPS,
                SystemDomain.MILITARY: Authority.MOD,
                SystemDomain.PUBLIC_SECURITY: Authority.MPS,
                SystemDomain.CIPHER: Authority.CIPHER_COMMITTEE,
            }
        ),
    }
)


def competent_appraisers_for(
    level: int, regime: Regime, domain: SystemDomain
) -> frozenset[Authority]:
    """Who may appraise the dossier of *this* system: at levels 4-5 only the body its domain
    names (the Ministry of Defence only for military systems, and so on)."""
    _check_level(level)
    if level <= 3:
        return _LOCAL_APPRAISERS
    return frozenset({_NATIONAL_BY_DOMAIN[regime][domain]})


def appraiser_domains(regime: Regime, appraiser: Authority) -> frozenset[SystemDomain]:
    """The domains whose level 4-5 dossiers `appraiser` may appraise under `regime`."""
    return frozenset(d for d, a in _NATIONAL_BY_DOMAIN[regime].items() if a is appraiser)


AUTHORITY_NAMES: Mapping[Authority, tuple[str, str]] = MappingProxyType(
    {body: (words(body.value, "Authority").vi, words(body.value, "Authority").en)
     for body in Authority}
)
"""How messages name each body (vi, en), from the one table of code words."""


def names(bodies: frozenset[Authority], lang: str) -> str:
    """'Bộ Công an; Bộ Quốc phòng' — each body in words, in a stable order."""
    index = 1 if lang == "en" else 0
    return "; ".join(AUTHORITY_NAMES[b][index] for b in sorted(bodies))
