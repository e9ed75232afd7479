"""Bad inputs as a user hits them through the real CLI (issue 12): tagged scalars whose text is
not of their type, what a folder holds besides readable YAML files (dangling and looping links,
unreadable sub-folders, pipes), the same inventory named twice, and `validate` reporting every
problem of a province in one run.

Each refusal is exit 2, `auditor: lỗi:` (`auditor: error:` with --lang en) once, FILE:LINE
where there is a line, no traceback, and no output file. Tests about the English wording pass
`--lang en`; the default is Vietnamese.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, REPO, CliResult

BAD = Path(__file__).resolve().parent.parent / "data" / "bad"
VALID_INVENTORY = BAD / "_valid" / "inventory.yaml"
VALID_CHECKLIST = BAD / "_valid" / "checklist.yaml"
AS_OF = "2026-11-24"

Cli = Callable[..., CliResult]


def _province(tmp_path: Path) -> Path:
    folder = tmp_path / "province"
    shutil.copytree(EXAMPLE, folder)
    return folder


PREFIX = {"en": "auditor: error: ", "vi": "auditor: lỗi: "}


def _refused(result: CliResult, *needles: str, lang: str = "en") -> None:
    assert result.code == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(PREFIX[lang])
    assert result.stderr.count(PREFIX[lang].rstrip()) == 1
    assert result.stdout == ""
    for needle in needles:
        assert needle in result.stderr, result.stderr


def _audit(cli: Cli, tmp_path: Path, *paths: Path, lang: str = "en") -> tuple[CliResult, Path]:
    out = tmp_path / "out" / "results.json"
    out.parent.mkdir(exist_ok=True)
    result = cli(
        "audit", *paths, "--json", out, "--as-of", AS_OF, "--no-history", "-q", "--lang", lang
    )
    return result, out


# --------------------------------------------------------------------------------------------
# 1. Tagged scalars whose text is not of their type
# --------------------------------------------------------------------------------------------

SYS = "agencies[0].systems[0]"


@pytest.mark.parametrize(
    ("line", "old", "new", "field", "message", "vietnamese"),
    [
        (10, "name: Hệ thống 1", "name: !!timestamp not-a-date", f"{SYS}.name",
         "invalid value 'not-a-date': !!timestamp needs a date",
         "giá trị không hợp lệ 'not-a-date': !!timestamp cần một ngày (YYYY-MM-DD)"),
        (13, "declared_level: 1", "declared_level: !!bool maybe", f"{SYS}.declared_level",
         "invalid value 'maybe': !!bool needs true or false",
         "giá trị không hợp lệ 'maybe': !!bool cần true hoặc false"),
        (13, "declared_level: 1", "declared_level: !!int ''", f"{SYS}.declared_level",
         "invalid value '': !!int needs an integer",
         "giá trị không hợp lệ '': !!int cần một số nguyên"),
        (18, "expected_ports: [443]", "expected_ports: [!!float '']",
         f"{SYS}.hosts[0].expected_ports[0]", "invalid value '': !!float needs a number",
         "giá trị không hợp lệ '': !!float cần một số"),
    ],
    ids=["timestamp", "bool", "int", "float"],
)
def test_a_tagged_scalar_of_the_wrong_type_is_a_located_error(
    cli: Cli,
    tmp_path: Path,
    line: int,
    old: str,
    new: str,
    field: str,
    message: str,
    vietnamese: str,
) -> None:
    """`x: !!bool maybe` used to be a traceback and exit 1 ("findings"): now exit 2, with
    FILE:LINE:COL, the field and the value — in English with --lang en, else in Vietnamese."""
    text = VALID_INVENTORY.read_text(encoding="utf-8")
    assert text.splitlines()[line - 1].strip().endswith(old.split(":")[-1].strip())
    path = tmp_path / "tagged.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    result, out = _audit(cli, tmp_path, path)
    _refused(result, f"{path}:{line}:", f"field '{field}': {message}")
    assert not out.exists()
    result, out = _audit(cli, tmp_path, path, lang="vi")
    _refused(result, f"{path}:{line}:", f"trường '{field}': {vietnamese}", lang="vi")
    assert not out.exists()


# --------------------------------------------------------------------------------------------
# 7. Nothing that looks like an inventory file is skipped in silence
# --------------------------------------------------------------------------------------------


def test_a_dangling_symlink_in_the_folder_is_an_error(cli: Cli, tmp_path: Path) -> None:
    province = _province(tmp_path)
    link = province / "so-xay-dung.yaml"
    link.symlink_to(tmp_path / "moved-away" / "so-xay-dung.yaml")
    result, out = _audit(cli, tmp_path, province)
    _refused(result, f"auditor: error: {link}: dangling symbolic link (to '{tmp_path}")
    assert not out.exists()


def test_a_looping_symlink_is_reported_not_followed(cli: Cli, tmp_path: Path) -> None:
    province = _province(tmp_path)
    first, second = province / "so-noi-vu.yaml", province / "so-cong-thuong.yaml"
    first.symlink_to(second.name)
    second.symlink_to(first.name)
    result, out = _audit(cli, tmp_path, province)
    _refused(
        result,
        f"  {second}: symbolic link loop (not followed)",
        f"  {first}: symbolic link loop (not followed)",
    )
    assert not out.exists()


def test_a_looping_symlink_named_directly_is_an_error(cli: Cli, tmp_path: Path) -> None:
    link = tmp_path / "inventory.yaml"
    link.symlink_to(link.name)
    result, out = _audit(cli, tmp_path, link)
    _refused(result, f"auditor: error: {link}: symbolic link loop (not followed)")
    assert not out.exists()


def test_a_named_pipe_inside_the_folder_is_an_error(cli: Cli, tmp_path: Path) -> None:
    province = _province(tmp_path)
    fifo = province / "so-van-hoa.yaml"
    os.mkfifo(fifo)
    result, out = _audit(cli, tmp_path, province)
    _refused(result, f"auditor: error: {fifo}: a named pipe, not a regular file")
    assert not out.exists()


def _unprivileged(*args: str | Path) -> CliResult:
    """The CLI as root without the capabilities that bypass file permissions."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
    completed = subprocess.run(
        [
            "setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search",
            sys.executable, "-m", "auditor", *map(str, args),
        ],
        capture_output=True, text=True, encoding="utf-8", cwd=REPO, env=env, timeout=120,
        check=False,
    )
    return CliResult(completed.returncode, completed.stdout, completed.stderr)


needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="drops root's file-permission capabilities with setpriv",
)


@needs_root
def test_an_unreadable_subfolder_is_an_error(tmp_path: Path) -> None:
    """An agency folder the auditor may not read used to be skipped: the audit passed with the
    agency missing. Now the folder is named and nothing is written."""
    province = _province(tmp_path)
    hidden = province / "xa-phuong"
    hidden.mkdir()
    shutil.copy(EXAMPLE / "ubnd-xa-binh-son.yaml", hidden / "xa-binh-son.yaml")
    (province / "ubnd-xa-binh-son.yaml").unlink()
    hidden.chmod(0o000)
    out = tmp_path / "out.json"
    try:
        result = _unprivileged(
            "audit", province, "--json", out, "--as-of", AS_OF, "--no-history", "-q",
            "--lang", "en",
        )
        listed = _unprivileged("validate", province, "--as-of", AS_OF, "--lang", "en")
        vietnamese = _unprivileged("validate", province, "--as-of", AS_OF)
    finally:
        hidden.chmod(0o755)
    for run in (result, listed):
        _refused(run, f"auditor: error: {hidden}: cannot read folder: Permission denied")
    _refused(
        vietnamese,
        f"auditor: lỗi: {hidden}: không đọc được thư mục: không có quyền truy cập",
        lang="vi",
    )
    assert not out.exists()
    # Control: readable again, the same folder is a valid province.
    again = _unprivileged("validate", province, "--as-of", AS_OF)
    assert again.code == 0, again.stderr


@needs_root
def test_an_unreadable_file_is_an_error(tmp_path: Path) -> None:
    province = _province(tmp_path)
    locked = province / "so-y-te.yaml"
    locked.chmod(0o000)
    try:
        result = _unprivileged("validate", province, "--as-of", AS_OF, "--lang", "en")
        vietnamese = _unprivileged("validate", province, "--as-of", AS_OF)
    finally:
        locked.chmod(0o644)
    _refused(result, f"auditor: error: {locked}: cannot read: Permission denied")
    _refused(
        vietnamese, f"auditor: lỗi: {locked}: không đọc được: không có quyền truy cập", lang="vi"
    )


