"""`auditor.report.pdf`: real headless Chromium prints a Vietnamese report page to PDF, and
poppler's own tools (pdftoppm, pdftotext, pdffonts, pdfinfo) read the PDF back.

No mocks: the failure paths put small executable scripts in the browser's place (one exits
with code 3, one sleeps past the time limit, one writes something that is not a PDF). The real
print runs once per module, with a TCP listener on loopback that the page tries to reach and
must not, a HOME and a temporary directory of its own that must be left clean.

Needs /usr/bin/chromium (or $CHROMIUM) and poppler-utils: when they are missing these tests
fail (a skip only for a non-root user, who cannot install them).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import stat
import struct
import subprocess
import tempfile
import threading
import time
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser import CHROMIUM, require_chromium

from auditor.report.pdf import BROWSER_ENV, BROWSER_FLAGS, PdfError, find_browser, html_to_pdf

POPPLER = ("pdftoppm", "pdftotext", "pdffonts", "pdfinfo")
HEADING = "Báo cáo tình hình bảo đảm an toàn hệ thống thông tin theo cấp độ năm 2026"
APPROVED = "Đã được phê duyệt"
DEPLOYED = "Đã triển khai đầy đủ"
SVG_TEXT = "Biểu đồ mức độ tuân thủ"
ROWS = 90  # about 2.5 A4 pages of table
MARGIN_PT = 15 / 25.4 * 72  # @page margin 15mm, in PDF points
A4_PT = (595.28, 841.89)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def require_tools() -> None:
    """Fail (a skip only for a non-root user) when Chromium or poppler-utils is missing."""
    require_chromium()
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        message = (f"{', '.join(missing)} not found: run `bash scripts/test.sh` as root "
                   "(apt-get install poppler-utils)")
        if os.geteuid() != 0:
            pytest.skip(f"{message} (skipped: not root, so this machine cannot install it)")
        pytest.fail(message, pytrace=False)


def run(*args: str | Path) -> str:
    completed = subprocess.run(
        [str(arg) for arg in args], capture_output=True, text=True, encoding="utf-8",
        timeout=60, check=False,
    )
    assert completed.returncode == 0, f"{args[0]} failed ({completed.returncode}):\n" + (
        completed.stderr)
    return completed.stdout


# --------------------------------------------------------------------------------------------
# The page, a loopback listener it tries to reach, and PNG / PDF helpers.


class Listener:
    """A TCP server on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.05)
        self.port: int = self._server.getsockname()[1]
        self.connections: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, peer = self._server.accept()
            except TimeoutError:
                continue
            self.connections.append(f"{peer[0]}:{peer[1]}")
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._server.close()


