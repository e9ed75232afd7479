"""Output destinations through the real CLI (issue 12, items 4, 5 and 6): special files are
never replaced, `-` is standard output, a failed run leaves no output and no recorded run,
and no output is written over an input. Each refusal is one line and exit code 2."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EXAMPLE, REPO, CliResult, run_cli

AS_OF = "2026-11-24"


def _audit(*args: str | Path) -> CliResult:
    """The example province audited, messages in English (the tests read their words)."""
    return run_cli("audit", EXAMPLE, "--as-of", AS_OF, "-q", "--lang", "en", *args)


def _refused(result: CliResult, *needles: str) -> None:
    assert result.code == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert ".tmp" not in result.stderr  # the user's path, never a temporary file
    for needle in needles:
        assert needle in result.stderr, result.stderr


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- 4. special files -------------------------------------------------------------------------


def test_a_fifo_is_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "results.json"
    os.mkfifo(fifo)
    result = _audit("--json", fifo, "--no-history")
    _refused(result, str(fifo), "FIFO")
    assert fifo.is_fifo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json"]


def test_a_device_node_is_not_replaced(tmp_path: Path) -> None:
    null = tmp_path / "null"
    try:
        os.mknod(null, 0o666 | 0o020000, os.makedev(1, 3))  # S_IFCHR: like /dev/null
    except PermissionError:
        pytest.skip("mknod needs root")
    result = _audit("--output", null, "--no-history")
    _refused(result, str(null), "character device")
    assert null.is_char_device()
    gate = run_cli("gate", EXAMPLE, "--system", "cong-dvc-tinh", "--as-of", AS_OF,
                   "--json", null)
    _refused(gate, str(null))
    assert null.is_char_device()


def test_a_symlink_is_not_replaced_nor_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.json"
    target.write_text("keep me\n", encoding="utf-8")
    link = tmp_path / "results.json"
    link.symlink_to(target)
    result = _audit("--json", link, "--no-history")
    _refused(result, str(link), "symbolic link")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "keep me\n"


def test_dash_is_standard_output() -> None:
    result = run_cli("audit", EXAMPLE, "--as-of", AS_OF, "--json", "-", "--no-history")
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["run"]["as_of"] == AS_OF  # nothing else on stdout
    assert not (REPO / "-").exists()  # run_cli runs in the repository
    both = _audit("--json", "-", "--output", "-", "--no-history")
    _refused(both, "standard output")


# -- 5. half-written outputs -------------------------------------------------------------------


def test_a_bad_second_destination_leaves_no_first_output(tmp_path: Path) -> None:
    ok = tmp_path / "ok.json"
    html = tmp_path / "nodir" / "r.html"
    result = _audit("--json", ok, "--output", html, "--no-history")
    _refused(result, str(html), "does not exist")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_store_that_is_not_a_database_leaves_no_output(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database\n" * 50, encoding="utf-8")
    before = _digest(junk)
    result = _audit("--json", tmp_path / "ok.json", "--output", tmp_path / "r.html",
                    "--db", junk)
    _refused(result, str(junk))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.sqlite"]
    assert _digest(junk) == before


@pytest.fixture
def immutable(tmp_path: Path) -> Iterator[Path]:
    """A folder holding a recorded store that nobody, root included, may write."""
    folder = tmp_path / "store"
    folder.mkdir()
    db = folder / "h.sqlite"
    first = _audit("--db", db)
    assert first.code == 0, first.stderr
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("chattr not available")
    made = subprocess.run([chattr, "+i", str(db)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"chattr +i not supported here: {made.stderr!r}")
    try:
        yield db
    finally:
        subprocess.run([chattr, "-i", str(db)], check=True)


def test_a_read_only_store_leaves_no_output_and_no_run(immutable: Path, tmp_path: Path) -> None:
    before = _digest(immutable)
    out = tmp_path / "out"
    out.mkdir()
    result = _audit("--json", out / "ok.json", "--output", out / "r.html", "--db", immutable)
    _refused(result, str(immutable), "read-only")
    assert list(out.iterdir()) == []
    assert _digest(immutable) == before


def test_an_exit_2_audit_leaves_the_store_untouched(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    first = _audit("--db", db)
    assert first.code == 0, first.stderr
    before = _digest(db)
    failed = _audit("--db", db, "--json", tmp_path / "nodir" / "r.json")
    _refused(failed)
    assert _digest(db) == before
    runs = run_cli("history", "list", "--db", db, "--json")
    assert runs.code == 0 and len(json.loads(runs.stdout)) == 1
    fresh = tmp_path / "new" / "h.sqlite"
    failed = _audit("--db", fresh, "--output", tmp_path / "nodir" / "r.html")
    _refused(failed)
    assert not fresh.parent.exists()  # neither the store nor its folder was created


def test_annual_exports_are_all_written_or_none(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    assert _audit("--db", db).code == 0
    result = run_cli("report", "annual", "--year", "2026", "--db", db, "-q",
                     "--json", tmp_path / "f.json", "--csv", tmp_path / "a.csv",
                     "--xlsx", tmp_path / "nodir" / "a.xlsx", "--lang", "en")
    _refused(result, "a.xlsx", "does not exist")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.sqlite"]


def test_output_errors_are_in_vietnamese_by_default(tmp_path: Path) -> None:
    """The same refusal without --lang: the option and path as given, the reason in
    Vietnamese."""
    html = tmp_path / "nodir" / "r.html"
    result = run_cli("audit", EXAMPLE, "--as-of", AS_OF, "-q", "--no-history", "--output", html)
    _refused(result, f"auditor: lỗi: --output {html}: thư mục {html.parent} không tồn tại\n")
    both = run_cli("audit", EXAMPLE, "--as-of", AS_OF, "-q", "--no-history", "--json", "-",
                   "--output", "-")
    _refused(both, "auditor: lỗi: --json và --output cùng ghi ra đầu ra chuẩn ('-')")


# -- 6. output over an input -------------------------------------------------------------------


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    copy = tmp_path / "inventory"
    shutil.copytree(EXAMPLE, copy)
    return copy


@pytest.mark.parametrize("option", ["--json", "--output"])
def test_an_output_over_an_inventory_file_is_refused(inventory: Path, option: str) -> None:
    victim = inventory / "so-y-te.yaml"
    before = _digest(victim)
    result = run_cli("audit", inventory, "--as-of", AS_OF, "-q", "--no-history", "--lang", "en",
                     option, inventory / "." / "so-y-te.yaml")
    _refused(result, "so-y-te.yaml", "input")
    assert _digest(victim) == before


def test_an_output_over_a_hard_link_to_a_checklist_is_refused(
    inventory: Path, tmp_path: Path
) -> None:
    checklist = tmp_path / "extra.yaml"
    shutil.copy(Path(__file__).parents[1] / "data" / "bad" / "_valid" / "checklist.yaml",
                checklist)
    alias = tmp_path / "alias.json"
    os.link(checklist, alias)
    before = _digest(checklist)
    result = run_cli("audit", inventory, "--as-of", AS_OF, "-q", "--no-history", "--lang", "en",
                     "--checklist", checklist, "--json", alias)
    _refused(result, str(alias), "input")
    assert _digest(checklist) == before


def test_an_annual_output_over_the_store_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    assert _audit("--db", db).code == 0
    before = _digest(db)
    result = run_cli("report", "annual", "--year", "2026", "--db", db, "--json", db,
                     "--lang", "en")
    _refused(result, str(db), "input")
    assert _digest(db) == before


@pytest.fixture
def immutable_output(tmp_path: Path) -> Iterator[Path]:
    """An existing HTML report that nobody, root included, may replace (`chattr +i`): the
    plan accepts it (a regular file in a writable folder); only the final rename fails."""
    folder = tmp_path / "out"
    folder.mkdir()
    report = folder / "r.html"
    report.write_text("old report\n", encoding="utf-8")
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("chattr not available")
    made = subprocess.run([chattr, "+i", str(report)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"chattr +i not supported here: {made.stderr!r}")
    try:
        yield report
    finally:
        subprocess.run([chattr, "-i", str(report)], check=True)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_rename_failing_after_the_run_is_recorded_says_so(
    immutable_output: Path, tmp_path: Path, lang: str
) -> None:
    """The run is recorded first (the last thing that may fail before the outputs are put in
    place); when a rename still fails, the error gives the run's id and the outputs missing."""
    db = tmp_path / "h.sqlite"
    results = immutable_output.parent / "r.json"
    result = run_cli("audit", EXAMPLE, "--as-of", AS_OF, "-q", "--lang", lang, "--db", db,
                     "--json", results, "--output", immutable_output)
    runs = run_cli("history", "list", "--db", db, "--json")
    assert runs.code == 0, runs.stderr
    (run,) = json.loads(runs.stdout)
    if lang == "en":
        _refused(
            result,
            f"auditor: error: cannot write {immutable_output}: Operation not permitted; the run "
            f"is recorded as run {run['id']} in {db}, but these outputs were not written: "
            f"{immutable_output} (written: {results}); run again with --no-history",
        )
    else:
        _refused(
            result,
            f"auditor: lỗi: không ghi được {immutable_output}: thao tác không được phép; lần "
            f"đánh giá đã được ghi lại thành lần số {run['id']} trong {db}, nhưng các kết quả "
            f"sau chưa được ghi: {immutable_output} (đã ghi: {results}); chạy lại với "
            "--no-history",
        )
    assert immutable_output.read_text(encoding="utf-8") == "old report\n"
    assert json.loads(results.read_text(encoding="utf-8"))["systems"]
    assert sorted(p.name for p in immutable_output.parent.iterdir()) == ["r.html", "r.json"]
