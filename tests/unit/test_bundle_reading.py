"""Reading a bundle without trusting it: the ZIP limits (`auditor.bundle.zipread`) and the
manifest's strict form (`auditor.bundle.manifest`), each boundary on both sides."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from auditor.bundle import zipread
from auditor.bundle.manifest import (
    MEMBER_ROLES,
    ManifestError,
    Member,
    manifest_bytes,
    parse_manifest,
)
from auditor.bundle.zipread import BundleFormatError, read_members


def write_zip(path: Path, entries: list[tuple[str, bytes]],
              compression: int = zipfile.ZIP_DEFLATED) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    return path


def test_entry_count_limit_both_sides(tmp_path: Path) -> None:
    at_limit = [(f"m{i}.json", b"{}") for i in range(zipread.MAX_ENTRIES)]
    assert len(read_members(write_zip(tmp_path / "a.zip", at_limit))) == zipread.MAX_ENTRIES
    over = [*at_limit, ("one-more.json", b"{}")]
    with pytest.raises(BundleFormatError, match="too many members: 17"):
        read_members(write_zip(tmp_path / "b.zip", over))


def test_member_size_limit_both_sides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zipread, "MAX_MEMBER_BYTES", 1000)
    data = bytes(range(256)) * 4  # 1024 bytes that do not compress much
    ok = write_zip(tmp_path / "ok.zip", [("results.json", data[:1000])], zipfile.ZIP_STORED)
    assert read_members(ok)["results.json"] == data[:1000]
    big = write_zip(tmp_path / "big.zip", [("results.json", data[:1001])], zipfile.ZIP_STORED)
    with pytest.raises(BundleFormatError, match="1,001 bytes, over the limit of 1,000"):
        read_members(big)


def test_compression_ratio_limit_both_sides(tmp_path: Path) -> None:
    # Zeros deflate about 1000:1; a megabyte of them is allowed (small members are not
    # judged by ratio), two megabytes are a bomb. Text that compresses 20:1 passes at any size.
    small = write_zip(tmp_path / "small.zip", [("results.json", b"\0" * (1 << 20))])
    assert len(read_members(small)["results.json"]) == 1 << 20
    bomb = write_zip(tmp_path / "bomb.zip", [("results.json", b"\0" * (2 << 20))])
    with pytest.raises(BundleFormatError, match="abnormal compression ratio"):
        read_members(bomb)
    words = json.dumps([{"rule": f"R-{i}", "status": "pass"} for i in range(60000)]).encode()
    assert len(words) > 1 << 20
    text = write_zip(tmp_path / "text.zip", [("results.json", words)])
    assert read_members(text)["results.json"] == words


@pytest.mark.parametrize("name", ["../x.json", "/abs.json", "a/b.json", "a\\b.json", "..",
                                  ".hidden", "c:x.json", "tab\tname"])
def test_unsafe_names_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(BundleFormatError, match="member name not allowed"):
        read_members(write_zip(tmp_path / "n.zip", [(name, b"{}")]))


def test_safe_name_read(tmp_path: Path) -> None:
    assert read_members(write_zip(tmp_path / "n.zip", [("annual.json", b"{}")])) == {
        "annual.json": b"{}"}


def test_declared_size_smaller_than_the_data_is_damage(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "lie.zip", [("results.json", b"x" * 100)], zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    # lower the uncompressed size in the central directory (offset 24 of its entry)
    central = data.rindex(b"PK\x01\x02")
    data[central + 24:central + 28] = (50).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(BundleFormatError):
        read_members(path)


# --------------------------------------------------------------------------------------------
# The manifest


def manifest(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(manifest_bytes(
        created="2026-12-06T00:00:00Z", auditor_version="0.1.0",
        organisation={"id": "tinh-an-binh", "name": "Tỉnh An Bình"}, province="tinh-an-binh",
        year=2026, run_id="7", members=[Member.of("results.json", b"{}")],
    ))
    document.update(changes)
    return document


def parse(document: Any) -> tuple[dict[str, Any], tuple[Member, ...]]:
    return parse_manifest(json.dumps(document).encode())


def test_a_written_manifest_reads_back() -> None:
    document, members = parse(manifest())
    assert document["year"] == 2026
    assert members == (Member.of("results.json", b"{}"),)


@pytest.mark.parametrize(("changes", "message"), [
    ({"format": "other"}, "not the auditor-bundle format"),
    ({"version": 2}, "not the auditor-bundle format"),
    ({"extra": 1}, "unknown fields ['extra']"),
    ({"year": "2026"}, "'year' must be a whole number or null"),
    ({"year": True}, "'year' must be a whole number or null"),
    ({"province": 5}, "'province' must be a string or null"),
    ({"organisation": {"id": "x"}}, "'organisation' must hold 'id' and 'name'"),
    ({"run_id": 7}, "'run_id' must be a string"),
    ({"members": {}}, "'members' must be a list"),
])
def test_malformed_manifest_fields(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ManifestError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse(manifest(**changes))


def test_null_year_and_province_are_allowed() -> None:
    document, _ = parse(manifest(year=None, province=None))
    assert document["year"] is None and document["province"] is None


def _member(**changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": "results.json", "sha256": "0" * 64, "size": 0,
                             "role": "results"}
    entry.update(changes)
    return entry


@pytest.mark.parametrize(("entry", "message"), [
    (_member(name="../results.json"), "is not allowed"),
    (_member(role="annual"), "is not allowed"),
    (_member(sha256="0" * 63), "64 lowercase hex"),
    (_member(sha256="A" * 64), "64 lowercase hex"),
    (_member(size=-1), "non-negative"),
    (_member(size=1.5), "non-negative"),
    ({"name": "results.json"}, "exactly name, sha256, size, role"),
])
def test_malformed_member_entries(entry: dict[str, Any], message: str) -> None:
    with pytest.raises(ManifestError, match=message):
        parse(manifest(members=[entry]))


def test_every_allowed_member_and_a_duplicate() -> None:
    entries = [_member(name=name, role=role) for name, role in MEMBER_ROLES.items()]
    _, members = parse(manifest(members=entries))
    assert [m.name for m in members] == list(MEMBER_ROLES)
    with pytest.raises(ManifestError, match="listed twice"):
        parse(manifest(members=[*entries, entries[0]]))


def test_not_json_and_not_an_object() -> None:
    with pytest.raises(ManifestError, match="not valid UTF-8 JSON"):
        parse_manifest(b"\xff{")
    with pytest.raises(ManifestError, match="not a JSON object"):
        parse_manifest(b"[]")