def report_page(port: int) -> str:
    """A report-like page: A4 @page rule, DejaVu Sans, a long table, an inline SVG, and
    references to the network that the browser must never follow."""
    rows = "\n".join(
        f"<tr><td>{n}</td><td>Hệ thống {n:03d} của Sở Thông tin và Truyền thông</td>"
        f"<td>Cấp độ {n % 5 + 1}</td><td>{APPROVED if n % 2 else DEPLOYED}</td></tr>"
        for n in range(1, ROWS + 1)
    )
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{HEADING}</title>
<style>
@page {{ size: A4; margin: 15mm; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: "DejaVu Sans", sans-serif; font-size: 10pt; color: #111; }}
h1 {{ margin: 0 0 4mm; font-size: 12pt; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #888; padding: 2px 4px; text-align: left; }}
.bg {{ background-image: url("http://127.0.0.1:{port}/background.png"); }}
</style>
<link rel="stylesheet" href="http://localhost:{port}/style.css">
<link rel="stylesheet" href="https://fonts.example.test/css?family=Roboto">
</head><body>
<h1>{HEADING}</h1>
<svg xmlns="http://www.w3.org/2000/svg" width="480" height="120" viewBox="0 0 480 120">
  <rect x="0" y="20" width="300" height="30" fill="#2e7d32"/>
  <rect x="0" y="60" width="120" height="30" fill="#c62828"/>
  <circle cx="420" cy="60" r="50" fill="#1565c0"/>
  <text x="0" y="112" font-family="DejaVu Sans" font-size="12">{SVG_TEXT}</text>
</svg>
<img src="http://127.0.0.1:{port}/logo.png" alt="">
<p class="bg">Trạng thái triển khai các phương án bảo đảm an toàn thông tin:</p>
<table>
<thead><tr><th>STT</th><th>Hệ thống</th><th>Cấp độ</th><th>Trạng thái</th></tr></thead>
<tbody>
{rows}
</tbody></table>
</body></html>
"""


def png_scanlines(path: Path) -> list[bytes]:
    """The (filtered) scanlines of a non-interlaced 8-bit PNG, decompressed with zlib."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    position, chunks = 8, []
    width = height = channels = 0
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0, f"{path}: depth {depth}, interlace {interlace}"
            channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            break
    raw = zlib.decompress(b"".join(chunks))
    stride = 1 + width * channels
    assert len(raw) == stride * height, f"{path}: {len(raw)} bytes for {width}x{height}"
    return [raw[i:i + stride] for i in range(0, len(raw), stride)]


def distinct_scanlines(path: Path) -> int:
    """A page of one colour has at most two distinct filtered scanlines (the first row, which
    has none above it, and all the identical others); a page with text has hundreds."""
    return len(set(png_scanlines(path)))


def blank_pdf() -> bytes:
    """A valid one-page PDF with an empty A4 page."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def pdffonts_rows(pdf: Path) -> list[dict[str, str]]:
    """pdffonts' table, cut into columns at the boundaries of its row of dashes."""
    lines = run("pdffonts", pdf).splitlines()
    header, dashes, body = lines[0], lines[1], lines[2:]
    spans = [match.span() for match in re.finditer(r"-+", dashes)]
    names = [header[start:end].strip() for start, end in spans]
    names[-1] = header[spans[-1][0]:].strip()  # "object ID" spans two dash runs' header
    return [
        {name: line[start:end].strip() for name, (start, end) in zip(names, spans, strict=True)}
        for line in body if line.strip()
    ]


# --------------------------------------------------------------------------------------------
# One real print, shared by the tests that read it back.


@dataclass(frozen=True)
class Printed:
    html: Path
    pdf: Path
    out_dir: Path
    home: Path
    temp: Path
    connections: list[str]
    seconds: float


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    require_tools()
    root = tmp_path_factory.mktemp("pdf")
    # A space and Vietnamese letters in both names: the file:// URI must be percent-encoded.
    source_dir, out_dir, home, temp = (root / name for name in ("nguồn", "ra", "home", "tmp"))
    for directory in (source_dir, out_dir, home, temp):
        directory.mkdir()
    html = source_dir / "Báo cáo 2026.html"
    pdf = out_dir / "báo cáo năm 2026.pdf"
    listener = Listener()
    try:
        html.write_text(report_page(listener.port), encoding="utf-8")
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("HOME", str(home))
            patch.setattr(tempfile, "tempdir", str(temp))  # where mkdtemp puts the profile
            start = time.monotonic()
            html_to_pdf(html, pdf, browser=CHROMIUM)
            seconds = time.monotonic() - start
        time.sleep(0.2)  # a connection made just before the browser exited is recorded too
    finally:
        listener.close()
    print(f"\nhtml_to_pdf with {CHROMIUM}: {seconds:.2f} s")
    return Printed(html, pdf, out_dir, home, temp, listener.connections, seconds)


def test_the_pdf_is_complete_a4_with_the_page_css_margins(printed: Printed) -> None:
    data = printed.pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert b"%%EOF" in data[-1024:]
    info = run("pdfinfo", printed.pdf)
    count = re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE)
    assert count is not None, info
    pages = int(count[1])
    assert pages >= 2, info
    # Chromium's own default is US Letter: A4 comes from the page's @page rule.
    sizes = run("pdfinfo", "-f", "1", "-l", str(pages), printed.pdf)
    for width, height in re.findall(r"size:\s+([\d.]+) x ([\d.]+) pts", sizes):
        assert abs(float(width) - A4_PT[0]) < 1.5 and abs(float(height) - A4_PT[1]) < 1.5, sizes
    # So does the 15 mm margin: the heading's first word starts 15 mm from the left and top.
    bbox = run("pdftotext", "-f", "1", "-l", "1", "-bbox", printed.pdf, "-")
    first = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', bbox)
    assert first is not None, bbox[:2000]
    assert nfc(first[3]) == nfc(HEADING.split()[0])
    assert abs(float(first[1]) - MARGIN_PT) < 2, f"left edge at {first[1]} pt"
    assert MARGIN_PT - 2 < float(first[2]) < MARGIN_PT + 12, f"top edge at {first[2]} pt"


def test_every_page_renders_with_content(printed: Printed, tmp_path: Path) -> None:
    run("pdftoppm", "-png", "-r", "50", printed.pdf, tmp_path / "page")
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) >= 2, pngs
    for png in pngs:
        assert png.stat().st_size > 4000, f"{png.name}: only {png.stat().st_size} bytes"
        assert distinct_scanlines(png) > 20, f"{png.name} looks blank"
    # The heuristic's negative control: poppler's rendering of an empty page.
    (tmp_path / "blank.pdf").write_bytes(blank_pdf())
    run("pdftoppm", "-png", "-r", "50", tmp_path / "blank.pdf", tmp_path / "blank")
    (blank,) = tmp_path.glob("blank-*.png")
    assert distinct_scanlines(blank) <= 2


def test_the_vietnamese_text_extracts_exactly(printed: Printed) -> None:
    text = nfc(run("pdftotext", "-layout", printed.pdf, "-"))
    assert nfc(HEADING) in " ".join(text.split())
    assert text.count(nfc(APPROVED)) == ROWS // 2
    assert text.count(nfc(DEPLOYED)) == ROWS - ROWS // 2
    assert nfc(SVG_TEXT) in text  # the inline SVG was drawn, its text as real text
    for letter in ("ệ", "ả", "Đ", "ư", "ợ", "ầ", "ủ", "ố"):
        assert nfc(letter) in text, letter
    pages = text.split("\f")
    assert nfc(f"Hệ thống {ROWS:03d}") in "".join(pages[1:]), "the table's end is not on page 2+"
    assert nfc("Hệ thống 001") in pages[0]


def test_dejavu_sans_is_embedded(printed: Printed) -> None:
    fonts = pdffonts_rows(printed.pdf)
    dejavu = [font for font in fonts if "DejaVuSans" in font["name"]]
    assert dejavu, fonts
    assert all(font["emb"] == "yes" for font in dejavu), dejavu
    assert all(font["emb"] == "yes" for font in fonts), f"a font is not embedded: {fonts}"


def test_no_network_and_nothing_left_behind(printed: Printed) -> None:
    assert printed.connections == [], "the browser reached the loopback listener"
    assert [p.name for p in printed.out_dir.iterdir()] == [printed.pdf.name]
    assert list(printed.temp.iterdir()) == [], "the browser profile was left behind"
    # Chromium's crash database and GLib's settings cache stay out of HOME (a font cache that
    # fontconfig may write for a new HOME is not the browser's doing).
    left = [p.relative_to(printed.home).as_posix() for p in printed.home.rglob("*")]
    assert [p for p in left if p != ".cache" and not p.startswith(".cache/fontconfig")] == []
    assert printed.html.is_file()
    assert stat.S_IMODE(printed.pdf.stat().st_mode) & 0o044, "the PDF is not shareable (0600)"


# --------------------------------------------------------------------------------------------
# Failure paths and the browser search, with scripts in the browser's place.


def script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture
def page(tmp_path: Path) -> Path:
    html = tmp_path / "page.html"
    html.write_text("<!doctype html><meta charset=utf-8><p>Xin chào</p>", encoding="utf-8")
    return html


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "out"
    directory.mkdir()
    return directory


def recorded_profile(args_file: Path) -> Path:
    """The --user-data-dir a script was started with (it wrote one argument a line)."""
    args = args_file.read_text(encoding="utf-8").splitlines()
    (profile,) = (arg.removeprefix("--user-data-dir=") for arg in args
                  if arg.startswith("--user-data-dir="))
    return Path(profile)


RECORD_ARGS = 'printf "%s\\n" "$@" > {args}\n'


def test_a_missing_browser_is_named_with_the_install_hint(page: Path, out_dir: Path) -> None:
    missing = out_dir.parent / "no-such-chromium"
    with pytest.raises(PdfError) as raised:
        html_to_pdf(page, out_dir / "report.pdf", browser=missing)
    assert str(missing) in str(raised.value)
    assert "apt-get install chromium" in str(raised.value)
    assert list(out_dir.iterdir()) == []


def test_a_browser_failing_with_code_3_leaves_nothing(page: Path, out_dir: Path) -> None:
    args = out_dir.parent / "args.txt"
    browser = script(out_dir.parent / "failing-browser", RECORD_ARGS.format(args=shlex.quote(
        str(args))) + (
        'echo "[1:1:0101/000000.000000:ERROR:dbus/bus.cc:405] Failed to connect to the bus" >&2\n'
        'echo "fake-browser: cannot open the page" >&2\n'
        "exit 3\n"
    ))
    pdf = out_dir / "report.pdf"
    pdf.write_bytes(b"the previous report")
    with pytest.raises(PdfError) as raised:
        html_to_pdf(page, pdf, browser=browser)
    message = str(raised.value)
    assert "exited with code 3" in message
    assert "fake-browser: cannot open the page" in message
    assert "dbus" not in message  # Chromium's D-Bus noise is not the cause
    assert pdf.read_bytes() == b"the previous report"
    assert [p.name for p in out_dir.iterdir()] == ["report.pdf"], "a temporary file was left"
    assert not recorded_profile(args).exists(), "the user-data-dir was left behind"


def test_a_browser_past_the_time_limit_is_stopped_with_its_children(
    page: Path, out_dir: Path,
) -> None:
    pids = out_dir.parent / "pids"
    browser = script(out_dir.parent / "sleepy-browser", (
        f"echo $$ > {shlex.quote(str(pids))}\n"
        "sleep 30 &\n"
        f"echo $! >> {shlex.quote(str(pids))}\n"
        "wait\n"
    ))
    with pytest.raises(PdfError) as raised:
        html_to_pdf(page, out_dir / "report.pdf", browser=browser, timeout=1)
    assert "within 1 s" in str(raised.value)
    assert list(out_dir.iterdir()) == []
    shell, sleeper = (int(pid) for pid in pids.read_text().split())
    for pid in (shell, sleeper):  # the whole process group was killed, not just the script
        assert wait_dead(pid), f"process {pid} of the browser's group still runs"


def wait_dead(pid: int, seconds: float = 5) -> bool:
    """Whether `pid` is gone or a zombie (killed, not yet reaped by init) within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            stat_line = Path(f"/proc/{pid}/stat").read_bytes()
        except FileNotFoundError:
            return True
        if stat_line[stat_line.rfind(b")") + 2:][:1] in (b"Z", b"X"):
            return True
        time.sleep(0.02)
    return False


def test_chromium_stopped_at_the_time_limit_leaves_nothing(
    tmp_path: Path, out_dir: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The real browser, killed mid-print (it needs about a second): no process, no profile,
    no lock directory, no temporary file and no output are left."""
    require_tools()
    html = tmp_path / "report.html"
    html.write_text(report_page(9), encoding="utf-8")
    # A short $TMPDIR of its own (Chromium's lock socket lives there: 108 bytes at most).
    temp = Path(tempfile.mkdtemp(prefix="pdf-", dir="/tmp"))
    try:
        monkeypatch.setenv("TMPDIR", str(temp))
        monkeypatch.setattr(tempfile, "tempdir", str(temp))
        with pytest.raises(PdfError, match=r"within 0\.2 s"):
            html_to_pdf(html, out_dir / "report.pdf", browser=CHROMIUM, timeout=0.2)
        assert list(temp.iterdir()) == []
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    assert list(out_dir.iterdir()) == []


def test_output_that_is_not_a_pdf_is_refused(page: Path, out_dir: Path) -> None:
    browser = script(out_dir.parent / "html-writer", (
        'for arg; do case "$arg" in --print-to-pdf=*) out="${arg#--print-to-pdf=}";; esac; done\n'
        'echo "<html>not a pdf</html>" > "$out"\n'
    ))
    with pytest.raises(PdfError, match="not a PDF"):
        html_to_pdf(page, out_dir / "report.pdf", browser=browser)
    assert list(out_dir.iterdir()) == []


def test_a_browser_that_writes_nothing_is_refused(page: Path, out_dir: Path) -> None:
    browser = script(out_dir.parent / "silent-browser", "exit 0\n")
    with pytest.raises(PdfError, match="without writing a PDF"):
        html_to_pdf(page, out_dir / "report.pdf", browser=browser)
    assert list(out_dir.iterdir()) == []


def test_the_browser_gets_the_offline_flags_and_a_fresh_profile(
    page: Path, out_dir: Path,
) -> None:
    work = out_dir.parent
    (work / "blank.pdf").write_bytes(blank_pdf())
    args = work / "args.txt"
    browser = script(work / "recording-browser", RECORD_ARGS.format(args=shlex.quote(str(
        args))) + (
        'for arg; do case "$arg" in\n'
        '  --print-to-pdf=*) out="${arg#--print-to-pdf=}";;\n'
        '  --user-data-dir=*) profile="${arg#--user-data-dir=}";;\n'
        "esac; done\n"
        f'ls -A "$profile" > {shlex.quote(str(work / "profile.txt"))}\n'
        f'cp {shlex.quote(str(work / "blank.pdf"))} "$out"\n'
    ))
    pdf = out_dir / "report.pdf"
    html_to_pdf(page, pdf, browser=browser)
    assert pdf.read_bytes() == blank_pdf()
    argv = args.read_text(encoding="utf-8").splitlines()
    for flag in BROWSER_FLAGS:
        assert flag in argv
    assert ("--no-sandbox" in argv) == (os.geteuid() == 0)
    assert argv[-1] == page.resolve().as_uri()
    (output,) = (arg.removeprefix("--print-to-pdf=") for arg in argv
                 if arg.startswith("--print-to-pdf="))
    assert Path(output).parent == out_dir and Path(output) != pdf
    assert not any(arg.startswith(("--paper", "--window-size")) for arg in argv)
    assert (work / "profile.txt").read_text() == "", "the profile was not fresh"
    assert not recorded_profile(args).exists()
    assert [p.name for p in out_dir.iterdir()] == ["report.pdf"]


def test_a_missing_page_is_refused(out_dir: Path) -> None:
    with pytest.raises(PdfError, match="no such file"):
        html_to_pdf(out_dir / "absent.html", out_dir / "report.pdf", browser=Path("/bin/true"))
    assert list(out_dir.iterdir()) == []


def test_find_browser_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("google-chrome", "chromium-browser"):
        script(bin_dir / name, "exit 0\n")
    configured = script(tmp_path / "configured-browser", "exit 0\n")
    given = script(tmp_path / "given-browser", "exit 0\n")
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.delenv(BROWSER_ENV, raising=False)
    assert find_browser() == bin_dir / "chromium-browser"  # before google-chrome
    monkeypatch.setenv(BROWSER_ENV, str(configured))
    assert find_browser() == configured
    assert find_browser(str(given)) == given
    assert find_browser("google-chrome") == bin_dir / "google-chrome"  # a name: on PATH

    monkeypatch.setenv(BROWSER_ENV, str(tmp_path / "gone"))
    with pytest.raises(PdfError, match=re.escape(f"${BROWSER_ENV}")) as raised:
        find_browser()
    assert str(tmp_path / "gone") in str(raised.value)

    monkeypatch.delenv(BROWSER_ENV)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(PdfError, match="apt-get install chromium"):
        find_browser()
