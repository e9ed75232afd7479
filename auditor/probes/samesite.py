"""internet.nl's web-IPv6 test "same website over IPv4 and IPv6" (`web-ipv46`): pure functions
comparing the two answers `probes/http.py` fetched — same status code, same non-volatile
header names, content differing by at most 10 % once nonces are removed.
"""

from __future__ import annotations

import difflib
import re
import zlib
from collections import Counter
from dataclasses import dataclass

from auditor.probes.http import VOLATILE_HEADERS, HttpResponse


@dataclass(frozen=True)
class SiteComparison:
    """internet.nl `web-ipv46`: do the IPv4 and IPv6 answers show the same website?"""

    same: bool | None  # None when not comparable (one side has no answer)
    status_v4: int | None
    status_v6: int | None
    header_names_differ: tuple[str, ...]  # non-volatile header names on one side only, sorted
    content_difference: float | None  # 0.0 identical .. 1.0 totally different, nonces removed
    reason: str | None = None


_NONCE_ATTR = re.compile(r"""(\bnonce\s*=\s*)(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_INPUT_TAG = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_HIDDEN = re.compile(r"""\btype\s*=\s*["']?hidden\b""", re.IGNORECASE)
_VALUE_ATTR = re.compile(r"""(\bvalue\s*=\s*)(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_TOKEN_NAME = re.compile(r"csrf|xsrf|token|nonce|authenticity|verification", re.IGNORECASE)
_CONTENT_ATTR = re.compile(r"""(\bcontent\s*=\s*)(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
# Runs of 16+ base64/hex/url-safe characters that look random: with a digit, or mixed case.
_LONG_RUN = re.compile(r"[A-Za-z0-9+/_\-]{16,}={0,2}")
_WORDS = re.compile(r"<[^>]*>|[^<\s]+")
_BLOCK_END = re.compile(
    r"</(?:address|article|aside|blockquote|dd|div|dl|dt|fieldset|figcaption|figure|footer"
    r"|form|h[1-6]|head|header|li|main|nav|noscript|ol|option|p|pre|script|section|select"
    r"|style|table|tbody|td|textarea|tfoot|th|thead|title|tr|ul)\s*>|<(?:br|hr|meta|link)\b[^>]*>",
    re.IGNORECASE,
)
_MAX_SEGMENT = 1024
_EXACT_MATCH_BUDGET = 1_000_000
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:\-]+)""", re.IGNORECASE)


def _blank(attr: re.Pattern[str], tag: str) -> str:
    return attr.sub(lambda m: f'{m.group(1)}""', tag)


def _random_run(match: re.Match[str]) -> str:
    run = match.group(0)
    mixed = any(c.islower() for c in run) and any(c.isupper() for c in run)
    return "#" if mixed or any(c.isdigit() for c in run) else run


def remove_nonces(text: str) -> str:
    """Blank what changes on every request: `nonce` attributes, hidden form inputs and
    CSRF-token meta tags, and long random-looking hex/base64 runs (16+ characters)."""
    text = _NONCE_ATTR.sub(lambda m: f'{m.group(1)}""', text)
    text = _INPUT_TAG.sub(
        lambda m: _blank(_VALUE_ATTR, m.group(0)) if _HIDDEN.search(m.group(0)) else m.group(0),
        text,
    )
    text = _META_TAG.sub(
        lambda m: _blank(_CONTENT_ATTR, m.group(0)) if _TOKEN_NAME.search(m.group(0))
        else m.group(0),
        text,
    )
    return _LONG_RUN.sub(_random_run, text)


def _decode(response: HttpResponse) -> str:
    charset = "utf-8"
    match = _CHARSET.search(response.header("content-type") or "")
    if match:
        charset = match.group(1)
    try:
        return response.body.decode(charset, "replace")
    except LookupError:
        return response.body.decode("utf-8", "replace")


def _tokens(text: str) -> list[str]:
    """Lines, whitespace-normalised, with a break after every block-level element so minified
    one-line HTML still has many lines; a line longer than `_MAX_SEGMENT` is split into tags
    and words. Whole lines are distinctive tokens, which keeps SequenceMatcher both accurate
    and fast."""
    tokens: list[str] = []
    for line in _BLOCK_END.sub(lambda m: f"{m.group(0)}\n", text).splitlines():
        if len(line) > _MAX_SEGMENT:
            tokens += (" ".join(t.split()) for t in _WORDS.findall(line))
        elif normalised := " ".join(line.split()):
            tokens.append(normalised)
    return tokens


def _chunks(tokens: list[str], k: int) -> tuple[list[str], list[int]]:
    """Content-defined groups of about `k` tokens (a group ends after a token whose CRC is 0
    modulo `k`, so an insertion only changes the groups it touches), with their sizes."""
    groups: list[str] = []
    sizes: list[int] = []
    group: list[str] = []
    for token in tokens:
        group.append(token)
        if zlib.crc32(token.encode("utf-8", "surrogatepass")) % k == 0:
            groups.append("\n".join(group))
            sizes.append(len(group))
            group = []
    if group:
        groups.append("\n".join(group))
        sizes.append(len(group))
    return groups, sizes


def _matched(a: list[str], b: list[str], gate: float) -> int:
    """Tokens of `a` in matching blocks; an upper bound of it when that already fails `gate`."""
    total = len(a) + len(b)
    shortest = min(len(a), len(b))
    prefix = 0
    while prefix < shortest and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < shortest - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    middle_a, middle_b = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]
    common = prefix + suffix
    if not middle_a or not middle_b:
        return common
    # Upper bounds of the ratio, cheapest first (as real_quick_ratio, then quick_ratio).
    bound = common + min(len(middle_a), len(middle_b))
    if 1.0 - 2.0 * bound / total > gate:
        return bound
    bound = common + sum((Counter(middle_a) & Counter(middle_b)).values())
    if 1.0 - 2.0 * bound / total > gate:
        return bound
    # SequenceMatcher (no autojunk: exact) costs about Σ occurrences in b of each token of a
    # per level; when repeated tokens make that too much, compare content-defined groups of
    # tokens instead, weighted by their size (a change then counts for its whole group).
    seq_a, seq_b = middle_a, middle_b
    weights = [1] * len(seq_a)
    k = 1
    while True:
        counts = Counter(seq_b)
        if sum(counts[token] for token in seq_a) <= _EXACT_MATCH_BUDGET:
            break
        k *= 2
        seq_a, weights = _chunks(middle_a, k)
        seq_b, _sizes = _chunks(middle_b, k)
    matcher = difflib.SequenceMatcher(None, seq_a, seq_b, autojunk=False)
    return common + sum(
        sum(weights[block.a : block.a + block.size]) for block in matcher.get_matching_blocks()
    )


def content_difference(a: bytes | str, b: bytes | str, *, gate: float = 0.5) -> float:
    """1 − the `difflib.SequenceMatcher` ratio of the two texts' lines, nonces removed first.

    The common first and last lines are matched directly and only the middle goes to
    SequenceMatcher, so near-identical 256 KiB pages compare in milliseconds; pathological
    inputs (thousands of repeats of a few lines) are compared by groups of lines so the cost
    stays bounded. Deterministic: no randomised hashing is involved. When the cheap
    upper bounds of the ratio (as `real_quick_ratio` and `quick_ratio`) already put the
    difference above `gate`, that lower bound of the difference is returned instead of the
    exact value (the verdict against `gate` is the same).
    """
    text_a = a.decode("utf-8", "replace") if isinstance(a, bytes) else a
    text_b = b.decode("utf-8", "replace") if isinstance(b, bytes) else b
    tokens_a, tokens_b = _tokens(remove_nonces(text_a)), _tokens(remove_nonces(text_b))
    if tokens_a == tokens_b:
        return 0.0
    matched = _matched(tokens_a, tokens_b, gate)
    return round(1.0 - 2.0 * matched / (len(tokens_a) + len(tokens_b)), 4)


def compare_sites(
    v4: HttpResponse, v6: HttpResponse, *, max_difference: float = 0.10
) -> SiteComparison:
    """Same website over IPv4 and IPv6 (internet.nl `web-ipv46`)? Pure; never raises.

    `same` is True when the status codes are equal, both sides have the same set of header
    names apart from `VOLATILE_HEADERS`, and the decoded bodies differ by at most
    `max_difference` (see `content_difference`). None when either side has an error.
    """
    if v4.error is not None or v6.error is not None:
        side = "IPv4" if v4.error is not None else "IPv6"
        error = v4.error if v4.error is not None else v6.error
        return SiteComparison(
            same=None, status_v4=v4.status, status_v6=v6.status, header_names_differ=(),
            content_difference=None, reason=f"not comparable: the {side} fetch failed: {error}",
        )
    names_v4 = {name for name, _ in v4.headers} - VOLATILE_HEADERS
    names_v6 = {name for name, _ in v6.headers} - VOLATILE_HEADERS
    differ = tuple(sorted(names_v4 ^ names_v6))
    difference = content_difference(_decode(v4), _decode(v6), gate=max_difference)
    reasons: list[str] = []
    if v4.status != v6.status:
        reasons.append(f"status differs: {v4.status} over IPv4, {v6.status} over IPv6")
    if differ:
        reasons.append(f"headers on one side only: {', '.join(differ)}")
    if difference > max_difference:
        reasons.append(
            f"content differs by {difference:.0%} (more than {max_difference:.0%})"
        )
    if v4.truncated or v6.truncated:
        reasons.append("compared the first bytes only: a body was truncated")
    return SiteComparison(
        same=not (v4.status != v6.status or differ or difference > max_difference),
        status_v4=v4.status, status_v6=v6.status, header_names_differ=differ,
        content_difference=difference, reason="; ".join(reasons) or None,
    )
