"""auditor.report.outputs: the plan refuses what it must, staging writes all or nothing."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from auditor.report.outputs import OutputError, Staging, plan_outputs


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
