"""Values and their origins in the page's words: evidence values, where a value came from, and
timestamps, each cut to a length a table cell can hold."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, Final

from auditor.code_words import criterion, word
from auditor.model.results import Origin
from auditor.report import filters, labels

_MAX_VALUE_CHARS: Final = 240
_MAX_LIST_ITEMS: Final = 12
_VIA_DEFAULTS: Final = re.compile(r"^(organisation|agency) defaults \((.*)\)$")
# Keys of structured evidence values (an attestation) shown in the page's words.
_LABELLED_KEYS: Final = frozenset({"document", "date", "attested_by", "valid_until"})


def cut(text: str, limit: int) -> str:
    """`text`, or its first `limit` - 1 characters and an ellipsis when it is longer."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def format_origin(origin: Origin, lang: str) -> str:
    """Where a value came from, in words: 'file:line', 'inherited from …', 'not declared'."""
    t = labels.ui(lang)
    where = ""
    if origin.file:
        where = f"{origin.file}:{origin.line}" if origin.line else origin.file
    if origin.source == "declared":
        return where or t["declared_at"].format(where=t["none"])
    if origin.source == "workbook":  # answered in an agency's workbook: the cell
        return origin.via or where
    if origin.source == "inherited":
        via = origin.via or ""
        match = _VIA_DEFAULTS.match(via)
        if match:
            key = "org_defaults" if match.group(1) == "organisation" else "agency_defaults"
            via = t[key].format(id=match.group(2))
        text = t["inherited_from"].format(via=via)
        return f"{text}, {where}" if where else text
    if origin.source == "derived":
        if origin.via and origin.via.startswith("go-live gate"):
            return t["assumed_production"]
        return t["derived"]
    if origin.source == "observed":
        text = t["observed_by"].format(via=origin.via or "")
        return f"{text}, {where}" if where else text
    if origin.source == "not_declared":
        return t["not_declared_origin"]
    return str(origin)


def format_value(value: Any, lang: str) -> str:
    """An evidence value as short text in the page's conventions (long values are cut)."""
    return cut(_format_value(value, lang, 0), _MAX_VALUE_CHARS)


def _format_value(value: Any, lang: str, depth: int) -> str:
    t = labels.ui(lang)
    if value is None:
        return t["not_declared"]
    if isinstance(value, bool):
        return t["yes"] if value else t["no"]
    if isinstance(value, int):
        return filters.number(value, lang)
    if isinstance(value, float):
        # Up to two decimals, without trailing zeros: 1234.5 → 1.234,5 (vi).
        _, _, decimals = f"{value:.2f}".rstrip("0").partition(".")
        return filters.number(value, lang, len(decimals))
    if isinstance(value, dt.datetime):
        return filters.date(value.date(), lang) + value.strftime(" %H:%M")
    if isinstance(value, dt.date):
        return filters.date(value, lang)
    if isinstance(value, str):
        found = word(value)
        if found is not None:  # a code (enum value): its words
            return found.get(lang)
        place = criterion(value)
        if place.en != value:  # a criterion's id: its place in the decree
            return place.get(lang)
        return filters.iso_date_text(value, lang)
    if depth >= 2:
        return "…"
    if isinstance(value, Mapping):
        return "; ".join(
            f"{t[k] if k in _LABELLED_KEYS else k}: {_format_value(v, lang, depth + 1)}"
            for k, v in value.items()
        )
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        shown = [_format_value(v, lang, depth + 1) for v in items[:_MAX_LIST_ITEMS]]
        if len(items) > _MAX_LIST_ITEMS:
            shown.append(f"… (+{len(items) - _MAX_LIST_ITEMS})")
        return ", ".join(shown)
    return str(value)


def format_instant(text: Any, lang: str) -> str:
    """An ISO timestamp in the page's conventions (UTC marked); "" when there is none."""
    if not isinstance(text, str) or not text:
        return ""
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    shown = format_value(when, lang)
    offset = when.utcoffset()
    return f"{shown} UTC" if offset is not None and not offset else shown
