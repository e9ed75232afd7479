"""A small checklist used only when the shipped `checklists/` folder is still empty.

`bench/run.py` writes it to `bench/out/fallback-checklists/` and says in its output that the
fallback was used. It exercises every check kind, every builtin, `applies_if`, per-level
parameters and all three subjects, and its rule ids match the attestations and waivers that
`bench/generate.py` writes, so attestation and waiver paths run too. It is not a real
checklist: numbers measured with it are indicative only (evaluation time grows with the
number of rules).
"""

from __future__ import annotations

from pathlib import Path

TEXT = """\
catalog:
  id: bench-fallback
  title: {vi: "Danh mục thử hiệu năng (dự phòng)", en: "Benchmark fallback checklist"}
  version: "bench"
rules:
  - id: GOV-02
    title: {vi: "Cấp độ không thấp hơn tiêu chí", en: "Level not below the criteria"}
    remediation: {vi: "Đề xuất lại cấp độ", en: "Propose the level again"}
    group: level
    severity: {1: medium, 3: high}
    gate: true
    references: [{document: "ND 85/2016", clause: "Art. 7-11"}]
    check: {kind: builtin, name: level_not_below_computed}
  - id: GOV-03
    title: {vi: "Hồ sơ đề xuất cấp độ đủ thành phần", en: "Complete level dossier"}
    remediation: {vi: "Bổ sung hồ sơ", en: "Complete the dossier"}
    group: level
    severity: high
    references: [{document: "ND 85/2016", clause: "Art. 15"}]
    check: {kind: builtin, name: dossier_complete}
  - id: GOV-04
    title: {vi: "Phê duyệt đúng thẩm quyền", en: "Approved by a competent body"}
    remediation: {vi: "Trình phê duyệt", en: "Have the level approved"}
    group: level
    severity: high
    gate: true
    references: [{document: "ND 85/2016", clause: "Art. 12"}]
    applies_if: {kind: equals, fact: operating, value: true}
    not_applicable: {vi: "Chưa vận hành", en: "Not in operation"}
    check: {kind: builtin, name: approver_competent}
  - id: GOV-05
    title: {vi: "Thẩm định độc lập", en: "Independent appraisal"}
    remediation: {vi: "Thẩm định lại", en: "Appraise again"}
    group: level
    severity: medium
    references: [{document: "ND 331/2026", clause: "Art. 18"}]
    applies_if: {kind: one_of, fact: dossier.status, values: [appraised, approved]}
    check: {kind: builtin, name: appraisal_independent}
  - id: GOV-06
    title: {vi: "Quy chế ban hành trước khi phê duyệt", en: "Regulation before approval"}
    remediation: {vi: "Ban hành quy chế", en: "Issue the regulation"}
    group: governance
    severity: low
    references: [{document: "TT 12/2022", clause: "Art. 4"}]
    check: {kind: before, fact: security_regulation.date, other: dossier.decision.date,
            if_missing: manual}
  - id: GOV-08
    title: {vi: "Phân công trách nhiệm ATTT", en: "Security responsibilities assigned"}
    remediation: {vi: "Ban hành văn bản phân công", en: "Assign responsibilities"}
    group: governance
    severity: medium
    references: [{document: "TCVN 11930:2017", clause: "7.1"}]
    check: {kind: attested, validity_days: {1: 730, 3: 365}}
  - id: GOV-12
    title: {vi: "Đào tạo nhận thức ATTT", en: "Security awareness training"}
    remediation: {vi: "Tổ chức đào tạo", en: "Train the staff"}
    group: governance
    severity: low
    levels: {min_level: 2}
    references: [{document: "TCVN 11930:2017", clause: "7.3"}]
    check: {kind: attested}
  - id: GOV-16
    title: {vi: "Diễn tập ứng cứu sự cố", en: "Incident-response drill"}
    remediation: {vi: "Tổ chức diễn tập", en: "Hold a drill"}
    group: incidents
    severity: {1: low, 3: medium, 4: high}
    references: [{document: "CT 14/CT-TTg"}]
    check:
      kind: all
      checks:
        - {kind: present, fact: incident_response.plan}
        - {kind: within_days, fact: incident_response.last_drill, days: {1: 730, 3: 365}}
  - id: GOV-19
    title: {vi: "Sao lưu dự phòng", en: "Backups"}
    remediation: {vi: "Thực hiện sao lưu", en: "Back up"}
    group: operations
    severity: medium
    references: [{document: "TCVN 11930:2017", clause: "8.5"}]
    check: {kind: attested, topic: GOV-19, validity_days: 365}
  - id: GOV-28
    title: {vi: "Thời hạn chuyển tiếp", en: "Transition deadlines"}
    remediation: {vi: "Hoàn thành trước hạn", en: "Finish before the deadline"}
    group: transition
    severity: medium
    references: [{document: "Luật 116/2025", clause: "Art. 45.1"}]
    check: {kind: builtin, name: transition_deadlines}
  - id: GATE-01
    title: {vi: "Đánh giá trước vận hành đạt", en: "Pre-operation assessment passed"}
    remediation: {vi: "Đánh giá lại", en: "Assess again"}
    group: golive
    severity: high
    gate: true
    references: [{document: "ND 331/2026", clause: "Art. 24"}]
    applies_if: {kind: equals, fact: operating, value: true}
    check: {kind: equals, fact: pre_operation_assessment.result, value: pass}
  - id: OPS-02
    title: {vi: "Phòng chống mã độc", en: "Anti-malware coverage"}
    remediation: {vi: "Cài đặt phần mềm", en: "Install anti-malware"}
    group: operations
    severity: medium
    references: [{document: "CT 14/CT-TTg"}]
    check: {kind: ratio_at_least, numerator: malware.protected, denominator: malware.endpoints,
            ratio: {1: 0.9, 3: 1.0}}
  - id: OPS-04
    title: {vi: "Quản lý bản vá", en: "Patch management"}
    remediation: {vi: "Cập nhật bản vá", en: "Patch"}
    group: operations
    severity: medium
    references: [{document: "TCVN 11930:2017", clause: "8.2"}]
    check: {kind: attested}
  - id: OPS-05
    title: {vi: "Kết nối máy chủ quản trị tập trung", en: "Central anti-malware console"}
    remediation: {vi: "Kết nối", en: "Connect"}
    group: operations
    severity: low
    levels: {min_level: 2}
    references: [{document: "CT 14/CT-TTg"}]
    check: {kind: ratio_at_least, numerator: malware.connected, denominator: malware.endpoints}
  - id: OPS-07
    title: {vi: "Có kiểm tra, đánh giá", en: "Assessed before or after go-live"}
    remediation: {vi: "Đánh giá", en: "Assess"}
    group: assessment
    severity: medium
    references: [{document: "TT 12/2022"}]
    applies_if: {kind: equals, fact: operating, value: true}
    check:
      kind: any
      checks:
        - {kind: present, fact: pentest}
        - {kind: present, fact: pre_operation_assessment}
  - id: OPS-08
    title: {vi: "Kiểm thử xâm nhập định kỳ", en: "Periodic penetration test"}
    remediation: {vi: "Kiểm thử", en: "Test"}
    group: assessment
    severity: {3: medium, 4: high}
    levels: {min_level: 3}
    references: [{document: "TT 12/2022"}]
    check: {kind: within_days, fact: pentest.date, days: {3: 365, 5: 183}}
  - id: OPS-09
    title: {vi: "Nhật ký hệ thống", en: "System logging"}
    remediation: {vi: "Bật nhật ký", en: "Enable logging"}
    group: operations
    severity: low
    references: [{document: "TCVN 11930:2017", clause: "8.6"}]
    check: {kind: attested, validity_days: {1: 365, 4: 183}}
  - id: OPS-10
    title: {vi: "Tách biệt môi trường lưu trữ", en: "Hosting separation"}
    remediation: {vi: "Tách biệt", en: "Separate"}
    group: hosting
    severity: medium
    levels: {min_level: 3}
    references: [{document: "TT 12/2022", clause: "Art. 9.9"}]
    check:
      kind: not
      check: {kind: equals, fact: hosting.separation, value: none}
  - id: L1-01
    title: {vi: "Lực lượng tại chỗ", en: "On-site force (layer 1)"}
    remediation: {vi: "Phân công", en: "Assign"}
    group: four-layer
    severity: high
    references: [{document: "CT 14/CT-TTg"}]
    check:
      kind: all
      checks:
        - {kind: present, fact: four_layer.layer1.unit}
        - {kind: at_least, fact: four_layer.layer1.staff, value: {1: 1, 3: 2}, if_missing: manual}
  - id: L2-01
    title: {vi: "Giám sát chuyên nghiệp", en: "Professional monitoring (layer 2)"}
    remediation: {vi: "Thuê dịch vụ", en: "Contract a provider"}
    group: four-layer
    severity: high
    levels: {min_level: 2}
    references: [{document: "CT 14/CT-TTg"}]
    check:
      kind: all
      checks:
        - {kind: present, fact: four_layer.layer2.provider}
        - {kind: not_expired, fact: four_layer.layer2.contract_end}
        - {kind: equals, fact: four_layer.layer2.monitoring_24x7, value: true}
  - id: L3-01
    title: {vi: "Đánh giá độc lập định kỳ", en: "Periodic independent assessment (layer 3)"}
    remediation: {vi: "Đánh giá", en: "Assess"}
    group: four-layer
    severity: {1: medium, 3: high}
    references: [{document: "CT 14/CT-TTg"}]
    check: {kind: within_days, fact: four_layer.layer3.last_assessment,
            days: {1: 730, 3: 365, 5: 183}}
  - id: L3-02
    title: {vi: "Tổ chức đánh giá độc lập", en: "Assessor independence"}
    remediation: {vi: "Chọn tổ chức khác", en: "Choose another assessor"}
    group: four-layer
    severity: medium
    references: [{document: "CT 14/CT-TTg"}]
    check: {kind: builtin, name: assessor_independent}
  - id: L3-03
    title: {vi: "Kết quả đánh giá", en: "Assessment result"}
    remediation: {vi: "Khắc phục", en: "Remediate"}
    group: four-layer
    severity: medium
    references: [{document: "CT 14/CT-TTg"}]
    check: {kind: one_of, fact: four_layer.layer3.result, values: [pass, conditional]}
  - id: L4-01
    title: {vi: "Kết nối giám sát quốc gia", en: "Connected to national monitoring (layer 4)"}
    remediation: {vi: "Kết nối", en: "Connect"}
    group: four-layer
    severity: medium
    levels: {min_level: 3}
    references: [{document: "Luật 116/2025", clause: "Art. 40.1.b"}]
    check: {kind: equals, fact: four_layer.layer4.connected, value: true}
  - id: TECH-01
    title: {vi: "Địa chỉ máy chủ", en: "Host addresses"}
    remediation: {vi: "Khai báo", en: "Declare"}
    group: technical
    severity: low
    references: [{document: "bench"}]
    check:
      kind: for_each
      over: hosts
      when_empty: fail
      check: {kind: present, fact: ipv4}
  - id: TECH-02
    title: {vi: "HTTPS", en: "HTTPS only"}
    remediation: {vi: "Dùng HTTPS", en: "Use HTTPS"}
    group: technical
    severity: high
    references: [{document: "bench"}]
    check:
      kind: for_each
      over: endpoints
      check: {kind: matches, fact: url, pattern: "^https://"}
  - id: TECH-03
    title: {vi: "Cổng dịch vụ khai báo", en: "Expected ports declared"}
    remediation: {vi: "Khai báo", en: "Declare"}
    group: technical
    severity: low
    references: [{document: "bench"}]
    check:
      kind: for_each
      over: hosts
      check: {kind: present, fact: expected_ports}
  - id: TECH-04
    title: {vi: "Chứng thư số", en: "Certificates described"}
    remediation: {vi: "Khai báo", en: "Declare"}
    group: technical
    severity: info
    obligation: advisory
    references: [{document: "bench"}]
    check:
      kind: for_each
      over: certificates
      check: {kind: present, fact: purpose, if_missing: manual}
  - id: IP6-02
    title: {vi: "Dịch vụ hỗ trợ IPv6", en: "Services reachable over IPv6"}
    remediation: {vi: "Bật IPv6", en: "Enable IPv6"}
    group: ipv6
    severity: low
    obligation: reinforcement
    references: [{document: "KH IPv6"}]
    check:
      kind: for_each
      over: endpoints
      check: {kind: equals, fact: ipv6_claimed, value: true}
  - id: AG-01
    title: {vi: "Đơn vị chuyên trách", en: "Security unit"}
    remediation: {vi: "Giao đơn vị", en: "Designate a unit"}
    group: governance
    subject: agency
    severity: high
    references: [{document: "Luật 116/2025"}]
    check: {kind: present, fact: security_unit.name}
  - id: AG-02
    title: {vi: "Cán bộ được đào tạo", en: "Trained staff"}
    remediation: {vi: "Đào tạo", en: "Train"}
    group: governance
    subject: agency
    severity: medium
    references: [{document: "KH tỉnh"}]
    check: {kind: ratio_at_least, numerator: staff.trained, denominator: staff.security_staff}
  - id: AG-03
    title: {vi: "Đánh giá tổng thể", en: "Overall assessment"}
    remediation: {vi: "Đánh giá", en: "Assess"}
    group: assessment
    subject: agency
    severity: medium
    references: [{document: "KH tỉnh"}]
    check: {kind: within_days, fact: organisation_assessment.date, days: 730}
  - id: GOV-18
    title: {vi: "Báo cáo của cơ quan", en: "Agency report"}
    remediation: {vi: "Gửi báo cáo", en: "Report"}
    group: reporting
    subject: agency
    severity: low
    references: [{document: "TT 12/2022"}]
    check: {kind: attested}
  - id: GOV-11
    title: {vi: "Đánh giá tổng thể 02 năm/lần", en: "Overall assessment every 2 years"}
    remediation: {vi: "Đánh giá", en: "Assess"}
    group: assessment
    subject: organisation
    severity: medium
    references: [{document: "KH tỉnh"}]
    check: {kind: within_days, fact: organisation_assessment.date, days: 730}
  - id: GOV-17
    title: {vi: "Báo cáo năm", en: "Annual report"}
    remediation: {vi: "Gửi báo cáo", en: "Report"}
    group: reporting
    subject: organisation
    severity: medium
    references: [{document: "TT 12/2022"}]
    check: {kind: attested}
  - id: GOV-27
    title: {vi: "Kinh phí ANM ≥ 15%", en: "≥ 15 % cybersecurity budget"}
    remediation: {vi: "Bố trí kinh phí", en: "Budget"}
    group: budget
    subject: organisation
    severity: medium
    references: [{document: "Luật 116/2025", clause: "Art. 38.1"}]
    check: {kind: builtin, name: budget_share}
  - id: IP6-05
    title: {vi: "Kế hoạch IPv6", en: "IPv6 plan"}
    remediation: {vi: "Ban hành kế hoạch", en: "Issue a plan"}
    group: ipv6
    subject: organisation
    severity: low
    references: [{document: "KH IPv6"}]
    check: {kind: present, fact: ipv6_plan}
"""


def write(folder: Path) -> Path:
    """Write the fallback checklist into `folder`; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bench-fallback.yaml").write_text(TEXT, encoding="utf-8")
    return folder
