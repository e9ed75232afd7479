"""What both OSCAL documents share: the version written, the namespace of auditor's own
properties, ids as OSCAL tokens, deterministic UUIDs, properties and timestamps."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any

from auditor.safe_text import json_safe

#: The OSCAL version the documents are written against. Only elements that exist in 1.1.2
#: are used; OSCAL 1.x is versioned semantically, so a 1.1.2 document is also valid 1.2.x
#: (the tests validate with compliance-trestle's models of OSCAL 1.2.1).
OSCAL_VERSION = "1.1.2"

#: The namespace of every property and part that OSCAL does not define itself (`ns`): tools
#: that do not know it ignore them; it names, it is not fetched. A placeholder under the
#: documentation domain until the project has its own; change it here only.
AUDITOR_NS = "https://auditor.example/ns/oscal"

#: The UUID namespace every document UUID is derived from (uuid5): the same input gives the
#: same UUIDs, so a re-export is byte-identical. Itself uuid5(NAMESPACE_URL, AUDITOR_NS).
UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, AUDITOR_NS)

# OSCAL's token: a letter or underscore first, then letters, digits, '.', '-' or '_'.
_TOKEN = re.compile(r"^[^\W\d](?:[\w.\-])*$")
_NOT_TOKEN_CHAR = re.compile(r"[^\w.\-]")


def control_id(rule_id: str) -> str:
    """The OSCAL control id of a rule: its id in lower case (CERT-05 -> cert-05).

    Rule ids are upper-case letters, digits and hyphens starting with a letter, so the lower
    case is an OSCAL token and distinct rules keep distinct ids; the original id travels as
    the `rule-id` property."""
    token = rule_id.lower()
    if not _TOKEN.match(token):
        raise ValueError(f"rule id {rule_id!r} does not map to an OSCAL token")
    return token


def token(text: str) -> str:
    """Any text (a checklist id, a level, a regime) as an OSCAL token: characters a token may
    not hold become '-', and one that does not start with a letter gets an 'x-' prefix."""
    cleaned = _NOT_TOKEN_CHAR.sub("-", text) or "x"
    return cleaned if _TOKEN.match(cleaned) else f"x-{cleaned}"


def derived_uuid(*parts: str) -> str:
    """A UUID (version 5) named by `parts`: the same parts give the same UUID."""
    return str(uuid.uuid5(UUID_NAMESPACE, "\x1f".join(parts)))


def one_line(text: str) -> str:
    """A property value holds one line without surrounding blanks: whitespace runs become
    one space."""
    return " ".join(text.split())


def prop(
    name: str, value: object, *, cls: str | None = None, group: str | None = None,
    ours: bool = True,
) -> dict[str, Any]:
    """A property; `ours`: a name auditor defines (in AUDITOR_NS), not one OSCAL does."""
    made: dict[str, Any] = {"name": name}
    if ours:
        made["ns"] = AUDITOR_NS
    made["value"] = one_line(str(value).lower() if isinstance(value, bool) else str(value))
    if cls is not None:
        made["class"] = cls
    if group is not None:
        made["group"] = group
    return made


def timestamp(moment: dt.datetime) -> str:
    """An OSCAL date-time (with its time zone, as OSCAL requires), in UTC, to the second."""
    if moment.tzinfo is None:
        raise ValueError("an OSCAL timestamp needs a time zone")
    return moment.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def start_of_day(day: dt.date) -> str:
    return timestamp(dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC))


def parse_timestamp(text: str) -> dt.datetime | None:
    """An ISO 8601 time auditor recorded (`...Z` or with an offset); None if unreadable."""
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def document_bytes(document: dict[str, Any]) -> bytes:
    """The document as written: indented UTF-8 JSON in the order built (OSCAL tools and
    people read `uuid` and `metadata` first), with a final newline; DEL, C1 controls and
    bidi characters (of a user's checklist) as JSON escapes, as in auditor's results JSON."""
    return json_safe(json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def optional_prop(name: str, value: object | None, **kwargs: str | None) -> list[dict[str, Any]]:
    """`[prop(…)]`, or `[]` when there is no value to state (None or only blanks): a property
    value may not be empty."""
    if value is None or not one_line(str(value)):
        return []
    return [prop(name, value, cls=kwargs.get("cls"), group=kwargs.get("group"))]
