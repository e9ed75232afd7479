"""The criterion catalogue: every clause of Decree 85/2016 Arts. 7-11 and Decree 331/2026
Arts. 11-15 that places an information system at a security level (cấp độ), as data.

The catalogue is literal data so that a reviewer can compare it line by line with the decrees
(regulations.md §1.2 and §1.3) without reading any logic; `classify.py` only decides which of
these entries fire. Ids are `<regime>.<article>.<clause>[.<point>]` in lower case, because the
reports, the dossier checks and the rule catalogue refer to clauses by these ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from auditor.model.inventory import Regime

ND85_TITLE = "Nghị định 85/2016/NĐ-CP"
ND331_TITLE = "Nghị định 331/2026/NĐ-CP"


@dataclass(frozen=True, slots=True)
class Criterion:
    """One clause that places a system at a level."""

    id: str
    regime: Regime
    level: int
    reference: str
    text_vi: str
    text_en: str

    def __post_init__(self) -> None:
        # Cheap structural checks: a wrong prefix or level in the table above would silently
        # misfile a criterion under the other regime or at an impossible level.
        if not self.id.startswith(f"{self.regime.value}."):
            raise ValueError(f"criterion id '{self.id}' does not start with '{self.regime}.'")
        if not 1 <= self.level <= 5:
            raise ValueError(f"criterion '{self.id}' has level {self.level}, not 1-5")


def _where(article: int, clause: int | None, point: str | None) -> str:
    """Vietnamese citation of an article/clause/point: 'Điều 9 khoản 2 điểm c'."""
    text = f"Điều {article}"
    if clause is not None:
        text += f" khoản {clause}"
    if point is not None:
        text += f" điểm {point}"
    return text


def _clause_id(regime: Regime, article: int, clause: int | None, point: str | None) -> str:
    parts = (regime.value, article, clause, point)
    return ".".join(str(part) for part in parts if part is not None)


def _nd85(
    level: int, article: int, clause: int | None, point: str | None, vi: str, en: str
) -> Criterion:
    return Criterion(
        id=_clause_id(Regime.ND85, article, clause, point),
        regime=Regime.ND85,
        level=level,
        reference=f"{ND85_TITLE}, {_where(article, clause, point)}",
        text_vi=vi,
        text_en=en,
    )


def _nd331(
    level: int, article: int, clause: int | None, point: str | None, vi: str, en: str
) -> Criterion:
    return Criterion(
        id=_clause_id(Regime.ND331, article, clause, point),
        regime=Regime.ND331,
        level=level,
        reference=f"{ND331_TITLE}, {_where(article, clause, point)}",
        text_vi=vi,
        text_en=en,
    )


def _nd85_pm(level: int) -> Criterion:
    # Decree 85 lets the Prime Minister place a system only at level 5 (Art. 11.5). An inventory
    # may still record a PM decision at a lower level; it is kept as an explicit pseudo-criterion
    # (one per level, so an id always means one level) rather than dropped or misfiled as 11.5.
    return Criterion(
        id=f"nd85.pm.{level}",
        regime=Regime.ND85,
        level=level,
        reference=(
            f"Quyết định của Thủ tướng Chính phủ (không phải tiêu chí của {ND85_TITLE}; "
            "Điều 11 khoản 5 chỉ quy định cho cấp độ 5)"
        ),
        text_vi=(
            f"Cấp độ {level} do Thủ tướng Chính phủ quyết định (không phải tiêu chí của Nghị định)"
        ),
        text_en=f"Level {level} designated by the Prime Minister (not a criterion of the decree)",
    )


def _default(regime: Regime, title: str, articles: str) -> Criterion:
    # Every system has a level of at least 1; when no clause applies the classification still
    # needs a reason to show, and it must not pretend a clause of Art. 7 / Art. 11 matched.
    return Criterion(
        id=f"{regime.value}.default",
        regime=regime,
        level=1,
        reference=f"{title}, {articles} (không tiêu chí nào áp dụng)",
        text_vi="không có tiêu chí nào cao hơn cấp độ 1",
        text_en="no criterion above level 1 applies",
    )


def _type_floor(
    regime: Regime, title: str, level: int, point: str, vi: str, en: str, via: str
) -> Criterion:
    # What the system type alone proves (Decree 85 Art. 6.2 / Decree 331 Art. 9.2): used when
    # the type places the system at least at `level` but the facts that pick the exact clause
    # are not declared. `via` names the clauses one of which must then hold.
    article = 6 if regime is Regime.ND85 else 9
    return Criterion(
        id=f"{regime.value}.{article}.2.{point}",
        regime=regime,
        level=level,
        reference=f"{title}, {_where(article, 2, point)} ({via})",
        text_vi=vi,
        text_en=en,
    )


_CITIZEN_TYPE_VI = (
    "Hệ thống phục vụ người dân, doanh nghiệp (cung cấp dịch vụ trực tuyến): tối thiểu cấp độ 2 "
    "theo tiêu chí dịch vụ trực tuyến, cấp độ 3 nếu thuộc danh mục ngành, nghề kinh doanh có "
    "điều kiện"
)
_CITIZEN_TYPE_EN = (
    "Citizen/business-facing system (provides online services): at least level 2 by the "
    "online-service criteria, level 3 if on the conditional business list"
)
_INFRA_TYPE_VI = (
    "Hệ thống cơ sở hạ tầng thông tin (phục vụ ít nhất một cơ quan, tổ chức): tối thiểu cấp độ 2"
)
_INFRA_TYPE_EN = "Information infrastructure (serves at least one organisation): at least level 2"
_ICS_TYPE_VI = (
    "Hệ thống điều khiển công nghiệp phục vụ điều khiển, vận hành công trình xây dựng; công "
    "trình nào cũng thuộc một cấp (IV, III, II: cấp độ 3; I: cấp độ 4; đặc biệt: cấp độ 5)"
)
_ICS_TYPE_EN = (
    "Industrial control system of construction works; every works has a grade (IV, III, II: "
    "level 3; I: level 4; special: level 5)"
)


_CLASSIFIED_VI = "Xử lý thông tin bí mật nhà nước hoặc phục vụ quốc phòng, an ninh"
_CLASSIFIED_EN = "Processes state secrets or serves defence/security"
_ICS_VI = "Hệ thống điều khiển công nghiệp trực tiếp điều khiển, vận hành công trình xây dựng"
_ICS_EN = "Industrial control system directly operating construction works"
_PM_RISK_VI = (
    "Hệ thống thông tin khác do Thủ tướng Chính phủ quyết định hoặc được đánh giá rủi ro "
    "an ninh mạng theo Khung quản lý rủi ro an ninh mạng"
)
_PM_RISK_EN = "Decided by the Prime Minister or assessed at this level under the risk framework"

# Decree 85/2016, Arts. 7-11 (level = article - 6).
_ND85: tuple[Criterion, ...] = (
    _nd85(
        1,
        7,
        None,
        None,
        "Hệ thống phục vụ hoạt động nội bộ, chỉ xử lý thông tin công cộng",
        "Internal-only system processing only public information",
    ),
    _nd85(
        2,
        8,
        1,
        None,
        "Hệ thống phục vụ hoạt động nội bộ, có xử lý thông tin riêng, thông tin cá nhân, "
        "không xử lý thông tin bí mật nhà nước",
        "Internal system processing private or personal information, no state secrets",
    ),
    _nd85(
        2,
        8,
        2,
        "a",
        "Phục vụ người dân, doanh nghiệp: cung cấp thông tin và dịch vụ công trực tuyến "
        "từ mức độ 2 trở xuống",
        "Citizen-facing: information and online public services at level 2 or below",
    ),
    _nd85(
        2,
        8,
        2,
        "b",
        "Phục vụ người dân, doanh nghiệp: cung cấp dịch vụ trực tuyến không thuộc danh mục "
        "dịch vụ kinh doanh có điều kiện",
        "Citizen-facing: online services not on the conditional business-line list",
    ),
    _nd85(
        2,
        8,
        2,
        "c",
        "Phục vụ người dân, doanh nghiệp: dịch vụ trực tuyến khác xử lý thông tin riêng, "
        "thông tin cá nhân của dưới 10.000 người sử dụng",
        "Citizen-facing: other online service with private/personal data of < 10,000 users",
    ),
    _nd85(
        2,
        8,
        3,
        None,
        "Hệ thống cơ sở hạ tầng thông tin phục vụ hoạt động của một cơ quan, tổ chức",
        "Information infrastructure serving one organisation",
    ),
    _nd85(
        3,
        9,
        1,
        None,
        f"{_CLASSIFIED_VI}; khi bị phá hoại sẽ làm tổn hại tới quốc phòng, an ninh quốc gia",
        f"{_CLASSIFIED_EN}; sabotage would harm national defence and security",
    ),
    _nd85(
        3,
        9,
        2,
        "a",
        "Phục vụ người dân, doanh nghiệp: cung cấp dịch vụ công trực tuyến từ mức độ 3 trở lên",
        "Citizen-facing: online public services at level 3 or above",
    ),
    _nd85(
        3,
        9,
        2,
        "b",
        "Phục vụ người dân, doanh nghiệp: cung cấp dịch vụ trực tuyến thuộc danh mục dịch vụ "
        "kinh doanh có điều kiện",
        "Citizen-facing: online services on the conditional business-line list",
    ),
    _nd85(
        3,
        9,
        2,
        "c",
        "Phục vụ người dân, doanh nghiệp: dịch vụ trực tuyến khác xử lý thông tin riêng, "
        "thông tin cá nhân của từ 10.000 người sử dụng trở lên",
        "Citizen-facing: other online service with private/personal data of ≥ 10,000 users",
    ),
    _nd85(
        3,
        9,
        3,
        None,
        "Hệ thống cơ sở hạ tầng thông tin phục vụ các cơ quan, tổ chức trong phạm vi một "
        "ngành, một tỉnh hoặc một số tỉnh",
        "Shared infrastructure for bodies within one sector, one province or several provinces",
    ),
    _nd85(
        3, 9, 4, None, f"{_ICS_VI} cấp II, cấp III hoặc cấp IV", f"{_ICS_EN} of grade II, III or IV"
    ),
    _nd85(
        4,
        10,
        1,
        None,
        f"{_CLASSIFIED_VI}; khi bị phá hoại sẽ làm tổn hại nghiêm trọng tới quốc phòng, "
        "an ninh quốc gia",
        f"{_CLASSIFIED_EN}; sabotage would seriously harm national defence and security",
    ),
    _nd85(
        4,
        10,
        2,
        None,
        "Hệ thống thông tin quốc gia phục vụ phát triển Chính phủ điện tử, yêu cầu vận hành "
        "24/7, không chấp nhận ngừng vận hành mà không có kế hoạch trước",
        "National e-government information system that must run 24/7, no unplanned downtime",
    ),
    _nd85(
        4,
        10,
        3,
        None,
        "Hệ thống cơ sở hạ tầng thông tin phục vụ các cơ quan, tổ chức trên phạm vi toàn "
        "quốc, yêu cầu vận hành 24/7, không chấp nhận ngừng vận hành mà không có kế hoạch trước",
        "Shared infrastructure serving bodies nationwide, 24/7, no unplanned downtime",
    ),
    _nd85(4, 10, 4, None, f"{_ICS_VI} cấp I", f"{_ICS_EN} of grade I"),
    _nd85(
        5,
        11,
        1,
        None,
        f"{_CLASSIFIED_VI}; khi bị phá hoại sẽ làm tổn hại đặc biệt nghiêm trọng tới "
        "quốc phòng, an ninh quốc gia",
        f"{_CLASSIFIED_EN}; sabotage would cause especially serious harm to defence and security",
    ),
    _nd85(
        5,
        11,
        2,
        None,
        "Hệ thống lưu trữ dữ liệu tập trung đối với một số loại hình thông tin, dữ liệu đặc "
        "biệt quan trọng của quốc gia",
        "Centralised storage of certain especially important national data",
    ),
    _nd85(
        5,
        11,
        3,
        None,
        "Hệ thống cơ sở hạ tầng thông tin quốc gia phục vụ kết nối liên thông hoạt động của "
        "Việt Nam với quốc tế",
        "National infrastructure interconnecting Vietnam with the world",
    ),
    _nd85(
        5,
        11,
        4,
        None,
        f"{_ICS_VI} cấp đặc biệt hoặc công trình quan trọng liên quan đến an ninh quốc gia",
        f"{_ICS_EN} of special grade or important to national security",
    ),
    _nd85(
        5,
        11,
        5,
        None,
        "Hệ thống thông tin khác theo quyết định của Thủ tướng Chính phủ",
        "Other information system decided by the Prime Minister",
    ),
    *(_nd85_pm(level) for level in (1, 2, 3, 4)),
    _type_floor(
        Regime.ND85, ND85_TITLE, 2, "b", _CITIZEN_TYPE_VI, _CITIZEN_TYPE_EN,
        "Điều 8 khoản 2 điểm b hoặc Điều 9 khoản 2 điểm b",
    ),
    _type_floor(
        Regime.ND85, ND85_TITLE, 2, "c", _INFRA_TYPE_VI, _INFRA_TYPE_EN,
        "Điều 8 khoản 3, Điều 9 khoản 3, Điều 10 khoản 3 hoặc Điều 11 khoản 3",
    ),
    _type_floor(
        Regime.ND85, ND85_TITLE, 3, "d", _ICS_TYPE_VI, _ICS_TYPE_EN,
        "Điều 9 khoản 4, Điều 10 khoản 4 hoặc Điều 11 khoản 4",
    ),
    _default(Regime.ND85, ND85_TITLE, "Điều 7 đến Điều 11"),
)

# Decree 331/2026, Arts. 11-15 (level = article - 10). The "PM decision or risk framework"
# clause exists at every level (Art. 11.2 names only the risk framework).
_ND331: tuple[Criterion, ...] = (
    _nd331(
        1,
        11,
        1,
        None,
        "Hệ thống phục vụ hoạt động nội bộ, chỉ xử lý thông tin công cộng",
        "Internal-only system processing only public information",
    ),
    _nd331(
        1,
        11,
        2,
        None,
        "Được đánh giá rủi ro an ninh mạng ở cấp độ 1 theo Khung quản lý rủi ro an ninh mạng",
        "Assessed at level 1 under the cybersecurity risk-management framework",
    ),
    _nd331(
        2,
        12,
        1,
        None,
        "Hệ thống phục vụ hoạt động nội bộ, có xử lý thông tin riêng, thông tin cá nhân, "
        "không xử lý thông tin bí mật nhà nước",
        "Internal system processing private or personal information, no state secrets",
    ),
    _nd331(
        2,
        12,
        2,
        "a",
        "Phục vụ người dân, doanh nghiệp: cung cấp dịch vụ trực tuyến không thuộc danh mục "
        "ngành, nghề đầu tư kinh doanh có điều kiện",
        "Citizen-facing: online services not on the conditional investment/business list",
    ),
    _nd331(
        2,
        12,
        2,
        "b",
        "Phục vụ người dân, doanh nghiệp: dịch vụ trực tuyến khác xử lý thông tin riêng, thông "
        "tin cá nhân của dưới 100.000 chủ thể dữ liệu cá nhân cơ bản hoặc dưới 10.000 chủ thể "
        "dữ liệu cá nhân nhạy cảm",
        "Citizen-facing: other online service with < 100,000 basic-data or < 10,000 "
        "sensitive-data subjects",
    ),
    _nd331(
        2,
        12,
        3,
        None,
        "Hệ thống cơ sở hạ tầng thông tin phục vụ hoạt động của một cơ quan, tổ chức",
        "Information infrastructure serving one organisation",
    ),
    _nd331(2, 12, 4, None, _PM_RISK_VI, _PM_RISK_EN),
    _nd331(
        3,
        13,
        1,
        None,
        f"{_CLASSIFIED_VI}; khi bị phá hoại sẽ làm tổn hại tới an ninh quốc gia",
        f"{_CLASSIFIED_EN}; sabotage would harm national security",
    ),
    _nd331(
        3,
        13,
        2,
        "a",
        "Phục vụ người dân, doanh nghiệp: cung cấp dịch vụ trực tuyến thuộc danh mục ngành, "
        "nghề đầu tư kinh doanh có điều kiện",
        "Citizen-facing: online services on the conditional investment/business list",
    ),
    _nd331(
        3,
        13,
        2,
        "b",
        "Hệ thống thông tin giải quyết thủ tục hành chính",
        "System handling administrative procedures",
    ),
    _nd331(
        3,
        13,
        2,
        "c",
        "Phục vụ người dân, doanh nghiệp: dịch vụ trực tuyến khác xử lý thông tin riêng, thông "
        "tin cá nhân của từ 100.000 chủ thể dữ liệu cá nhân cơ bản hoặc từ 10.000 chủ thể dữ "
        "liệu cá nhân nhạy cảm trở lên",
        "Citizen-facing: other online service with ≥ 100,000 basic-data or ≥ 10,000 "
        "sensitive-data subjects",
    ),
    _nd331(
        3,
        13,
        3,
        None,
        "Hệ thống cơ sở hạ tầng thông tin phục vụ các cơ quan, tổ chức trong phạm vi một bộ, "
        "một ngành, một tỉnh hoặc một số tỉnh",
        "Shared infrastructure for bodies within one ministry, sector, province or provinces",
    ),
    _nd331(
        3,
        13,
        4,
        None,
        f"{_ICS_VI} cấp II, cấp III hoặc cấp IV",
        f"{_ICS_EN} of grade II, III or IV",
    ),
    _nd331(3, 13, 5, None, _PM_RISK_VI, _PM_RISK_EN),
    _nd331(
        4,
        14,
        1,
        None,
        f"{_CLASSIFIED_VI}; khi bị phá hoại sẽ làm tổn hại nghiêm trọng tới an ninh quốc gia",
        f"{_CLASSIFIED_EN}; sabotage would seriously harm national security",
    ),
    _nd331(
        4,
        14,
        2,
        None,
        "Hệ thống thông tin quốc gia phục vụ phát triển Chính phủ điện tử hoặc hệ thống cơ sở "
        "hạ tầng thông tin phạm vi toàn quốc, yêu cầu vận hành 24/7, không chấp nhận ngừng "
        "vận hành mà không có kế hoạch trước",
        "National e-government system or nationwide shared infrastructure, 24/7, "
        "no unplanned downtime",
    ),
    _nd331(4, 14, 3, None, f"{_ICS_VI} cấp I", f"{_ICS_EN} of grade I"),
    _nd331(4, 14, 4, None, _PM_RISK_VI, _PM_RISK_EN),
    _nd331(
        5,
        15,
        1,
        None,
        f"{_CLASSIFIED_VI}, mang tính chiến lược; khi bị phá hoại sẽ làm tổn hại đặc biệt "
        "nghiêm trọng tới an ninh quốc gia",
        f"{_CLASSIFIED_EN}, strategic; sabotage would cause especially serious harm to "
        "national security",
    ),
    _nd331(
        5,
        15,
        2,
        None,
        "Hệ thống lưu trữ dữ liệu tập trung đối với một số loại hình thông tin, dữ liệu đặc "
        "biệt quan trọng của quốc gia",
        "Centralised storage of certain especially important national data",
    ),
    _nd331(
        5,
        15,
        3,
        None,
        "Hệ thống cơ sở hạ tầng thông tin quốc gia phục vụ kết nối liên thông hoạt động của "
        "Việt Nam với quốc tế",
        "National infrastructure interconnecting Vietnam with the world",
    ),
    _nd331(
        5,
        15,
        4,
        None,
        f"{_ICS_VI} cấp đặc biệt hoặc công trình quan trọng liên quan đến an ninh quốc gia",
        f"{_ICS_EN} of special grade or important to national security",
    ),
    _nd331(5, 15, 5, None, _PM_RISK_VI, _PM_RISK_EN),
    _type_floor(
        Regime.ND331, ND331_TITLE, 2, "b", _CITIZEN_TYPE_VI, _CITIZEN_TYPE_EN,
        "Điều 12 khoản 2 điểm a hoặc Điều 13 khoản 2 điểm a",
    ),
    _type_floor(
        Regime.ND331, ND331_TITLE, 2, "c", _INFRA_TYPE_VI, _INFRA_TYPE_EN,
        "Điều 12 khoản 3, Điều 13 khoản 3, Điều 14 khoản 2 hoặc Điều 15 khoản 3",
    ),
    _type_floor(
        Regime.ND331, ND331_TITLE, 3, "d", _ICS_TYPE_VI, _ICS_TYPE_EN,
        "Điều 13 khoản 4, Điều 14 khoản 3 hoặc Điều 15 khoản 4",
    ),
    _default(Regime.ND331, ND331_TITLE, "Điều 11 đến Điều 15"),
)


def _index(criteria: Iterable[Criterion]) -> Mapping[str, Criterion]:
    # A dict comprehension would let a duplicated id silently shadow another clause.
    index: dict[str, Criterion] = {}
    for criterion in criteria:
        if criterion.id in index:
            raise ValueError(f"duplicate criterion id '{criterion.id}'")
        index[criterion.id] = criterion
    return MappingProxyType(index)


CRITERIA: Mapping[str, Criterion] = _index((*_ND85, *_ND331))
"""Every criterion of both regimes by id; read-only."""
