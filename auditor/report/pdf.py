"""Print a self-contained HTML report to PDF with headless Chromium (an I/O edge module).

Why headless Chromium:

* it is already on every machine that runs the test suite (Debian's ``chromium``, which the
  browser tests drive), so PDF output adds no Python dependency;
* it honours print CSS: the page size, margins and page breaks come from the report's own
  ``@page`` rule and ``break-*`` properties, never from this module;
* it lays text out with HarfBuzz and embeds subsets of the system's fonts, such as DejaVu Sans
  (Debian's ``fonts-dejavu-core``) with every Vietnamese glyph, so the PDF reads the same on a
  machine without those fonts and its text layer extracts back to the same Unicode.

No network I/O: the report is one file with inline CSS and inline SVG, and the browser is kept
off the network by more than good manners. Every host name resolves to "not found"
(``--host-resolver-rules``), every other URL, loopback included, goes to a proxy on port 9 of
127.0.0.1, a port Chromium refuses to connect to at all (``--proxy-server``,
``--proxy-bypass-list=<-loopback>``), and its background traffic (component updates, sync,
QUIC, extensions) is switched off. All that is left is Chromium asking the kernel for its route
to a public IPv6 address (a UDP connect() that sends nothing). Its profile is a fresh temporary
directory, removed afterwards with everything else it wrote; nothing is written to the home
directory.

Nothing half-written: Chromium prints to a temporary file beside the destination, which
replaces the destination only once it is a complete PDF; on any failure the temporary file is
removed, an existing destination is left as it was, and :class:`PdfError` says what failed.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

BROWSER_ENV = "AUDITOR_CHROMIUM"
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = (
    "install Chromium (as root on Debian or Ubuntu: apt-get install chromium) "
    f"or set ${BROWSER_ENV} to the browser's path"
)

# Passed on every run, besides the per-run --user-data-dir, --print-to-pdf and the page's URL
# (and --no-sandbox when running as root, where Chromium's sandbox refuses to start).
BROWSER_FLAGS = (
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-extensions",  # Debian's launcher would otherwise load system-wide extensions
    # No page header and footer (date, title, URL, page number) in the margins; the second
    # is the older versions' spelling of the first (newer ones ignore it).
    "--no-pdf-header-footer",
    "--print-to-pdf-no-header",
    # No network: no name resolves, and every URL, loopback included, is sent to a proxy on
    # 127.0.0.1:9, a port on Chromium's list of those it never connects to.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
)

# How long to wait for the browser's helpers (zygote, renderers...) to be gone once killed.
_GROUP_GRACE = 5.0
_STDERR_TAIL_LINES = 12
_STDERR_TAIL_BYTES = 64 * 1024
# Chromium on a server without D-Bus logs these by the dozen; they never explain a failure.
_NOISE = (":ERROR:dbus/",)
_LOCK_DIR = re.compile(r"(?:org\.chromium\.Chromium|com\.google\.Chrome)\.[A-Za-z0-9]{6}")


class PdfError(Exception):
    """A message for the user: what failed and what to do (e.g. install chromium)."""


def find_browser(explicit: str | Path | None = None) -> Path:
    """The browser to print with: ``explicit``, else ``$AUDITOR_CHROMIUM``, else the first of
    chromium, chromium-browser, google-chrome, google-chrome-stable found on ``$PATH``.

    A path, or a bare name looked up on ``$PATH``. Raises :class:`PdfError` when the given
    browser is not an executable file, or when none is given and none is found.
    """
    if explicit is not None and str(explicit):
        return _executable(str(explicit), "the browser given")
    configured = os.environ.get(BROWSER_ENV, "")
    if configured:
        return _executable(configured, f"${BROWSER_ENV}")
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found is not None:
            return Path(found)
    raise PdfError(
        f"no browser to print the PDF with: none of {', '.join(BROWSER_NAMES)} is on PATH; "
        f"{INSTALL_HINT}"
    )


def _executable(name: str, source: str) -> Path:
    found = shutil.which(name)
    if found is None:
        raise PdfError(f"browser not found: {source} is {name!r}, not an executable file; "
                       f"{INSTALL_HINT}")
    return Path(found)


def html_to_pdf(
    html: Path, pdf: Path, *, browser: Path | None = None, timeout: float = 120.0,
) -> None:
    """Print ``html``, a self-contained page, to the PDF file ``pdf`` with headless Chromium.

    Paper size and margins are the page's own (its CSS ``@page`` rule). ``browser`` is found
    by :func:`find_browser` when not given. ``pdf`` is replaced only by a complete PDF; the
    browser is stopped (with every process it started) after ``timeout`` seconds.
    Raises :class:`PdfError`, and then ``pdf`` is as it was before.
    """
    if not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
    source = Path(html)
    if not source.is_file():
        raise PdfError(f"cannot print {source} to PDF: no such file")
    url = source.resolve().as_uri()
    executable = find_browser(browser)
    destination = Path(pdf)
    directory = destination.parent
    if not directory.is_dir():
        raise PdfError(f"cannot write {destination}: the directory {directory} does not exist")

    work = Path(tempfile.mkdtemp(prefix="auditor-pdf-"))
    try:
        try:
            fd, temp_name = tempfile.mkstemp(
                prefix=f".{destination.name}.", suffix=".tmp", dir=directory,
            )
        except OSError as error:
            raise PdfError(f"cannot write {destination}: {error.strerror or error}") from error
        os.close(fd)
        output = Path(temp_name)
        try:
            _print(executable, url, output, work, timeout)
            _check_pdf(output, executable)
            _publish(output, destination)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                output.unlink()
            raise
    finally:
        _remove_lock_dir(work / "profile")
        _remove_tree(work)


def _arguments(executable: Path, url: str, output: Path, profile: Path) -> list[str]:
    sandbox = ["--no-sandbox"] if os.geteuid() == 0 else []
    return [
        str(executable), *BROWSER_FLAGS, *sandbox,
        f"--user-data-dir={profile}", f"--print-to-pdf={output}", url,
    ]


def _environment(work: Path) -> dict[str, str]:
    """The user's environment, except that Chromium keeps its crash-report database and
    GLib its settings cache out of the user's home (fonts are found as usual).

    ``TMPDIR`` stays as it is: Chromium puts the profile's lock socket there, and a socket's
    path must be short (108 bytes); :func:`_remove_lock_dir` cleans up after a killed browser.
    """
    return {
        **os.environ,
        "CHROME_CONFIG_HOME": str(work / "config"),
        "GSETTINGS_BACKEND": "memory",
    }


def _print(executable: Path, url: str, output: Path, work: Path, timeout: float) -> None:
    profile = work / "profile"
    profile.mkdir()
    log_path = work / "browser.log"
    # Output goes to a file, not a pipe: a helper process that outlives the browser would keep
    # a pipe open, and reading it to the end would wait for that helper.
    with log_path.open("wb") as log:
        try:
            process = subprocess.Popen(  # noqa: S603 - an argument list; no shell
                _arguments(executable, url, output, profile),
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                cwd=work, env=_environment(work), start_new_session=True,
            )
        except OSError as error:
            raise PdfError(
                f"cannot start the browser {executable}: {error.strerror or error}; "
                f"{INSTALL_HINT}"
            ) from error
    try:
        finished = _wait_unreaped(process.pid, timeout)
    finally:
        # The browser leads a process group of its own (start_new_session): stop whatever is
        # left of it (helpers winding down, or all of it on a timeout or an interrupt). The
        # unreaped browser keeps the group's id from being reused by an unrelated process.
        _stop_group(process)
    if not finished:
        raise PdfError(
            f"the browser {executable} did not finish printing {url} within {timeout:g} s "
            f"and was stopped{_tail(log_path)}"
        )
    code = process.returncode
    if code != 0:
        if code < 0:
            try:
                how = f"was killed by signal {signal.Signals(-code).name}"
            except ValueError:
                how = f"was killed by signal {-code}"
        else:
            how = f"exited with code {code}"
        raise PdfError(f"the browser {executable} {how} while printing {url}{_tail(log_path)}")


def _wait_unreaped(pid: int, timeout: float) -> bool:
    """Wait up to ``timeout`` seconds for the child ``pid`` to exit, leaving it unreaped."""
    deadline = time.monotonic() + timeout
    delay = 0.002
    while True:
        if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT | os.WNOHANG) is not None:
            return True
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        time.sleep(min(delay, remaining))
        delay = min(delay * 2, 0.05)


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the process group ``process`` leads, reap ``process``, and wait (a little) for the
    rest of the group to be gone, so that nothing writes to the profile once it is removed."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + _GROUP_GRACE
    while _group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.01)


def _group_alive(pgid: int) -> bool:
    """Whether a process of group ``pgid`` still runs. Zombies do not count: they write
    nothing, and an init that reaps orphans only now and then can keep them for seconds."""
    try:
        entries = os.scandir("/proc")
    except OSError:  # no procfs: fall back on signal 0, which counts zombies too
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True
    with entries:
        for entry in entries:
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as handle:
                    stat = handle.read()
            except OSError:  # gone meanwhile
                continue
            # "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
            fields = stat[stat.rfind(b")") + 2:].split()
            if len(fields) > 2 and fields[2] == str(pgid).encode() and fields[0] not in b"ZX":
                return True
    return False


def _tail(log_path: Path) -> str:
    """The last lines the browser wrote, to end an error message with (or nothing)."""
    try:
        with log_path.open("rb") as log:
            log.seek(max(0, log.seek(0, os.SEEK_END) - _STDERR_TAIL_BYTES))
            text = log.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    lines = [line.rstrip() for line in text.splitlines()]
    lines = [line for line in lines if line and not any(noise in line for noise in _NOISE)]
    if not lines:
        return ""
    return "; its last output:\n  " + "\n  ".join(lines[-_STDERR_TAIL_LINES:])


def _check_pdf(output: Path, executable: Path) -> None:
    try:
        size = output.stat().st_size
        with output.open("rb") as handle:
            head = handle.read(5)
            handle.seek(max(0, size - 1024))
            end = handle.read()
    except FileNotFoundError:
        raise PdfError(f"the browser {executable} exited without writing a PDF") from None
    if size == 0:
        raise PdfError(f"the browser {executable} exited without writing a PDF (empty output)")
    if head != b"%PDF-":
        raise PdfError(
            f"the browser {executable} wrote something that is not a PDF "
            f"(it starts with {head!r}, not b'%PDF-')"
        )
    if b"%%EOF" not in end:
        raise PdfError(f"the browser {executable} wrote a truncated PDF (no %%EOF at its end)")


def _publish(output: Path, destination: Path) -> None:
    """Give the PDF the permissions of any new file (0666 less the umask), flush it to disk
    and rename it onto ``destination``."""
    umask = os.umask(0)
    os.umask(umask)
    try:
        with output.open("rb+") as handle:
            os.fchmod(handle.fileno(), 0o666 & ~umask)
            os.fsync(handle.fileno())
        os.replace(output, destination)
    except OSError as error:
        raise PdfError(f"cannot write {destination}: {error.strerror or error}") from error


def _remove_lock_dir(profile: Path) -> None:
    """Remove the directory Chromium made under ``$TMPDIR`` for the lock of ``profile``.

    The profile's ``SingletonSocket`` is a link into a fresh ``org.chromium.Chromium.XXXXXX``
    (Chrome: ``com.google.Chrome.XXXXXX``) holding the socket and a cookie. The browser removes
    it when it exits; a killed one leaves it. Only a directory of that name holding nothing
    else is removed.
    """
    try:
        target = Path(os.readlink(profile / "SingletonSocket"))
    except OSError:  # no profile, no lock, or the browser removed it
        return
    directory = target.parent
    if not (target.is_absolute() and target.name == "SingletonSocket"
            and _LOCK_DIR.fullmatch(directory.name)):
        return
    try:
        entries = {entry.name for entry in os.scandir(directory)}
    except OSError:
        return
    if entries <= {"SingletonSocket", "SingletonCookie"} and not directory.is_symlink():
        shutil.rmtree(directory, ignore_errors=True)


def _remove_tree(path: Path) -> None:
    """Remove a temporary directory; retry if a late writer recreated an entry meanwhile."""
    for _ in range(20):
        shutil.rmtree(path, ignore_errors=True)
        if not os.path.lexists(path):
            return
        time.sleep(0.05)
