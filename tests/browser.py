"""Drive Debian's headless Chromium through Playwright, offline, and record what a page did.

Reusable by any test that opens a local file in a real browser::

    with Chromium.start() as chromium:
        with chromium.open(path) as loaded:
            loaded.assert_clean()          # no console errors, no page errors, no requests out
            loaded.page.inner_text("body")

The browser is Debian's ``chromium`` (``/usr/bin/chromium``, or ``$CHROMIUM``), driven by the
PyPI ``playwright`` package's driver: ``playwright install`` downloads its own browser, which
this project never does. Every request whose URL is not the opened file's own ``file://`` URL
is blocked (aborted before it is made) and recorded, as are WebSockets, console messages of
type ``error`` and uncaught page errors.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Request, Route

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# Headless, as root, on a machine whose only network is a package registry: no sandbox (root),
# no GPU, and none of Chromium's own background traffic (updates, sync, safe browsing, QUIC).
# Playwright adds a fresh, empty --user-data-dir of its own.
LAUNCH_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def require_chromium() -> None:
    """Fail (never silently skip) when the browser or its driver is missing.

    A skip is allowed only for a developer who is not root and has no Chromium: they cannot
    install it with ``bash scripts/test.sh``. As root (CI, fresh machines) the script installs
    it, so its absence is a broken setup and must fail loudly.
    """
    install = "run `bash scripts/test.sh` as root (apt-get install chromium; pip install '.[test]')"
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        message = f"headless Chromium not found at {CHROMIUM}: {install}"
        if os.geteuid() != 0:
            pytest.skip(f"{message} (skipped: not root, so this machine cannot install it)")
        pytest.fail(message, pytrace=False)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        pytest.fail(f"the Python package 'playwright' is missing ({error}): {install}",
                    pytrace=False)


@dataclass
class LoadedPage:
    """A page opened on one local file, and everything it tried to do."""

    page: Page
    url: str
    blocked_requests: list[str] = field(default_factory=list)
    attempted_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        outside = dict.fromkeys(self.blocked_requests + self.attempted_requests)
        return (
            [f"request leaving the file: {url}" for url in outside]
            + [f"console error: {text}" for text in self.console_errors]
            + [f"page error: {text}" for text in self.page_errors]
        )

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, f"{self.url}:\n  " + "\n  ".join(problems)

    def screenshot(self, name: str, *, max_height: int | None = 4000) -> Path:
        """Save a PNG of the page's top as ``test-artifacts/NAME.png`` and return its path.

        The whole page when it is at most ``max_height`` CSS pixels tall (``None``: always);
        otherwise its first ``max_height`` pixels. A full page of a long report takes many
        seconds and tens of MB of PNG; ``pdf(name)`` keeps the whole document instead.
        """
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
        height = int(self.page.evaluate("document.documentElement.scrollHeight"))
        if max_height is None or height <= max_height:
            self.page.screenshot(path=str(path), full_page=True)
        else:
            width = int(self.page.evaluate("document.documentElement.scrollWidth"))
            self.page.screenshot(
                path=str(path), full_page=True,
                clip={"x": 0, "y": 0, "width": width, "height": max_height},
            )
        return path

    def pdf(self, name: str | None = None) -> bytes:
        """Print to PDF (headless Chromium only); also saved under test-artifacts/ if named."""
        data = self.page.pdf(format="A4", print_background=True)
        if name is not None:
            ARTIFACTS.mkdir(exist_ok=True)
            (ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.pdf").write_bytes(data)
        return data


def pdf_page_count(data: bytes) -> int:
    """Pages of a PDF as Chromium (Skia) writes it: ``/Type /Page`` objects, not ``/Pages``."""
    assert data.startswith(b"%PDF-"), f"not a PDF: starts with {data[:16]!r}"
    assert b"%%EOF" in data[-1024:], "PDF is truncated: no %%EOF trailer"
    return len(_PAGE_OBJECT.findall(data))


class Chromium:
    """One running headless Chromium; open many local files in fresh contexts."""

    def __init__(self, playwright: Playwright, browser: Browser) -> None:
        self._playwright = playwright
        self.browser = browser

    @classmethod
    @contextmanager
    def start(cls) -> Iterator[Chromium]:
        require_chromium()
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=list(LAUNCH_ARGS),
            )
            try:
                yield cls(playwright, browser)
            finally:
                browser.close()

    @contextmanager
    def open(
        self, path: Path, *, viewport: tuple[int, int] = (1280, 900), timeout_ms: float = 30_000,
    ) -> Iterator[LoadedPage]:
        """Open ``path`` in a new context; every other URL is aborted and recorded."""
        url = path.resolve().as_uri()
        context = self.browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]},
            service_workers="block",
            java_script_enabled=True,
        )
        context.set_default_timeout(timeout_ms)
        page = context.new_page()
        loaded = LoadedPage(page=page, url=url)

        def guard(route: Route, request: Request) -> None:
            if request.url == url:
                route.continue_()
            else:
                loaded.blocked_requests.append(request.url)
                route.abort("blockedbyclient")

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                where: dict[str, Any] = message.location or {}
                loaded.console_errors.append(
                    f"{message.text} ({where.get('url', '?')}:{where.get('lineNumber', '?')})"
                )

        # Routed on the context, so frames and pop-ups are covered too. Request events are
        # recorded as well, in case something bypasses the router (WebSockets always do).
        context.route("**/*", guard)
        page.on("console", on_console)
        page.on("pageerror", lambda error: loaded.page_errors.append(str(error)))
        context.on(
            "request",
            lambda request: None if request.url == url
            else loaded.attempted_requests.append(request.url),
        )
        page.on("websocket", lambda ws: loaded.attempted_requests.append(ws.url))
        try:
            page.goto(url, wait_until="load")
            # Let scripts that run after `load` (timers, late fetches) show themselves.
            page.wait_for_load_state("networkidle")
            yield loaded
        finally:
            context.close()
