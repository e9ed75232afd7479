"""Bodies competent to appraise (thẩm định) and approve (phê duyệt) a level dossier.

Decree 85/2016 Art. 12 and Decree 331/2026 Art. 18 (regulations.md §1.4). The two regimes agree
on who approves; they differ on who appraises levels 4-5, where the Ministry of Public Security
replaced the Ministry of Information and Communications.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from auditor.model.inventory import Authority, Regime

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
