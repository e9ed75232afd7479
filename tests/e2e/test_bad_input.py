"""Malformed inputs through the real CLI: each is refused with exit code 2, one clear message
naming the file, the line (and the field path where there is one), no traceback, and no
half-written --json output.

Static cases live in tests/data/bad/ (inventory/, folders/, checklists/); each marks the line
the error must name with `# <-- ERROR` (and the line a duplicate first appeared on with
`# <-- FIRST`). Large, binary or path-dependent inputs are generated in tmp_path at test time.
tests/data/bad/_valid/ holds the valid scaffold the cases are derived from: the positive
controls below prove that the scaffold itself is accepted, so each error comes from the defect.

Every case runs in Vietnamese (the default) and with --lang en: each language has its own
expected text, and both must name the same FILE:LINE:COL and field. The English run calls the
console script's entry point (`auditor.cli.main`) in-process, to keep the corpus cheap.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest
import yaml

from auditor.cli import main
from auditor.loading.safe_yaml import load_yaml_file
from auditor.resources import shipped_dir

BAD = Path(__file__).resolve().parent.parent / "data" / "bad"
VALID_INVENTORY = BAD / "_valid" / "inventory.yaml"
VALID_CHECKLIST = BAD / "_valid" / "checklist.yaml"
AS_OF = "2026-11-24"
LIMIT = 64 * 1024 * 1024
ERROR_MARK = "# <-- ERROR"
FIRST_MARK = "# <-- FIRST"
MARKER = "marker"  # Case.line: take the line from the ERROR_MARK comment in the named file


class Result(Protocol):
    code: int
    stdout: str
    stderr: str


Cli = Callable[..., Result]

# --------------------------------------------------------------------------------------------
# Generated inputs
# --------------------------------------------------------------------------------------------


def _valid_text() -> str:
    return VALID_INVENTORY.read_text(encoding="utf-8")


def _line_containing(text: str, needle: str) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(lines) == 1, f"{needle!r} must occur on exactly one line of the scaffold"
    return lines[0]


def _write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def gen_deep_flow_sequence(tmp: Path) -> Path:
    return _write(tmp / "deep-seq.yaml", "[" * 10_000 + "\n")


def gen_deep_flow_mapping(tmp: Path) -> Path:
    return _write(tmp / "deep-map.yaml", "{a: " * 10_000 + "\n")


def gen_deep_block_mapping(tmp: Path) -> Path:
    return _write(tmp / "deep-block.yaml", "".join("  " * i + "k:\n" for i in range(200)))


def gen_over_size_limit(tmp: Path) -> Path:
    """A valid inventory padded with comments to 65 MiB (the limit is 64 MiB)."""
    path = tmp / "huge.yaml"
    chunk = ("# " + "đệm " * 250 + "\n") * 1024
    with path.open("w", encoding="utf-8") as handle:
        handle.write(_valid_text())
        while handle.tell() < LIMIT + 1024 * 1024:
            handle.write(chunk)
    assert path.stat().st_size > LIMIT
    return path


def gen_latin1(tmp: Path) -> Path:
    assert _line_containing(_valid_text(), "Sở A") == 7  # the line the case expects
    raw = _valid_text().encode("utf-8").replace("Sở A".encode(), "Só A".encode("latin-1"))
    return _write(tmp / "latin1.yaml", raw)


def gen_bom_latin1(tmp: Path) -> Path:
    """UTF-8 BOM, then a comment written in Latin-1 on line 2 ('É' = 0xc9)."""
    first, rest = _valid_text().split("\n", 1)
    raw = b"\xef\xbb\xbf" + first.encode() + b"\n# \xc9dition 2026\n" + rest.encode()
    return _write(tmp / "bom-latin1.yaml", raw)


def gen_nul_byte(tmp: Path) -> Path:
    assert _line_containing(_valid_text(), "Hệ thống 1") == 10  # the line the case expects
    return _write(tmp / "nul.yaml", _valid_text().replace("Hệ thống 1", "Hệ\x00thống 1"))


def gen_png(tmp: Path) -> Path:
    # The PNG signature: \x89PNG\r\n, \x1a\n, then a chunk length starting with NUL (line 3).
    return _write(tmp / "logo.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def gen_utf16(tmp: Path) -> Path:
    return _write(tmp / "utf16.yaml", _valid_text().encode("utf-16"))


def gen_control_char(tmp: Path) -> Path:
    """An ANSI colour escape pasted from a terminal into the agency name."""
    assert _line_containing(_valid_text(), "Sở A") == 7  # the line the case expects
    return _write(tmp / "escape.yaml", _valid_text().replace("Sở A", "\x1b[31mSở A\x1b[0m"))


def gen_huge_integer(tmp: Path) -> Path:
    assert _line_containing(_valid_text(), "declared_level: 1") == 13  # the line expected
    text = _valid_text().replace("declared_level: 1", "declared_level: " + "9" * 5000)
    return _write(tmp / "huge-int.yaml", text)


def gen_python_mkdir(tmp: Path) -> Path:
    marker = tmp / "pwned"
    text = f'organisation: !!python/object/apply:os.mkdir ["{marker}"]\n'
    return _write(tmp / "python-mkdir.yaml", text)


def gen_empty_folder(tmp: Path) -> Path:
    folder = tmp / "empty-folder"
    folder.mkdir()
    (folder / "notes.txt").write_text("organisation: not a YAML file by name\n")
    return folder


def gen_missing_path(tmp: Path) -> Path:
    return tmp / "does-not-exist.yaml"


def _shipped_checklists() -> list[Path]:
    try:
        folder = shipped_dir("checklists")
    except FileNotFoundError:
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def gen_duplicate_of_shipped_rule(tmp: Path) -> Path:
    """A checklist whose rule id is already used by a shipped checklist.

    Writes expect.json beside it: the rule id and the shipped file the error must name.
    """
    for path in _shipped_checklists():
        data, _ = load_yaml_file(path)
        rules = data.get("rules") if isinstance(data, dict) else None
        if rules:
            rule_id = str(rules[0]["id"])
            break
    else:
        pytest.skip("the shipped checklists/ folder has no rules yet")
    text = VALID_CHECKLIST.read_text(encoding="utf-8")
    text = text.replace("  - id: ZZBAD-CONTROL-1\n", f"  - id: {rule_id}  {ERROR_MARK}\n")
    assert rule_id in text
    (tmp / "expect.json").write_text(json.dumps({"rule": rule_id, "shipped": str(path)}))
    return _write(tmp / "duplicate-of-shipped.yaml", text)


# --------------------------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    target: str | Callable[[Path], Path]  # under BAD, or a generator writing into tmp
    message: str  # what stderr must say about this defect with --lang en
    vi: str  # what it must say in Vietnamese (the default language)
    line: int | str | None = MARKER
    field: str | None = None
    names: str | None = None  # the file the error names, relative to the target folder
    also: tuple[str, ...] = ()  # more text stderr must hold; {first} / {first_file} / {target}
    also_vi: tuple[str, ...] | None = None  # the same in Vietnamese (default: `also`)
    first: str | None = None  # file (relative to the target folder) holding FIRST_MARK
    checklist: bool = False  # a checklist case: the target is passed with --checklist
    bug: str | None = None  # known package bug: the location test is a strict xfail


SYS = "agencies[0].systems[0]"
HOST = f"{SYS}.hosts[0]"
ENDPOINT = f"{SYS}.endpoints[0]"

CASES: tuple[Case, ...] = (
    # ---- YAML level ---------------------------------------------------------------------
    Case(
        "yaml-syntax",
        "inventory/yaml-syntax.yaml",
        "invalid YAML: mapping values",
        vi="YAML không hợp lệ: không được viết cặp 'khóa: giá trị' ở đây",
    ),
    Case(
        "yaml-bad-indent",
        "inventory/yaml-bad-indent.yaml",
        "invalid YAML",
        vi="YAML không hợp lệ",
    ),
    Case(
        "duplicate-key",
        "inventory/duplicate-key.yaml",
        "duplicate key 'name' (first written on line {first})",
        first="",
        vi="khóa trùng lặp 'name' (đã viết lần đầu ở dòng {first})",
    ),
    Case(
        "multiple-documents",
        "inventory/multiple-documents.yaml",
        "only one YAML document",
        vi="mỗi tệp chỉ được chứa một tài liệu YAML",
    ),
    Case(
        "top-level-list",
        "inventory/top-level-list.yaml",
        "must be a mapping",
        vi="phải là một ánh xạ (mapping)",
    ),
    Case(
        "empty-file",
        "inventory/empty.yaml",
        "must be a mapping",
        line=1,
        vi="phải là một ánh xạ (mapping)",
    ),
    Case(
        "comments-only",
        "inventory/comments-only.yaml",
        "must be a mapping",
        line=1,
        vi="phải là một ánh xạ (mapping)",
    ),
    Case(
        "python-tag-os-system",
        "inventory/python-tag-system.yaml",
        "unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'",
        vi="thẻ YAML không được hỗ trợ 'tag:yaml.org,2002:python/object/apply:os.system'",
    ),
    Case(
        "python-tag-on-mapping",
        "inventory/python-tag-mapping.yaml",
        "unsupported YAML tag 'tag:yaml.org,2002:python/object:os.system'",
        vi="thẻ YAML không được hỗ trợ 'tag:yaml.org,2002:python/object:os.system'",
    ),
    Case(
        "python-tag-os-mkdir",
        gen_python_mkdir,
        "unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.mkdir'",
        line=1,
        vi="thẻ YAML không được hỗ trợ 'tag:yaml.org,2002:python/object/apply:os.mkdir'",
    ),
    Case(
        "binary-tag",
        "inventory/binary-tag.yaml",
        "unsupported YAML tag",
        vi="thẻ YAML không được hỗ trợ",
    ),
    Case(
        "alias-bomb",
        "inventory/alias-bomb.yaml",
        "expands to more than 5,000,000 values",
        vi="khai triển ra hơn 5.000.000 giá trị",
    ),
    Case(
        "deep-flow-sequence",
        gen_deep_flow_sequence,
        "nesting deeper than 64 levels",
        line=1,
        vi="lồng nhau sâu quá 64 cấp",
    ),
    Case(
        "deep-flow-mapping",
        gen_deep_flow_mapping,
        "nesting deeper than 64 levels",
        line=1,
        vi="lồng nhau sâu quá 64 cấp",
    ),
    Case(
        "deep-block-mapping",
        gen_deep_block_mapping,
        "nesting deeper than 64 levels",
        line=65,
        vi="lồng nhau sâu quá 64 cấp",
    ),
    Case(
        "over-size-limit",
        gen_over_size_limit,
        "larger than the limit of 67,108,864 bytes",
        line=None,
        vi="vượt giới hạn 67.108.864 byte",
    ),
    Case(
        "latin1",
        gen_latin1,
        "not valid UTF-8 (byte 0xf3",
        line=7,
        vi="không phải UTF-8 hợp lệ (byte 0xf3",
    ),
    Case(
        "bom-then-latin1",
        gen_bom_latin1,
        "not valid UTF-8",
        line=2,
        also=("byte 0xc9",),
        vi="không phải UTF-8 hợp lệ",
    ),
    Case(
        "nul-byte",
        gen_nul_byte,
        "binary data (NUL byte)",
        line=10,
        vi="dữ liệu nhị phân (có byte NUL)",
    ),
    Case("png", gen_png, "binary data (NUL byte)", line=3, vi="dữ liệu nhị phân (có byte NUL)"),
    Case("utf16", gen_utf16, "binary data (NUL byte)", line=1, vi="dữ liệu nhị phân (có byte NUL)"),
    Case(
        "control-character",
        gen_control_char,
        "control characters are not allowed",
        line=7,
        vi="không được dùng ký tự điều khiển",
    ),
    Case(
        "integer-too-long",
        gen_huge_integer,
        "invalid value '99999999",
        also=("number too long (5000 digits; at most 4300)",),
        line=13,
        vi="giá trị không hợp lệ '99999999",
        also_vi=("số quá dài (5000 chữ số; tối đa 4300)",),
    ),
    Case(
        "invalid-date",
        "inventory/invalid-date.yaml",
        "day is out of range for month",
        vi="ngày vượt quá số ngày của tháng",
    ),
    # ---- inventory model ----------------------------------------------------------------
    Case(
        "unknown-field", "inventory/unknown-field.yaml", "unknown field", field=f"{SYS}.lifecycel",
        vi="trường không xác định",
    ),
    Case(
        "unknown-field-hyphen",
        "inventory/unknown-field-hyphen.yaml",
        "unknown field",
        field=f"{SYS}.declared-level",
        vi="trường không xác định",
    ),
    Case(
        "declared-level-text",
        "inventory/declared-level-text.yaml",
        "valid integer",
        field=f"{SYS}.declared_level",
        vi="phải là một số nguyên",
    ),
    Case(
        "form08-unknown-field",
        "inventory/form08-unknown-field.yaml",
        "unknown field",
        field="organisation.form08.owner.emial",
        vi="trường không xác định",
    ),
    Case(
        "retired-date-on-live-system",
        "inventory/retired-date-on-live-system.yaml",
        "'retired' (the date the system stopped) needs 'lifecycle: retired'",
        field="agencies[0].systems[0]",
        vi="'retired' (ngày dừng vận hành) chỉ khai báo khi 'lifecycle: retired'",
    ),
    Case(
        "form08-email-invalid",
        "inventory/form08-email-invalid.yaml",
        "'vanthu-at-thu' is not a valid e-mail address",
        field="organisation.form08.security_unit.email",
        vi="'vanthu-at-thu' không phải địa chỉ thư điện tử hợp lệ",
    ),
    Case(
        "form08-representative-list",
        "inventory/form08-representative-list.yaml",
        "valid string",
        field="organisation.annual_letter.signer.name",
        vi="phải là một chuỗi văn bản",
    ),
    Case(
        "declared-level-7",
        "inventory/declared-level-7.yaml",
        "less than or equal to 5",
        field=f"{SYS}.declared_level",
        vi="phải nhỏ hơn hoặc bằng 5",
    ),
    Case(
        "missing-system-type",
        "inventory/missing-system-type.yaml",
        "required field is missing",
        field=f"{SYS}.system_type",
        vi="thiếu trường bắt buộc",
    ),
    Case(
        "ipv4-invalid",
        "inventory/ipv4-invalid.yaml",
        "not a valid IPv4 address",
        field=f"{HOST}.ipv4[0]",
        vi="không phải địa chỉ IPv4 hợp lệ",
    ),
    Case(
        "ipv6-invalid",
        "inventory/ipv6-invalid.yaml",
        "not a valid IPv6 address",
        field=f"{HOST}.ipv6[0]",
        vi="không phải địa chỉ IPv6 hợp lệ",
    ),
    Case(
        "ipv4-in-ipv6-list",
        "inventory/ipv4-in-ipv6.yaml",
        "not a valid IPv6 address",
        field=f"{HOST}.ipv6[1]",
        vi="không phải địa chỉ IPv6 hợp lệ",
    ),
    Case(
        "hostname-dash-oX",
        "inventory/hostname-option-ox.yaml",
        "'-oX/tmp/pwn' is not a valid host name",
        field=f"{HOST}.name",
        vi="'-oX/tmp/pwn' không phải tên máy (host name) hợp lệ",
    ),
    Case(
        "hostname-dash-dash-script",
        "inventory/hostname-option-script.yaml",
        "'--script=evil' is not a valid host name",
        field=f"{HOST}.name",
        vi="'--script=evil' không phải tên máy (host name) hợp lệ",
    ),
    Case(
        "system-id-dash",
        "inventory/system-id-dash.yaml",
        "should match pattern",
        field=f"{SYS}.id",
        vi="không khớp mẫu",
    ),
    Case(
        "agency-id-dash",
        "inventory/agency-id-dash.yaml",
        "should match pattern",
        field="agencies[0].id",
        vi="không khớp mẫu",
    ),
    Case(
        "url-scheme-ftp",
        "inventory/url-scheme-ftp.yaml",
        "the scheme must be http or https",
        field=f"{ENDPOINT}.url",
        vi="giao thức phải là http hoặc https",
    ),
    Case(
        "url-scheme-file",
        "inventory/url-scheme-file.yaml",
        "the scheme must be http or https",
        field=f"{ENDPOINT}.url",
        vi="giao thức phải là http hoặc https",
    ),
    Case(
        "url-userinfo",
        "inventory/url-userinfo.yaml",
        "must not carry a user name or password",
        field=f"{ENDPOINT}.url",
        vi="không được chứa tên người dùng hay mật khẩu",
    ),
    Case(
        "url-whitespace",
        "inventory/url-whitespace.yaml",
        "contains white space",
        field=f"{ENDPOINT}.url",
        vi="(có khoảng trắng)",
    ),
    Case(
        "url-host-dash",
        "inventory/url-host-option.yaml",
        "is not a valid host name",
        field=f"{ENDPOINT}.url",
        vi="không phải tên máy (host name) hợp lệ",
    ),
    Case(
        "endpoint-http-url-https",
        "inventory/endpoint-http-url-https.yaml",
        "must be a plain http:// URL",
        field=f"{ENDPOINT}.http_url",
        vi="phải là một URL http:// thường",
    ),
    Case(
        "endpoint-kind-unknown",
        "inventory/endpoint-kind-unknown.yaml",
        "Input should be 'web', 'api' or 'other'",
        field=f"{ENDPOINT}.kind",
        vi="phải là 'web', 'api' hoặc 'other'",
    ),
    Case(
        "tls-policy-negative-days",
        "inventory/tls-policy-negative-days.yaml",
        "greater than or equal to 0",
        field=f"{SYS}.tls_policy.expiry_warning_days",
        vi="phải lớn hơn hoặc bằng 0",
    ),
    Case(
        "port-70000",
        "inventory/port-70000.yaml",
        "'70000' is not a port",
        field=f"{HOST}.expected_ports[1]",
        vi="'70000' không phải cổng",
    ),
    Case(
        "malware-protected-gt-endpoints",
        "inventory/malware-protected-gt-endpoints.yaml",
        "'protected' and 'connected' cannot exceed 'endpoints'",
        field=f"{SYS}.malware",
        vi="'protected' và 'connected' không được lớn hơn 'endpoints'",
    ),
    Case(
        "certificate-endpoint-and-file",
        "inventory/certificate-endpoint-and-file.yaml",
        "give exactly one of 'endpoint' or 'file'",
        field=f"{SYS}.certificates[0]",
        vi="hãy ghi đúng một trong hai: 'endpoint' hoặc 'file'",
    ),
    # ---- inventory as a whole -----------------------------------------------------------
    Case(
        "no-organisation",
        "inventory/no-organisation.yaml",
        "no 'organisation:' section found",
        line=None,
        vi="không tìm thấy mục 'organisation:'",
    ),
    Case(
        "two-organisations",
        "folders/two-organisations",
        "a second organisation",
        names="b.yaml",
        field="organisation",
        also=("the first is in {target}/a.yaml",),
        vi="tổ chức thứ hai",
        also_vi=("tổ chức thứ nhất ở {target}/a.yaml",),
    ),
    Case(
        "duplicate-system-id-across-files",
        "folders/duplicate-system-ids",
        "system id 'he-thong-1' is already used at {first_file}:{first}",
        names="b.yaml",
        first="a.yaml",
        field="agency.systems[1].id",
        vi="mã hệ thống 'he-thong-1' đã được dùng ở {first_file}:{first}",
    ),
    Case(
        "duplicate-system-id-same-agency",
        "inventory/duplicate-system-id-same-agency.yaml",
        "system id 'he-thong-1' is already used at {first_file}:{first}",
        first="",
        field="agencies[0].systems[1].id",
        vi="mã hệ thống 'he-thong-1' đã được dùng ở {first_file}:{first}",
    ),
    Case(
        "duplicate-agency-id-across-files",
        "folders/duplicate-agency-ids",
        "agency id 'so-a' is already used at {first_file}:{first}",
        names="b.yaml",
        first="a.yaml",
        field="agencies[1].id",
        vi="mã cơ quan 'so-a' đã được dùng ở {first_file}:{first}",
    ),
    Case(
        "duplicate-agency-id-same-file",
        "inventory/duplicate-agency-id-same-file.yaml",
        "agency id 'so-a' is already used at {first_file}:{first}",
        first="",
        field="agencies[1].id",
        vi="mã cơ quan 'so-a' đã được dùng ở {first_file}:{first}",
    ),
    Case(
        "empty-folder",
        gen_empty_folder,
        "no YAML inventory files found",
        line=None,
        vi="không tìm thấy tệp YAML danh mục kiểm kê nào",
    ),
    Case(
        "missing-path",
        gen_missing_path,
        "no such file or folder",
        line=None,
        vi="không có tệp hoặc thư mục này",
    ),
    # ---- checklists ---------------------------------------------------------------------
    Case(
        "checklist-unknown-kind",
        "checklists/unknown-kind.yaml",
        "Input tag 'presnt' found using 'kind' does not match",
        field="rules[0].check",
        checklist=True,
        vi="giá trị 'presnt' của trường 'kind' không thuộc các loại được phép",
    ),
    Case(
        "checklist-unknown-builtin",
        "checklists/unknown-builtin.yaml",
        "unknown builtin check 'no_such_check'",
        field="rules[0].check.name",
        checklist=True,
        vi="kiểm tra dựng sẵn không xác định 'no_such_check'",
    ),
    Case(
        "checklist-bad-regex",
        "checklists/bad-regex.yaml",
        "invalid regular expression",
        field="rules[0].check.pattern",
        checklist=True,
        vi="biểu thức chính quy không hợp lệ",
    ),
    Case(
        "checklist-bad-fact-key",
        "checklists/bad-fact-key.yaml",
        "should match pattern",
        field="rules[0].check.fact",
        checklist=True,
        vi="không khớp mẫu",
    ),
    Case(
        "checklist-rule-id-lowercase",
        "checklists/rule-id-lowercase.yaml",
        "should match pattern",
        field="rules[0].id",
        checklist=True,
        vi="không khớp mẫu",
    ),
    Case(
        "checklist-no-rules",
        "checklists/no-rules.yaml",
        "at least",
        field="rules",
        checklist=True,
        vi="ít nhất",
    ),
    Case(
        "checklist-duplicate-rule-id",
        "checklists/duplicate-rule-id",
        "rule id 'ZZBAD-DUP-1' is already defined in {target}/a.yaml",
        names="b.yaml",
        field="rules[0].id",
        checklist=True,
        vi="mã quy tắc 'ZZBAD-DUP-1' đã được định nghĩa trong {target}/a.yaml",
    ),
    Case(
        "checklist-duplicate-of-shipped-rule",
        gen_duplicate_of_shipped_rule,
        "rule id '{rule}' is already defined in {shipped}",
        field="rules[0].id",
        checklist=True,
        vi="mã quy tắc '{rule}' đã được định nghĩa trong {shipped}",
    ),
)


def _params(cases: tuple[Case, ...], bug_marks: bool) -> list[object]:
    params: list[object] = []
    for case in cases:
        marks = []
        if bug_marks and case.bug:
            marks.append(pytest.mark.xfail(reason=case.bug, strict=True))
        params.append(pytest.param(case, id=case.id, marks=marks))
    return params


# --------------------------------------------------------------------------------------------
# Running a case (once per session: the two tests below share the run)
# --------------------------------------------------------------------------------------------


LANGS = ("vi", "en")
PREFIX = {"vi": "auditor: lỗi: ", "en": "auditor: error: "}
FIELD = {"vi": "trường", "en": "field"}


@dataclass(frozen=True)
class Run:
    target: Path
    named: Path  # the file the error must name
    tmp: Path
    # (command label, language, CLI result): each command in Vietnamese (the default, no
    # --lang given), and `audit` again with --lang en
    results: tuple[tuple[str, str, Result], ...]
    outputs: tuple[str, ...]  # what is in the --json folder afterwards


_RUNS: dict[str, Run] = {}


@dataclass(frozen=True)
class InProcess:
    code: int
    stdout: str
    stderr: str


def _in_process(*args: str | Path) -> InProcess:
    """`auditor ARGS` through the entry point the console script calls, in this process."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            main([str(a) for a in args])
        except SystemExit as exit_:
            code = exit_.code
        else:  # pragma: no cover - main always exits
            code = 0
    assert isinstance(code, int)
    return InProcess(code, stdout.getvalue(), stderr.getvalue())


