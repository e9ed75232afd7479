"""Where the store is (default, $AUDITOR_DB, paths and URLs) and the errors opening it."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.store import DB_ENV, HistoryStore, StoreError, database_url, default_location
from store.synthetic import example_run


def test_default_location_follows_env_then_xdg_then_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv(DB_ENV, raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert default_location() == str(tmp_path / "home/.local/share/auditor/history.sqlite")
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")  # the XDG spec: must be absolute
    assert default_location() == str(tmp_path / "home/.local/share/auditor/history.sqlite")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_location() == str(tmp_path / "xdg/auditor/history.sqlite")
    monkeypatch.setenv(DB_ENV, "postgresql://audit@db.example/history")
    assert DB_ENV == "AUDITOR_DB"
    assert default_location() == "postgresql://audit@db.example/history"


def test_database_url_keeps_urls_and_turns_paths_into_sqlite_urls(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql://u:p@h:5433/db") == "postgresql+psycopg://u:p@h:5433/db"
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:////srv/a.sqlite") == "sqlite:////srv/a.sqlite"
    monkeypatch.chdir(tmp_path)
    url = database_url("nested/dir/h.sqlite")
    assert url == f"sqlite:///{tmp_path}/nested/dir/h.sqlite"
    assert (tmp_path / "nested" / "dir").is_dir()  # the parent folder is created
    assert not (tmp_path / "nested" / "dir" / "h.sqlite").exists()


def test_open_without_location_uses_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "from-env" / "store.sqlite"
    monkeypatch.setenv(DB_ENV, str(target))
    with HistoryStore.open() as store:
        store.record(example_run(), inventory="x")
        assert store.name == str(target)
    assert target.is_file()
    with HistoryStore.open(str(target)) as store:
        assert len(store.runs()) == 1


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("these are my notes, not a database\n" * 200)
    with pytest.raises(StoreError) as caught:
        HistoryStore.open(str(bogus))
    assert str(caught.value) == f"cannot open the history store {bogus}: file is not a database"
    assert bogus.read_text().startswith("these are my notes")  # untouched


def test_an_unreachable_server_is_one_clear_line_without_the_password() -> None:
    # Port 1 on loopback: nothing listens there, the connection is refused at once.
    with pytest.raises(StoreError) as caught:
        HistoryStore.open("postgresql://auditor:s3cret-pw@127.0.0.1:1/history")
    message = str(caught.value)
    assert message.startswith(
        "cannot open the history store postgresql+psycopg://auditor:***@127.0.0.1:1/history: "
    )
    assert "refused" in message
    assert "s3cret-pw" not in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("mysql://u@h/db", "unsupported database 'mysql'"),
        ("", "the history store location is empty"),
    ],
)
def test_unsupported_locations_are_refused(location: str, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        HistoryStore.open(location)


def test_a_folder_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"cannot open the history store .*: unable to open"):
        HistoryStore.open(str(tmp_path))