# --------------------------------------------------------------------------------------------
# 8. A FIFO named as the inventory: see test_bad_input.py::test_a_named_pipe_is_refused...
# 11. The same inventory named twice is read once
# --------------------------------------------------------------------------------------------


def _systems(path: Path) -> list[str]:
    data: Any = json.loads(path.read_text(encoding="utf-8"))
    return sorted(s["id"] for s in data["systems"])


def test_the_same_inventory_named_twice_is_read_once(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    once, out_once = _audit(cli, tmp_path / "a", EXAMPLE)
    assert once.code in (0, 1), once.stderr
    (tmp_path / "b").mkdir()
    twice, out_twice = _audit(cli, tmp_path / "b", EXAMPLE, EXAMPLE)
    assert twice.code == once.code, twice.stderr
    assert "second organisation" not in twice.stderr
    assert _systems(out_twice) == _systems(out_once)
    validated = cli("validate", EXAMPLE, EXAMPLE / "so-y-te.yaml", EXAMPLE, "--as-of", AS_OF)
    assert validated.code == 0, validated.stderr
    assert validated.stdout.startswith("hợp lệ: 7 tệp danh mục kiểm kê, ")


def test_a_file_and_a_link_to_it_are_read_once(cli: Cli, tmp_path: Path) -> None:
    province = _province(tmp_path)
    (tmp_path / "so-y-te-link.yaml").symlink_to(province / "so-y-te.yaml")
    result = cli(
        "validate", province, tmp_path / "so-y-te-link.yaml", "--as-of", AS_OF, "--lang", "en"
    )
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("ok: 7 inventory file(s), ")


# --------------------------------------------------------------------------------------------
# validate reports every problem it can in one run
# --------------------------------------------------------------------------------------------


def _edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in `path` by `new`; return the line it is on."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    return text.count("\n", 0, at) + 1


def test_validate_reports_the_problems_of_every_file_at_once(cli: Cli, tmp_path: Path) -> None:
    province = _province(tmp_path)
    giao_duc, tai_chinh, y_te = (
        province / "so-giao-duc.yaml", province / "so-tai-chinh.yaml", province / "so-y-te.yaml"
    )
    level = _edit(giao_duc, "declared_level: 3", "declared_level: 9")
    address = _edit(giao_duc, "ipv4: [203.0.113.90]", "ipv4: [203.0.113.900]")
    _edit(tai_chinh, "  name: Sở Tài chính tỉnh An Bình", "  name: [Sở Tài chính")
    tagged = _edit(y_te, "declared_level: 3", "declared_level: !!int ''")
    checklist = tmp_path / "mine.yaml"
    checklist.write_text(
        (BAD / "checklists" / "rule-id-lowercase.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    out = tmp_path / "out.json"
    english = {
        "header": "auditor: error: 5 problems in 4 files:",
        "field": "field",
        "level": "Input should be less than or equal to 5 (got 9)",
        "address": "Input is not a valid IPv4 address (got '203.0.113.900')",
        "yaml": "invalid YAML: did not find expected ',' or ']'",
        "tagged": "invalid value '': !!int needs an integer",
        "pattern": "should match pattern",
    }
    vietnamese = {
        "header": "auditor: lỗi: 5 lỗi trong 4 tệp:",
        "field": "trường",
        "level": "phải nhỏ hơn hoặc bằng 5 (nhận được 9)",
        "address": "không phải địa chỉ IPv4 hợp lệ (nhận được '203.0.113.900')",
        "yaml": "YAML không hợp lệ: thiếu dấu ',' hoặc ']'",
        "tagged": "giá trị không hợp lệ '': !!int cần một số nguyên",
        "pattern": "không khớp mẫu",
    }
    prefixes: dict[str, list[str]] = {}
    for command in ("validate", "audit"):
        for lang, words in (("en", english), ("vi", vietnamese)):
            extra = ("--json", out, "--no-history") if command == "audit" else ()
            result = cli(
                command, province, "--checklist", checklist, "--as-of", AS_OF, *extra,
                "--lang", lang,
            )
            _refused(result, words["header"] + "\n", lang=lang)
            lines = result.stderr.splitlines()[1:]
            assert len(lines) == 5, result.stderr
            # Grouped by file in the order read (folder sorted, then checklists), then by line.
            assert lines[0].startswith(f"  {giao_duc}:{level}: {words['field']} '")
            assert lines[0].endswith(words["level"])
            assert lines[1].startswith(f"  {giao_duc}:{address}: {words['field']} '")
            assert lines[1].endswith(words["address"])
            assert lines[2].startswith(f"  {tai_chinh}:")  # where libyaml notices the open '['
            assert words["yaml"] in lines[2]
            assert lines[3].startswith(f"  {y_te}:{tagged}:")
            assert lines[3].endswith(words["tagged"])
            assert lines[4].startswith(f"  {checklist}:")
            assert words["pattern"] in lines[4]
            # FILE:LINE:COL is the same in both languages; the text after it is not.
            located = [line.split(": ", 1)[0] for line in lines]
            assert prefixes.setdefault(command, located) == located
    assert not out.exists()


def _forty_mistakes(tmp_path: Path, count: int) -> tuple[Path, list[int]]:
    """One inventory file with `count` systems, each with a bad IPv4 address."""
    lines = ["organisation: {id: tinh-thu, name: Tỉnh Thử}", "agencies:", "  - id: so-a",
             "    name: Sở A", "    systems:"]
    bad_lines = []
    for index in range(count):
        lines += [f"      - id: he-thong-{index}", f"        name: Hệ thống {index}",
                  "        system_type: internal", "        lifecycle: production",
                  "        hosts:", f"          - name: h{index}.example.test",
                  f"            ipv4: [192.0.2.{300 + index}]"]
        bad_lines.append(len(lines))
    path = tmp_path / f"mistakes-{count}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, bad_lines


def test_forty_mistakes_need_one_run(cli: Cli, tmp_path: Path) -> None:
    path, bad_lines = _forty_mistakes(tmp_path, 40)
    result = cli("validate", path, "--as-of", AS_OF)  # in Vietnamese, the default
    _refused(result, f"auditor: lỗi: {path}: 40 lỗi:\n", lang="vi")
    shown = result.stderr.splitlines()[1:]
    assert len(shown) == 40
    for index, (text, line) in enumerate(zip(shown, bad_lines, strict=True)):
        assert text.startswith(
            f"  {path}:{line}: trường 'agencies[0].systems[{index}].hosts[0].ipv4[0]': "
            "không phải địa chỉ IPv4 hợp lệ "
        ), text
        assert text.endswith(f"(nhận được '192.0.2.{300 + index}')")


def test_at_most_a_hundred_problems_are_shown(cli: Cli, tmp_path: Path) -> None:
    path, _ = _forty_mistakes(tmp_path, 130)
    result = cli("validate", path, "--as-of", AS_OF, "--lang", "en")
    _refused(result, f"auditor: error: {path}: 130 problems:\n")
    shown = result.stderr.splitlines()[1:]
    assert len(shown) == 101
    assert shown[-1] == (
        "  ... and 30 more (the first 100 are shown; fix them and run again)"
    )
    result = cli("validate", path, "--as-of", AS_OF)
    _refused(result, f"auditor: lỗi: {path}: 130 lỗi:\n", lang="vi")
    shown = result.stderr.splitlines()[1:]
    assert len(shown) == 101
    assert shown[-1] == (
        "  ... và 30 lỗi khác (chỉ hiện 100 lỗi đầu tiên; hãy sửa chúng rồi chạy lại)"
    )


def test_a_folder_behind_a_symlink_is_not_searched_and_says_so(cli: Cli, tmp_path: Path) -> None:
    province = _province(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (province / "so-y-te.yaml").rename(elsewhere / "so-y-te.yaml")
    link = province / "so-y-te"
    link.symlink_to(elsewhere)
    result = cli("validate", province, "--as-of", AS_OF, "--lang", "en")
    assert result.code == 0, result.stderr
    assert f"auditor: warning: {link}: a symbolic link to a folder is not searched" in (
        result.stderr
    )
    assert result.stdout.startswith("ok: 6 inventory file(s), ")
    result = cli("validate", province, "--as-of", AS_OF)
    assert result.code == 0, result.stderr
    assert f"auditor: cảnh báo: {link}: không tìm trong thư mục mà liên kết tượng trưng" in (
        result.stderr
    )
    assert result.stdout.startswith("hợp lệ: 6 tệp danh mục kiểm kê, ")