def _run(case: Case, cli: Cli, factory: pytest.TempPathFactory) -> Run:
    if case.id in _RUNS:
        return _RUNS[case.id]
    tmp = factory.mktemp(case.id)
    target = BAD / case.target if isinstance(case.target, str) else case.target(tmp)
    out_dir = tmp / "out"
    out_dir.mkdir()
    json_out = out_dir / "out.json"
    results: list[tuple[str, str, Result]] = []
    english = ("--lang", "en")
    if case.checklist:
        results.append(("validate", "vi", cli("validate", VALID_INVENTORY, "--checklist", target)))
        audit = ("audit", VALID_INVENTORY, "--checklist", target)
    else:
        audit = ("audit", target)
    results.append(("audit", "vi", cli(*audit, "--json", json_out, "--as-of", AS_OF)))
    results.append(("audit", "en", _in_process(*audit, "--json", json_out, "--as-of", AS_OF,
                                              *english)))
    outputs = tuple(sorted(p.name for p in out_dir.iterdir()))
    if target.is_file() and target.stat().st_size > 1024 * 1024:
        target.unlink()  # do not keep 65 MiB around for the rest of the session
    named = target / case.names if case.names else target
    run = Run(target, named, tmp, tuple(results), outputs)
    _RUNS[case.id] = run
    return run


