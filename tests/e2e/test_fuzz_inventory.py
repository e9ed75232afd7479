"""Property: whatever is done to the example province's files, the loader and the CLI either
accept them or refuse them cleanly (issue 12).

Random mutations of one file of inventories/example-province — a value replaced (other
types, YAML tags, option-like and control text, huge numbers, impossible dates), a line
deleted, duplicated or re-indented, bytes inserted, the file cut short — must give:

- the loader: a LoadedInventory, or an InputError (never another exception) whose every
  problem names a file of the inventory and a line (a few whole-inventory problems have none);
- `auditor audit --json`: exit 0/1 with valid JSON written, or exit 2 with
  `auditor: lỗi: FILE:LINE…` (Vietnamese, the default language), no traceback, and no output
  file.

The CLI runs in-process (`auditor.cli.main`, the console script's entry point) to keep each
example cheap. Profiles (HYPOTHESIS_PROFILE): `ci` (default; a fixed number of examples,
derandomised, a per-example deadline; about 30 s) and `thorough` (random, many more examples).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from conftest import EXAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.cli import main
from auditor.errors import CombinedInputError, InputError
from auditor.loading.inventory import load_inventory

AS_OF = "2026-11-24"
FILES = sorted(p.name for p in EXAMPLE.glob("*.yaml"))
TEXTS = {name: (EXAMPLE / name).read_bytes() for name in FILES}

_COMMON = {"suppress_health_check": [HealthCheck.too_slow], "database": None}
settings.register_profile(
    "ci", max_examples=40, deadline=10_000, derandomize=True, print_blob=True, **_COMMON
)
settings.register_profile(
    "thorough", max_examples=2_000, deadline=60_000, print_blob=True, **_COMMON
)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
LOADER = settings(PROFILE, max_examples=PROFILE.max_examples * 5)

# Problems about the inventory as a whole: they name the paths given, not a line (the loader's
# English text, the CLI's Vietnamese one).
WITHOUT_LINE = (
    "no 'organisation:' section found",
    "không tìm thấy mục 'organisation:'",
)

# --------------------------------------------------------------------------------------------
# Mutations
# --------------------------------------------------------------------------------------------

SCALARS = st.one_of(
    st.sampled_from(
        [
            "!!timestamp not-a-date", "!!bool maybe", "!!int ''", "!!float ''", "!!int",
            "!!str", "!!null x", "!!binary aGk=", "!!python/none ''", "!custom x", "!!set {a}",
            "!!map []", "!!seq {}", "~", "''", "[]", "{}", "[[[]]]", "{a: {b: {c: 1}}}",
            "-1", "0", "1e999", ".nan", "99999999999999999999999", "9" * 5000, "2026-02-30",
            "2026-13-01", "2999-01-01", "1900-01-01", "2026-11-24T25:00:00", "yes", "off",
            "'-oX /tmp/x'", "--script=evil", "'192.0.2.300'", "'2001:db8::zz'", "*nowhere",
            "&anchor x", "<<", "'\\x1b[31mred'", "\"\\u0007\"", "'a\u202eb'", "|\n  block",
            "https://user:pw@x.test/", "'" + "x" * 3000 + "'", "@reserved", "`tick",
            "%directive", "? complex", "{dup: 1, dup: 2}",
        ]
    ),
    st.text(max_size=20).map(lambda t: json.dumps(t)),  # any text, quoted
    st.integers().map(str),
    st.dates().map(lambda d: d.isoformat()),
)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """(the name of the file changed, its new bytes)."""
    name = draw(st.sampled_from(FILES))
    raw = TEXTS[name]
    lines = raw.split(b"\n")
    index = draw(st.integers(0, len(lines) - 1))
    line = lines[index]
    kind = draw(
        st.sampled_from(["value", "value", "value", "tag", "delete", "duplicate", "indent",
                         "bytes", "truncate", "swap"])
    )
    if kind in ("value", "tag"):
        head, colon, tail = line.partition(b": ")
        if not colon:
            head, colon, tail = line.partition(b"- ")
        new = draw(SCALARS).encode()
        if kind == "tag":
            new = draw(st.sampled_from([b"!!str ", b"!!int ", b"!!bool ", b"!!timestamp ",
                                        b"!!float ", b"!!null ", b"! "])) + tail
        lines[index] = head + (colon or b": ") + new
    elif kind == "delete":
        del lines[index]
    elif kind == "duplicate":
        lines.insert(index, line)
    elif kind == "indent":
        lines[index] = draw(st.sampled_from([b"  " + line, line[2:], b"\t" + line, line[1:]]))
    elif kind == "swap" and index + 1 < len(lines):
        lines[index], lines[index + 1] = lines[index + 1], lines[index]
    text = b"\n".join(lines)
    if kind == "bytes":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.binary(min_size=1, max_size=4)) + text[at:]
    elif kind == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    return name, text


@contextlib.contextmanager
def province(name: str, content: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="auditor-fuzz-") as tmp:
        folder = Path(tmp) / "province"
        folder.mkdir()
        for other in FILES:
            shutil.copyfile(EXAMPLE / other, folder / other)
        (folder / name).write_bytes(content)
        yield folder


def _check_location(text: str, folder: Path) -> None:
    """`text` (one problem) names a file of the inventory, and a line unless it is about
    the inventory as a whole."""
    assert text.startswith(str(folder)), text
    if any(needle in text for needle in WITHOUT_LINE):
        return
    assert re.match(re.escape(str(folder)) + r"/[^:]+\.yaml:\d+[:\s]", text), text


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------


@LOADER
@given(mutated())
def test_the_loader_accepts_or_refuses_with_a_location(change: tuple[str, bytes]) -> None:
    name, content = change
    with province(name, content) as folder:
        try:
            load_inventory([folder])
        except InputError as exc:
            problems = exc.problems if isinstance(exc, CombinedInputError) else (exc,)
            assert problems
            for problem in problems:
                _check_location(str(problem), folder)


@settings(PROFILE)
@given(mutated())
def test_the_cli_gives_json_or_a_located_error(change: tuple[str, bytes]) -> None:
    name, content = change
    with province(name, content) as folder:
        out_dir = folder.parent / "out"
        out_dir.mkdir()
        out = out_dir / "results.json"
        stdout, stderr = io.StringIO(), io.StringIO()
        argv = ["audit", str(folder), "--json", str(out), "--as-of", AS_OF, "--no-history", "-q"]
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                main(argv)
            except SystemExit as exit_:
                code = exit_.code
            else:  # pragma: no cover - main always exits
                code = 0
        errors = stderr.getvalue()
        assert "Traceback" not in errors
        if code in (0, 1):
            assert "auditor: lỗi" not in errors
            json.loads(out.read_text(encoding="utf-8"))
            return
        assert code == 2, (code, errors)
        assert list(out_dir.iterdir()) == [], "nothing is written on bad input"
        first, *rest = errors.splitlines()
        assert first.startswith("auditor: lỗi: "), errors
        header = first[len("auditor: lỗi: ") :]
        if re.match(r"\d+ lỗi trong \d+ tệp:$", header):
            problems = rest
        elif re.search(r": \d+ lỗi:$", header):
            problems = rest
            assert header.startswith(str(folder))
        else:
            problems = [header]
        for problem in problems:
            if problem.startswith("  ... và "):
                continue
            _check_location(problem.strip(), folder)
