"""auditor.report.outputs: the plan refuses what it must, staging writes all or nothing."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from auditor.report.outputs import CommitError, OutputError, Staging, plan_outputs


def test_a_socket_and_a_folder_are_refused(tmp_path: Path) -> None:
    sock_path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        with pytest.raises(OutputError, match="a socket"):
            plan_outputs([("--json", sock_path)])
    with pytest.raises(OutputError, match="a folder"):
        plan_outputs([("--json", tmp_path)])


def test_stdout_can_be_refused_per_option() -> None:
    with pytest.raises(OutputError, match="--pdf -"):
        plan_outputs([("--pdf", "-")], no_stdout=["--pdf"])


def test_a_failure_before_commit_leaves_nothing(tmp_path: Path) -> None:
    old = tmp_path / "b.json"
    old.write_text("old\n", encoding="utf-8")
    outputs = plan_outputs([("--json", tmp_path / "a.json"), ("--csv", old)])
    with pytest.raises(RuntimeError), Staging(outputs) as staged:
        staged.write(outputs[0], b"{}\n")
        staged.write(outputs[1], [b"new", b"\n"])
        raise RuntimeError("the store refused the run")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.json"]
    assert old.read_text(encoding="utf-8") == "old\n"


def test_commit_puts_every_output_in_place(tmp_path: Path) -> None:
    outputs = plan_outputs([("--json", tmp_path / "a.json"), ("--csv", tmp_path / "b.csv")])
    with Staging(outputs) as staged:
        staged.write(outputs[0], b"{}\n")
        staged.write(outputs[1], [b"x,", b"y\n"])
        staged.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.csv"]
    assert (tmp_path / "b.csv").read_bytes() == b"x,y\n"


def test_a_failed_rename_says_what_was_written_and_what_was_not(tmp_path: Path) -> None:
    """The second destination became a folder after the plan: the first output is in place,
    the second and the third are not, and the error says which."""
    outputs = plan_outputs([("--json", tmp_path / "a.json"), ("--output", tmp_path / "r.html"),
                            ("--csv", tmp_path / "c.csv")])
    with pytest.raises(CommitError) as caught, Staging(outputs) as staged:
        for output in outputs:
            staged.write(output, b"x\n")
        (tmp_path / "r.html").mkdir()  # replaced by a folder meanwhile: the rename fails
        (tmp_path / "r.html" / "keep").write_text("x", encoding="utf-8")
        staged.commit()
    error = caught.value
    assert error.written == (outputs[0],)
    assert error.not_written == (outputs[1], outputs[2])
    assert str(error).startswith(f"cannot write {tmp_path / 'r.html'}: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "r.html"]  # no temp left
    after = error.recorded(7, "h.sqlite")
    english, vietnamese = after.render("en"), after.render("vi")
    assert english.startswith(f"cannot write {tmp_path / 'r.html'}: ")
    assert (f"; the run is recorded as run 7 in h.sqlite, but these outputs were not written: "
            f"{tmp_path / 'r.html'}, {tmp_path / 'c.csv'} (written: {tmp_path / 'a.json'})"
            ) in english
    assert english.endswith("run again with --no-history to write them without recording "
                            "another run")
    assert vietnamese.startswith(f"không ghi được {tmp_path / 'r.html'}: ")
    assert (f"; lần đánh giá đã được ghi lại thành lần số 7 trong h.sqlite, nhưng các kết quả "
            f"sau chưa được ghi: {tmp_path / 'r.html'}, {tmp_path / 'c.csv'} (đã ghi: "
            f"{tmp_path / 'a.json'})") in vietnamese


def test_standard_output_not_yet_copied_is_named_in_both_languages(tmp_path: Path) -> None:
    outputs = plan_outputs([("--output", tmp_path / "r.html"), ("--json", "-")])
    with pytest.raises(CommitError) as caught, Staging(outputs) as staged:
        for output in outputs:
            staged.write(output, b"x\n")
        (tmp_path / "r.html").mkdir()
        (tmp_path / "r.html" / "keep").write_text("x", encoding="utf-8")
        staged.commit()
    after = caught.value.recorded(3, "h.sqlite")
    assert f"not written: {tmp_path / 'r.html'}, standard output;" in after.render("en")
    assert f"chưa được ghi: {tmp_path / 'r.html'}, đầu ra chuẩn;" in after.render("vi")