def _marker_line(path: Path, mark: str) -> int:
    lines = [
        n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if mark in text
    ]
    assert len(lines) == 1, f"{path} must mark exactly one line with {mark!r}"
    return lines[0]


def _expand(text: str, case: Case, run: Run) -> str:
    """Fill {first}, {first_file}, {target} and whatever a generator put in expect.json."""
    first_file = run.target / case.first if case.first else run.named
    first = _marker_line(first_file, FIRST_MARK) if case.first is not None else ""
    expect = run.tmp / "expect.json"
    more = json.loads(expect.read_text()) if expect.exists() else {}
    return text.format(first=first, first_file=first_file, target=run.target, **more)


def _expected_line(case: Case, run: Run) -> int | None:
    if case.line == MARKER:
        return _marker_line(run.named, ERROR_MARK)
    assert case.line is None or isinstance(case.line, int)
    return case.line


def _message(case: Case, lang: str) -> str:
    return case.vi if lang == "vi" else case.message


def _also(case: Case, lang: str) -> tuple[str, ...]:
    return case.also_vi if lang == "vi" and case.also_vi is not None else case.also


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", _params(CASES, bug_marks=False))
def test_bad_input_is_refused_cleanly(
    case: Case, cli: Cli, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Exit 2, one error line naming the file and the defect (in Vietnamese by default, in
    English with --lang en), no traceback, nothing written."""
    run = _run(case, cli, tmp_path_factory)
    for label, lang, result in run.results:
        message = _expand(_message(case, lang), case, run)
        assert result.code == 2, f"{label} ({lang}): {result.stderr}"
        stderr: str = result.stderr
        assert "Traceback" not in stderr
        assert stderr.startswith(f"{PREFIX[lang]}{run.named}")
        assert stderr.count(PREFIX[lang].rstrip()) == 1
        assert message in stderr
        if case.bug is None:  # a bug case checks `also` in the (xfailed) location test
            for text in _also(case, lang):
                assert _expand(text, case, run) in stderr
        assert result.stdout == "", f"{label} printed on stdout"
    assert run.outputs == (), "the --json folder must stay empty (no output, no temp file)"


@pytest.mark.parametrize("case", _params(CASES, bug_marks=True))
def test_bad_input_names_line_and_field(
    case: Case, cli: Cli, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The message is tied to the right FILE:LINE and, where there is one, the field path."""
    run = _run(case, cli, tmp_path_factory)
    line = _expected_line(case, run)
    for label, lang, result in run.results:
        message = _expand(_message(case, lang), case, run)
        where = re.escape(str(run.named))
        if line is not None:
            where += rf":{line}(?::\d+)?"
        if case.field is not None:
            where += re.escape(f": {FIELD[lang]} '{case.field}'")
        pattern = rf"^(?:{re.escape(PREFIX[lang])}|  ){where}: .*{re.escape(message)}"
        stderr: str = result.stderr
        assert re.search(pattern, stderr, re.MULTILINE), f"{label}: {pattern}\n{stderr}"
        for text in _also(case, lang):
            assert _expand(text, case, run) in stderr


_LOCATED = re.compile(r"^(?P<where>[^:]+(?::\d+){0,2})(?:: (?:field|trường) '(?P<field>[^']*)')?: ")
_GOT = re.compile(r"\(got (.+)\)")


@pytest.mark.parametrize("case", _params(CASES, bug_marks=False))
def test_both_languages_name_the_same_place_in_their_own_words(
    case: Case, cli: Cli, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The same bad input under --lang vi (the default) and --lang en: the same
    FILE:LINE:COL and field, a different text, and the offending value quoted in both."""
    run = _run(case, cli, tmp_path_factory)
    by_command: dict[str, dict[str, list[str]]] = {}
    for label, lang, result in run.results:
        lines = result.stderr.removeprefix(PREFIX[lang]).splitlines()
        by_command.setdefault(label, {})[lang] = [line.strip() for line in lines]
    for label, texts in by_command.items():
        if "en" not in texts:
            continue
        vi, en = texts["vi"], texts["en"]
        assert len(vi) == len(en), (vi, en)
        for vi_line, en_line in zip(vi, en, strict=True):
            assert vi_line != en_line, f"{label}: not translated: {en_line}"
            vi_place, en_place = _LOCATED.match(vi_line), _LOCATED.match(en_line)
            if en_place is None:  # the header of several files: "N problems in M files:"
                assert vi_place is None, vi_line
                continue
            assert vi_place is not None, vi_line
            assert vi_place.group("where") == en_place.group("where")
            assert vi_place.group("field") == en_place.group("field")
            quoted = _GOT.search(en_line)
            if quoted is not None:
                assert f"(nhận được {quoted.group(1)})" in vi_line


def test_python_tags_are_never_executed(cli: Cli, tmp_path_factory: pytest.TempPathFactory) -> None:
    by_id = {c.id: c for c in CASES}
    mkdir_run = _run(by_id["python-tag-os-mkdir"], cli, tmp_path_factory)
    assert f"{mkdir_run.tmp / 'pwned'}" in mkdir_run.target.read_text()
    assert not (mkdir_run.tmp / "pwned").exists()
    system_run = _run(by_id["python-tag-os-system"], cli, tmp_path_factory)
    for _, _, result in system_run.results:
        assert "pwned" not in result.stdout
        assert "pwned" not in result.stderr


def test_control_python_payload_is_live(tmp_path: Path) -> None:
    """Control: an unsafe YAML loader WOULD create the marker, so its absence above means
    something (the payload is real, not a typo that never could have run)."""
    path = gen_python_mkdir(tmp_path)
    with path.open(encoding="utf-8") as handle:
        yaml.unsafe_load(handle)  # deliberately unsafe, on our own payload
    assert (tmp_path / "pwned").is_dir()


def test_userinfo_password_is_not_echoed(
    cli: Cli, tmp_path_factory: pytest.TempPathFactory
) -> None:
    run = _run(next(c for c in CASES if c.id == "url-userinfo"), cli, tmp_path_factory)
    for _, _, result in run.results:
        assert result.code == 2
        assert "hunter2" not in result.stderr  # the error must not copy a secret into logs


@pytest.mark.parametrize("name", ["unknown-kind.yaml", "bad-regex.yaml", "rule-id-lowercase.yaml"])
def test_one_bad_rule_is_one_problem(name: str, cli: Cli) -> None:
    """One defect, one problem: no bogus "rules: at least 1 item" beside it."""
    result = cli(
        "validate", VALID_INVENTORY, "--checklist", BAD / "checklists" / name, "--lang", "en"
    )
    assert result.code == 2
    assert "problems" not in result.stderr
    assert "at least 1 item" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_without_waiting(cli: Cli, tmp_path: Path) -> None:
    """`auditor audit inventory.yaml` where that is a FIFO nobody writes to: exit 2 at once
    (it used to wait for a writer forever), naming the pipe; nothing written."""
    fifo = tmp_path / "inventory.yaml"
    os.mkfifo(fifo)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    out = tmp_path / "out.json"
    for command in ("audit", "validate"):
        extra = ("--json", out) if command == "audit" else ()
        result = cli(command, fifo, *extra, "--as-of", AS_OF, "--lang", "en", timeout=60)
        assert result.code == 2, result.stderr
        assert result.stderr == (
            f"auditor: error: {fifo}: a named pipe, not a regular file: save the YAML text "
            "to a file and give its path\n"
        )
        assert "Traceback" not in result.stderr
        result = cli(command, fifo, *extra, "--as-of", AS_OF, timeout=60)
        assert result.code == 2, result.stderr
        assert result.stderr == (
            f"auditor: lỗi: {fifo}: một đường ống có tên (named pipe), không phải tệp thông "
            "thường: hãy lưu nội dung YAML vào một tệp rồi chỉ ra đường dẫn của tệp đó\n"
        )
    assert not out.exists()


# --------------------------------------------------------------------------------------------
# Positive controls: the scaffold is valid, so every refusal above comes from its defect
# --------------------------------------------------------------------------------------------


def test_control_valid_inventory_validates(cli: Cli) -> None:
    result = cli("validate", VALID_INVENTORY, "--checklist", VALID_CHECKLIST, "--lang", "en")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("ok: 1 inventory file(s), 1 agencies, 1 systems;")
    assert result.stderr == ""
    result = cli("validate", VALID_INVENTORY, "--checklist", VALID_CHECKLIST)
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("hợp lệ: 1 tệp danh mục kiểm kê, 1 cơ quan, 1 hệ thống;")
    assert result.stderr == ""


@pytest.mark.skipif(not _shipped_checklists(), reason="shipped checklists not written yet")
def test_control_valid_inventory_validates_with_shipped_checklists_only(
    cli: Cli,
) -> None:
    result = cli("validate", VALID_INVENTORY)
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("hợp lệ: 1 tệp danh mục kiểm kê")


def test_control_valid_inventory_audit_writes_json(cli: Cli, tmp_path: Path) -> None:
    """The same command line as the bad cases does write --json when the input is valid."""
    out = tmp_path / "out" / "out.json"
    out.parent.mkdir()
    result = cli(
        "audit", VALID_INVENTORY, "--checklist", VALID_CHECKLIST, "--json", out, "--as-of", AS_OF
    )
    assert result.code == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in out.parent.iterdir()] == ["out.json"]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [s["id"] for s in data["systems"]] == ["he-thong-1"]


@pytest.mark.parametrize(
    "folder", ["two-organisations", "duplicate-system-ids", "duplicate-agency-ids"]
)
def test_control_first_file_of_a_folder_case_is_valid(folder: str, cli: Cli) -> None:
    """Each folder case fails only because of its second file."""
    result = cli("validate", BAD / "folders" / folder / "a.yaml", "--checklist", VALID_CHECKLIST)
    assert result.code == 0, result.stderr


def test_control_first_checklist_of_duplicate_rule_case_is_valid(
    cli: Cli,
) -> None:
    result = cli(
        "validate", VALID_INVENTORY, "--checklist", BAD / "checklists/duplicate-rule-id/a.yaml"
    )
    assert result.code == 0, result.stderr


def test_every_static_case_file_is_used() -> None:
    """No orphan files in tests/data/bad: each one belongs to a case or a control."""
    used = {BAD / c.target for c in CASES if isinstance(c.target, str)}
    for path in BAD.rglob("*.yaml"):
        if path.parent.name == "_valid":
            continue
        assert path in used or path.parent in used, f"{path} is not used by any case"
