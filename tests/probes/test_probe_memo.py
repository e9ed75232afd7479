"""memo.Memo: a bounded memo of pure results shared by the probe threads."""

from __future__ import annotations

import pytest

from auditor.probes.memo import Memo


def test_memo_computes_once_and_keeps_the_most_recently_used() -> None:
    calls: list[str] = []

    def compute(key: str) -> str:
        calls.append(key)
        return key.upper()

    memo: Memo[str] = Memo(2)
    assert [memo.get(k, lambda k=k: compute(k)) for k in "aab"] == ["A", "A", "B"]
    assert calls == ["a", "b"]
    memo.get("a", lambda: compute("a"))  # a is now the most recent: c evicts b
    memo.get("c", lambda: compute("c"))
    assert len(memo) == 2
    memo.get("a", lambda: compute("a"))
    memo.get("b", lambda: compute("b"))
    assert calls == ["a", "b", "c", "b"]


def test_memo_never_keeps_an_exception() -> None:
    memo: Memo[int] = Memo(4)

    def fail() -> int:
        raise ValueError("unparsable")

    with pytest.raises(ValueError, match="unparsable"):
        memo.get("k", fail)
    assert memo.get("k", lambda: 7) == 7 and len(memo) == 1
