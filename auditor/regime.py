"""Which regime governs a system: Decree 85/2016 (legacy, in transition) or Decree 331/2026.

Law 116/2025 Art. 45.1: systems classified under the old law keep their level and must meet
the new conditions within 12 months of 01/07/2026. Decree 331/2026 Art. 39.1: systems under
investment before 01/07/2026 finish level approval under Decree 85 within 6 months. So a
system is judged under Decree 85 while it is inside one of those transitions, and under
Decree 331 otherwise. An inventory may state the regime explicitly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from auditor.model.inventory import DossierStatus, Regime, System

LAW_116_IN_FORCE = dt.date(2026, 7, 1)
TRANSITION_END = dt.date(2027, 7, 1)


@dataclass(frozen=True, slots=True)
class RegimeDecision:
    regime: Regime
    reason_vi: str
    reason_en: str


def governing_regime(system: System, as_of: dt.date) -> RegimeDecision:
    if system.regime is not None:
        return RegimeDecision(
            system.regime, "Khai báo trong danh mục kiểm kê", "Stated in the inventory"
        )
    if as_of < LAW_116_IN_FORCE:
        return RegimeDecision(
            Regime.ND85, "Ngày đánh giá trước 01/07/2026", "Audit date before 2026-07-01"
        )
    if as_of >= TRANSITION_END:
        return RegimeDecision(
            Regime.ND331, "Hết thời gian chuyển tiếp (01/07/2027)", "Transition ended on 2027-07-01"
        )
    dossier = system.dossier
    decision = dossier.decision if dossier is not None else None
    if (
        dossier is not None
        and dossier.status == DossierStatus.APPROVED
        and decision is not None
        and decision.date < LAW_116_IN_FORCE
    ):
        return RegimeDecision(
            Regime.ND85,
            f"Cấp độ phê duyệt theo NĐ 85 ngày {decision.date:%d/%m/%Y}; chuyển tiếp đến "
            "01/07/2027 (Luật 116/2025 Điều 45.1)",
            f"Level approved under Decree 85 on {decision.date.isoformat()}; in transition "
            "until 2027-07-01 (Law 116/2025 Art. 45.1)",
        )
    if system.investment_start is not None and system.investment_start < LAW_116_IN_FORCE:
        return RegimeDecision(
            Regime.ND85,
            f"Đầu tư từ {system.investment_start:%d/%m/%Y}, trước 01/07/2026; phê duyệt cấp độ "
            "theo NĐ 85 (NĐ 331/2026 Điều 39.1)",
            f"Investment started {system.investment_start.isoformat()}, before 2026-07-01; "
            "level approved under Decree 85 (Decree 331/2026 Art. 39.1)",
        )
    return RegimeDecision(
        Regime.ND331,
        "Hệ thống mới hoặc chưa phê duyệt cấp độ theo NĐ 85",
        "New system, or no level approved under Decree 85",
    )
