"""Bilingual messages built only when someone reads them (lazy messages).

A large audit judges a million findings, and most of their messages are read once, when the
results are written, or never (a condensed HTML page shows none of the passing ones). So a
check does not format its message while it judges: it returns a LazyText — the function that
words it and the values it needs — and the words are made each time `.vi` or `.en` is read.
Nothing is cached, so a run holds a few small objects per finding instead of two strings.

A LazyText *is* a Text2 for everything that reads one (`.vi`, `.en`, equality with a Text2,
JSON serialisation through pydantic, pickling by reference to its wording function).
Wording functions are module-level (so they pickle by name) and take `en` first:
`render(en: bool, *args) -> str`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from auditor.model.results import Text2

Render = Callable[..., str]


class LazyText(Text2):
    """A Text2 worded on demand by `render(en, *args)`; see the module docstring."""

    __slots__ = ("_args", "_render")

    _render: Render
    _args: tuple[Any, ...]

    def __init__(self, render: Render, *args: Any) -> None:
        object.__setattr__(self, "_render", render)
        object.__setattr__(self, "_args", args)

    @property
    def vi(self) -> str:
        return self._render(False, *self._args)

    @property
    def en(self) -> str:
        return self._render(True, *self._args)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Text2):
            return self.vi == other.vi and self.en == other.en
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.vi, self.en))

    def __repr__(self) -> str:
        return f"Text2(vi={self.vi!r}, en={self.en!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (LazyText, (self._render, *self._args))


def pick(en: bool, text: Text2) -> str:
    return text.en if en else text.vi


def _join(en: bool, separator: str, texts: Sequence[Text2]) -> str:
    return separator.join([t.en if en else t.vi for t in texts])


def joined(texts: Sequence[Text2], separator: str = "; ") -> Text2:
    """The texts one after the other (one text: itself, unchanged)."""
    if len(texts) == 1:
        return texts[0]
    return LazyText(_join, separator, tuple(texts))


def _prefixed(en: bool, vi_prefix: str, en_prefix: str, text: Text2) -> str:
    return (en_prefix + text.en) if en else (vi_prefix + text.vi)


def prefixed(vi_prefix: str, en_prefix: str, text: Text2) -> Text2:
    """`prefix + text`, with a prefix in each language."""
    return LazyText(_prefixed, vi_prefix, en_prefix, text)


def _appended(en: bool, text: Text2, tails: tuple[Text2, ...]) -> str:
    return "".join([pick(en, text), *(" — " + pick(en, tail) for tail in tails)])


def appended(text: Text2, *tails: Text2) -> Text2:
    """`text — tail — …` (the dash the engine uses to add why evidence was withdrawn)."""
    return LazyText(_appended, text, tails)


def _reasons_added(en: bool, text: Text2, reasons: tuple[Text2, ...]) -> str:
    vi, english = text.vi, text.en
    for reason in reasons:
        if reason.en not in english:  # said once, and only when the message does not say it
            vi, english = f"{vi} — {reason.vi}", f"{english} — {reason.en}"
    return english if en else vi


def _deferred(en: bool, make: Callable[..., Text2], args: tuple[Any, ...]) -> str:
    return pick(en, make(*args))


def deferred(make: Callable[..., Text2], *args: Any) -> Text2:
    """`make(*args)` (a module-level function returning a Text2), called when read."""
    return LazyText(_deferred, make, args)


def with_reasons(text: Text2, reasons: Sequence[Text2]) -> Text2:
    """The text followed by each reason its English does not already contain (in order)."""
    return LazyText(_reasons_added, text, tuple(reasons))
