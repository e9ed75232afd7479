"""Hardened, streaming reader of nmap's XML output (`nmap -oX`) into a `ScanRun`.

The input is untrusted (an imported file may come from anywhere), so:

- XML is parsed by `defusedxml`'s expat parser: entity declarations (internal or external,
  hence XXE and entity-expansion bombs) and attribute-list declarations are refused, and no
  DTD or entity is ever resolved or fetched. nmap's own `<!DOCTYPE nmaprun>`, and the
  `PUBLIC "-//IDN nmap.org//DTD Nmap XML 1.04//EN" "…nmap.dtd"` form of some merging tools,
  still parse: expat reads neither.
- It streams: values are built as each element ends and each `<host>` is turned into a
  `HostObservation` as soon as it closes, so no document tree is ever held; what is not
  interpreted (`<hosthint>`, `<os>`, `<times>`, `<hostscript>`, `<prescript>`, …) is skipped
  without being stored.
- Counts, sizes and nesting are bounded (`Limits`); script text is cut at 64 KiB.
- It is strict: a truncated file (nmap killed before it closed its tags), XML that is not
  nmap's (root not `<nmaprun>`), or an invalid address, port number, count or time is an
  `NmapXmlError` naming file, line and column. A host that cannot be read is never skipped.

What is kept: the run's command line, version, start and end (ISO 8601 UTC from the epoch
attributes), what it scanned (`<scaninfo>`) and an error exit (a note); per host its IP
address (normalised; MAC addresses are not hosts), status, names, timeout and every listed
port with state, reason, service, CPEs and each NSE script's text and structured output
(`<table>`/`<elem>` as nested dicts and lists). A timed-out host keeps no port, as the model
says: nmap's results for it are incomplete.

Every nmap version's output has this shape (`xmloutputversion` 1.0x); masscan's `-oX`, which
imitates it with one `<host>` per open port, reads too (hosts are not merged here).
"""

from __future__ import annotations

import datetime as dt
import io
import ipaddress
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn
from xml.parsers import expat

from defusedxml import DefusedXmlException  # type: ignore[import-untyped, unused-ignore]
from defusedxml.common import (  # type: ignore[import-untyped, unused-ignore]
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from defusedxml.ElementTree import (  # type: ignore[import-untyped, unused-ignore]
    DefusedXMLParser,
)

from auditor.errors import InputError, Location
from auditor.messages import Msg, cannot_read, number, os_error, too_large
from auditor.scan.model import HostObservation, PortObservation, ScanRun, ScriptOutput

DEFAULT_MAX_BYTES = 512 * 1024 * 1024
TIMED_OUT = "host timed out (nmap --host-timeout)"
_CHUNK = 1024 * 1024
_TRUNCATED = " […]"


@dataclass(frozen=True)
class Limits:
    """Bounds on what one file may hold (the file size is bounded by `max_bytes`)."""

    max_hosts: int = 1_000_000
    max_ports_per_host: int = 131_072  # every TCP and UDP port, listed one by one
    max_scripts_per_port: int = 1_000
    max_script_output: int = 64 * 1024  # characters of a script's text output kept
    max_script_elements: int = 10_000  # <table>/<elem> kept per script
    max_text: int = 64 * 1024  # characters of any other text or attribute kept
    max_depth: int = 64  # element nesting


DEFAULT_LIMITS = Limits()


class NmapXmlError(InputError):
    """Malformed, truncated or unsafe nmap XML. `str()` is one line: 'FILE:LINE:COL: message'
    (1-based line and column; without them when the fault is not at a place in the file)."""

    def __init__(self, source: str, line: int | None, column: int | None, message: Msg) -> None:
        super().__init__(Location(source, line, column), message)
        self.source = source
        self.line = line
        self.column = column


def parse_nmap_xml(
    data: bytes,
    *,
    source: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    limits: Limits = DEFAULT_LIMITS,
) -> ScanRun:
    """Parse nmap XML held in memory; `source` names it in errors and in `ScanRun.source`."""
    if len(data) > max_bytes:
        raise NmapXmlError(
            source, None, None,
            Msg(
                f"{number(len(data)).vi} byte XML, vượt giới hạn {number(max_bytes).vi} byte",
                f"{number(len(data)).en} bytes of XML, larger than the limit of "
                f"{number(max_bytes).en} bytes",
            ),
        )
    view = memoryview(data)
    chunks = (bytes(view[i : i + _CHUNK]) for i in range(0, len(view), _CHUNK))
    return _parse(chunks, source, limits)


def read_nmap_xml(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, limits: Limits = DEFAULT_LIMITS
) -> ScanRun:
    """Read and parse an nmap XML file, streaming it in 1 MiB chunks. Only regular files are
    read (a FIFO, device or directory is refused before it is opened, and again after)."""
    source = str(path)
    try:
        kind = _file_kind(os.stat(path).st_mode)
        if kind is not None:
            raise NmapXmlError(source, None, None, _not_regular(kind))
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise NmapXmlError(source, None, None, cannot_read(os_error(exc))) from exc
    with os.fdopen(fd, "rb", buffering=0) as handle:
        info = os.fstat(handle.fileno())
        kind = _file_kind(info.st_mode)
        if kind is not None:  # replaced between stat and open
            raise NmapXmlError(source, None, None, _not_regular(kind))
        if info.st_size > max_bytes:
            raise NmapXmlError(source, None, None, too_large(max_bytes, info.st_size))
        return _parse(_read_chunks(handle, source, max_bytes), source, limits)


# Never block on open (a FIFO swapped in after the stat), never adopt a terminal.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def _file_kind(mode: int) -> Msg | None:
    """None for a regular file, else what it is."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return Msg("một thư mục", "a directory")
    if stat.S_ISFIFO(mode):
        return Msg("một FIFO", "a FIFO")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return Msg("một thiết bị", "a device")
    if stat.S_ISSOCK(mode):
        return Msg("một socket", "a socket")
    return Msg("không phải tệp", "not a file")


def _not_regular(kind: Msg) -> Msg:
    return Msg(f"không phải tệp thông thường ({kind.vi})", f"not a regular file ({kind.en})")




def _read_chunks(handle: io.FileIO, source: str, max_bytes: int) -> Iterator[bytes]:
    total = 0
    while True:
        try:
            chunk = handle.read(_CHUNK)
        except OSError as exc:
            raise NmapXmlError(source, None, None, cannot_read(os_error(exc))) from exc
        if not chunk:
            return
        total += len(chunk)
        if total > max_bytes:  # the file grew after fstat
            raise NmapXmlError(source, None, None, too_large(max_bytes))
        yield chunk


def _parse(chunks: Iterable[bytes], source: str, limits: Limits) -> ScanRun:
    builder = _Builder(source, limits)
    # defusedxml's parser installs its refusals (entity declarations, external references) on
    # the expat parser it creates. Element events then go straight from expat to the builder,
    # not through ElementTree's pure-Python layer (time spent for nothing here), and
    # attribute-list declarations are refused too (they could add attributes to elements).
    defused: Any = DefusedXMLParser(
        target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    raw: Any = defused.parser
    builder.expat = raw
    raw.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    raw.AttlistDeclHandler = builder.refuse_attlist
    raw.ordered_attributes = False
    raw.StartElementHandler = builder.start
    raw.EndElementHandler = builder.end
    raw.CharacterDataHandler = None  # installed while a text element is open
    size = 0
    closing = False
    try:
        for chunk in chunks:
            size += len(chunk)
            raw.Parse(chunk, False)
        if size == 0:
            raise NmapXmlError(
                source, None, None,
                Msg("tệp rỗng: không có nội dung XML nào", "empty file: no XML at all"),
            )
        closing = True
        raw.Parse(b"", True)
    except expat.ExpatError as exc:
        what = (
            Msg("XML bị cắt cụt hoặc sai cú pháp", "truncated or malformed XML")
            if closing
            else Msg("XML sai cú pháp", "malformed XML")
        )
        hint = exc.lineno == 1 and not builder.seen_root
        detail = expat.ErrorString(exc.code) if exc.code else str(exc).partition(":")[0]
        message = Msg(
            f"{what.vi}: {detail}" + (" (đây có phải kết quả nmap -oX không?)" if hint else ""),
            f"{what.en}: {detail}" + (" (is this nmap -oX output?)" if hint else ""),
        )
        raise NmapXmlError(source, exc.lineno, exc.offset + 1, message) from None
    except DefusedXmlException as exc:
        raise NmapXmlError(
            source, raw.CurrentLineNumber, raw.CurrentColumnNumber + 1, _refusal(exc)
        ) from None
    return builder.result()


def _refusal(exc: Any) -> Msg:
    if isinstance(exc, EntitiesForbidden):
        where = f" SYSTEM {_quote(exc.sysid)}" if exc.sysid else ""
        declaration = f"<!ENTITY {_quote(exc.name)}{where}>"
        return Msg(
            f"bị từ chối: khai báo thực thể {declaration} (không cho phép thực thể: thực thể "
            "ngoài (XXE) và khai triển thực thể; nmap không khai báo thực thể nào)",
            f"refused: entity declaration {declaration} (entities are not allowed: external "
            "entities (XXE) and entity expansion; nmap declares none)",
        )
    if isinstance(exc, ExternalReferenceForbidden):
        return Msg(
            f"bị từ chối: tham chiếu tới thực thể ngoài {_quote(exc.sysid)}",
            f"refused: reference to an external entity {_quote(exc.sysid)}",
        )
    return Msg.same(f"refused: {type(exc).__name__}")  # pragma: no cover - DTDs are allowed


def _quote(value: object, limit: int = 80) -> str:
    """A value from the file, made safe for a one-line message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "…" + text[-1]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - len(_TRUNCATED))] + _TRUNCATED


_DIGITS = re.compile(r"[0-9]{1,12}")
_SERVICES = re.compile(r"[0-9]{1,5}(-[0-9]{1,5})?(,[0-9]{1,5}(-[0-9]{1,5})?)*")
_PORT_MAX = {"tcp": 65_535, "udp": 65_535, "sctp": 65_535, "ip": 255}  # ip: -sO protocol numbers
_FAMILIES = {"ipv4": 4, "ipv6": 6}
# Which children of each element are read; anything else is skipped unread.
_READ: dict[str, frozenset[str]] = {
    "nmaprun": frozenset({"scaninfo", "host", "runstats"}),
    "host": frozenset({"status", "address", "hostnames", "ports"}),
    "hostnames": frozenset({"hostname"}),
    "ports": frozenset({"port", "extraports"}),
    "port": frozenset({"state", "service", "script"}),
    "service": frozenset({"cpe"}),
    "script": frozenset({"table", "elem"}),
    "table": frozenset({"table", "elem"}),
    "runstats": frozenset({"finished"}),
}
_NOTHING: frozenset[str] = frozenset()
_TEXT_TAGS = frozenset({"cpe", "elem"})


class _Frame:
    """An open element being read: its attributes, position and finished children."""

    __slots__ = ("attrib", "children", "column", "count", "cut", "line", "size", "tag", "text")

    def __init__(self, tag: str, attrib: dict[str, str], line: int, column: int) -> None:
        self.tag = tag
        self.attrib = attrib
        self.line = line
        self.column = column
        self.children: list[tuple[str, Any]] = []
        self.text: list[str] | None = [] if tag in _TEXT_TAGS else None
        self.size = 0  # characters of text kept
        self.count = 0  # children started (scripts of a port, elements of a script)
        self.cut = False  # something was dropped by a limit


class _Builder:
    """expat's handlers: build observations from start, text and end events."""

    def __init__(self, source: str, limits: Limits) -> None:
        self.source = source
        self.limits = limits
        self.expat: Any = None
        self.stack: list[_Frame] = []
        self.skip = 0  # depth inside an element that is not read
        self.seen_root = False
        self.script: _Frame | None = None  # the <script> being read
        self.host_ports = 0
        self.hosts: list[HostObservation] = []
        self.notes: list[str] = []
        self.command: str | None = None
        self.version: str | None = None
        self.started: str | None = None
        self.finished: str | None = None
        self.runstats = False
        self.scanned: list[tuple[str, str]] = []
        self._ends: dict[str, Callable[[_Frame], Any]] = {
            "nmaprun": lambda frame: None,
            "scaninfo": self._end_scaninfo,
            "host": self._end_host,
            "status": lambda frame: frame,
            "address": lambda frame: frame,
            "hostnames": lambda frame: [name for _, name in frame.children],
            "hostname": self._end_hostname,
            "ports": lambda frame: frame.children,
            "extraports": self._end_extraports,
            "port": self._end_port,
            "state": lambda frame: frame,
            "service": lambda frame: frame,
            "cpe": lambda frame: "".join(frame.text or ()).strip(),
            "script": self._end_script,
            "table": lambda frame: (frame.attrib.get("key"), _collect(frame.children)),
            "elem": lambda frame: (frame.attrib.get("key"), "".join(frame.text or ())),
            "runstats": self._end_runstats,
            "finished": lambda frame: frame,
        }

    # -- errors ---------------------------------------------------------------------------

    def fail(self, message: Msg, frame: _Frame | None = None) -> NoReturn:
        if frame is not None:
            raise NmapXmlError(self.source, frame.line, frame.column, message)
        raise NmapXmlError(
            self.source, self.expat.CurrentLineNumber, self.expat.CurrentColumnNumber + 1, message
        )

    def refuse_attlist(self, *_args: object) -> NoReturn:
        self.fail(
            Msg(
                "bị từ chối: khai báo danh sách thuộc tính (<!ATTLIST>) trong DTD; nmap không "
                "viết khai báo này",
                "refused: attribute-list declaration (<!ATTLIST>) in the DTD; nmap writes none",
            )
        )

    # -- parser target --------------------------------------------------------------------

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if self.skip:
            self.skip += 1
            return
        stack = self.stack
        if stack and tag not in _READ.get(stack[-1].tag, _NOTHING):
            self.skip = 1
            return
        position = self.expat
        frame = _Frame(tag, attrib, position.CurrentLineNumber, position.CurrentColumnNumber + 1)
        if not stack:
            if tag != "nmaprun":
                root = f"<{_clip(tag, 80)}>"
                self.fail(
                    Msg(
                        f"không phải XML của nmap: phần tử gốc là {root}, không phải <nmaprun>",
                        f"not nmap XML: the root element is {root}, not <nmaprun>",
                    )
                )
            self.seen_root = True
            self._start_run(frame)
        elif len(stack) >= self.limits.max_depth:
            depth = self.limits.max_depth
            self.fail(
                Msg(
                    f"các phần tử lồng nhau sâu quá {depth} cấp",
                    f"elements nested deeper than {depth} levels",
                )
            )
        elif not self._admit(frame, stack[-1]):
            self.skip = 1
            return
        stack.append(frame)
        if frame.text is not None:  # text is only wanted here: whitespace elsewhere costs time
            self.expat.CharacterDataHandler = self.data

    def data(self, text: str) -> None:
        """Text of a <cpe> or <elem> (the only time this handler is installed)."""
        if self.skip:
            return
        frame = self.stack[-1]
        if frame.text is None:  # pragma: no cover - see start() and end()
            return
        room = self.limits.max_text - frame.size
        if len(text) > room:
            text = text[: max(room, 0)]
            if not frame.cut:
                frame.cut = True
                self.notes.append(
                    f"line {frame.line}: <{frame.tag}> text cut at {self.limits.max_text:,} "
                    "characters"
                )
        if text:
            frame.text.append(text)
            frame.size += len(text)

    def end(self, tag: str) -> None:
        if self.skip:
            self.skip -= 1
            return
        frame = self.stack.pop()
        if frame.text is not None:
            self.expat.CharacterDataHandler = None
        value = self._ends[frame.tag](frame)
        if frame.tag == "script":
            self.script = None
        if self.stack and self.stack[-1].tag != "nmaprun":  # a run's children are consumed
            self.stack[-1].children.append((frame.tag, value))

    # -- what is let in -------------------------------------------------------------------

    def _admit(self, frame: _Frame, parent: _Frame) -> bool:
        """Count and bound an element about to be read; False to skip it."""
        limits = self.limits
        tag = frame.tag
        if tag == "host":
            if len(self.hosts) >= limits.max_hosts:
                hosts = number(limits.max_hosts)
                self.fail(Msg(f"nhiều hơn {hosts.vi} máy", f"more than {hosts.en} hosts"))
            self.host_ports = 0
        elif tag == "port":
            self.host_ports += 1
            if self.host_ports > limits.max_ports_per_host:
                ports = number(limits.max_ports_per_host)
                self.fail(
                    Msg(
                        f"nhiều hơn {ports.vi} cổng trên một máy",
                        f"more than {ports.en} ports in one host",
                    )
                )
        elif tag == "script":
            parent.count += 1
            if parent.count > limits.max_scripts_per_port:
                if not parent.cut:
                    parent.cut = True
                    self.notes.append(
                        f"line {frame.line}: more than {limits.max_scripts_per_port:,} scripts "
                        "on one port; the rest were not read"
                    )
                return False
            self.script = frame
        elif tag in ("table", "elem"):
            script = self.script
            if script is None:  # pragma: no cover - _READ admits them only inside <script>
                return False
            script.count += 1
            if script.count > limits.max_script_elements:
                if not script.cut:
                    script.cut = True
                    self.notes.append(
                        f"line {script.line}: script {_quote(script.attrib.get('id'))}: "
                        f"structured output cut at {limits.max_script_elements:,} elements"
                    )
                return False
        return True

    # -- values ---------------------------------------------------------------------------

    def _start_run(self, frame: _Frame) -> None:
        attrib = frame.attrib
        text = self.limits.max_text
        self.command = _clip(attrib["args"], text) if "args" in attrib else None
        version = attrib.get("version")
        self.version = _clip(version, 200) if version else None
        scanner = attrib.get("scanner")
        if scanner and scanner != "nmap":
            self.notes.append(f"written by {_quote(scanner)}, not nmap")
        self.started = self._time(attrib.get("start"), "start", frame)

    def _time(self, value: str | None, name: str, frame: _Frame) -> str | None:
        """An epoch-seconds attribute as ISO 8601 UTC."""
        if value is None or value == "":
            return None
        if _DIGITS.fullmatch(value):
            try:
                return dt.datetime.fromtimestamp(int(value), dt.UTC).isoformat()
            except (OverflowError, OSError, ValueError):
                pass
        attribute = f"<{frame.tag}> {name}={_quote(value)}"
        self.fail(
            Msg(
                f"{attribute} không phải thời điểm tính bằng giây kể từ epoch",
                f"{attribute} is not a time in epoch seconds",
            ),
            frame,
        )

    def _count(self, value: str | None, name: str, frame: _Frame) -> int:
        if value is None or not _DIGITS.fullmatch(value):
            attribute = f"<{frame.tag}> {name}={_quote(value)}"
            self.fail(
                Msg(f"{attribute} không phải một số đếm", f"{attribute} is not a count"), frame
            )
        return int(value)

    def _end_scaninfo(self, frame: _Frame) -> None:
        protocol = frame.attrib.get("protocol")
        services = frame.attrib.get("services", "")
        if protocol is None or protocol not in _PORT_MAX:
            self.fail(_not_protocol(f"<scaninfo> protocol={_quote(protocol)}"), frame)
        if services and not _SERVICES.fullmatch(services):
            attribute = f"<scaninfo> services={_quote(services)}"
            self.fail(
                Msg(
                    f"{attribute} không phải danh sách cổng",
                    f"{attribute} is not a list of ports",
                ),
                frame,
            )
        if (protocol, services) not in self.scanned:
            self.scanned.append((protocol, services))

    def _end_hostname(self, frame: _Frame) -> str | None:
        name = frame.attrib.get("name")
        return _clip(name, 1024) if name else None

    def _end_extraports(self, frame: _Frame) -> tuple[str, int]:
        state = frame.attrib.get("state")
        if not state:
            self.fail(
                Msg("<extraports> thiếu trạng thái (state)", "<extraports> without a state"),
                frame,
            )
        return _clip(state, 100), self._count(frame.attrib.get("count"), "count", frame)

    def _end_script(self, frame: _Frame) -> ScriptOutput:
        script_id = frame.attrib.get("id")
        if not script_id:
            self.fail(Msg("<script> thiếu id", "<script> without an id"), frame)
        output = frame.attrib.get("output", "")
        limit = self.limits.max_script_output
        if len(output) > limit:
            output = _clip(output, limit)
            self.notes.append(
                f"line {frame.line}: script {_quote(script_id)}: output cut at {limit:,} "
                "characters"
            )
        elements = _collect(frame.children)
        if isinstance(elements, list):  # an array at the top: keys "1", "2", … as in Lua
            elements = {str(i): value for i, value in enumerate(elements, 1)}
        return ScriptOutput(id=_clip(script_id, 200), output=output, elements=elements)

    def _end_port(self, frame: _Frame) -> tuple[PortObservation, _Frame]:
        attrib = frame.attrib
        protocol = attrib.get("protocol")
        if protocol is None or protocol not in _PORT_MAX:
            self.fail(_not_protocol(f"<port> protocol={_quote(protocol)}"), frame)
        portid = attrib.get("portid")
        top = _PORT_MAX[protocol]
        if portid is None or not _DIGITS.fullmatch(portid) or int(portid) > top:
            attribute = f"<port> portid={_quote(portid)}"
            self.fail(
                Msg(
                    f"{attribute} không phải số cổng {protocol} (0-{top})",
                    f"{attribute} is not a {protocol} port number (0-{top})",
                ),
                frame,
            )
        state: _Frame | None = None
        service: _Frame | None = None
        scripts: list[ScriptOutput] = []
        for tag, value in frame.children:
            if tag == "state":
                state = value
            elif tag == "service":
                service = value
            elif tag == "script":
                scripts.append(value)
        if state is None or not state.attrib.get("state"):
            self.fail(
                Msg(
                    f"<port> {protocol}/{portid} thiếu <state state=…>",
                    f"<port> {protocol}/{portid} without a <state state=…>",
                ),
                frame,
            )
        text = self.limits.max_text

        def attr(element: _Frame | None, name: str) -> str | None:
            value = element.attrib.get(name) if element is not None else None
            return _clip(value, text) if value else None

        confidence: int | None = None
        cpes: tuple[str, ...] = ()
        if service is not None:
            conf = service.attrib.get("conf")
            if conf is not None:
                if not _DIGITS.fullmatch(conf) or int(conf) > 10:
                    attribute = f"<service> conf={_quote(conf)}"
                    self.fail(
                        Msg(
                            f"{attribute} không phải độ tin cậy từ 0 đến 10",
                            f"{attribute} is not a confidence 0-10",
                        ),
                        service,
                    )
                confidence = int(conf)
            cpes = tuple(cpe for tag, cpe in service.children if tag == "cpe" and cpe)
        observation = PortObservation(
            protocol=protocol,
            port=int(portid),
            state=_clip(state.attrib["state"], 100),
            reason=attr(state, "reason"),
            service=attr(service, "name"),
            product=attr(service, "product"),
            version=attr(service, "version"),
            extrainfo=attr(service, "extrainfo"),
            tunnel=attr(service, "tunnel"),
            method=attr(service, "method"),
            confidence=confidence,
            cpes=cpes,
            scripts=tuple(scripts),
        )
        return observation, frame

    def _address(self, frame: _Frame) -> tuple[str, str] | None:
        """(address, family) of an <address>, None for a MAC address."""
        kind = frame.attrib.get("addrtype", "ipv4")  # the DTD's default
        if kind == "mac":
            return None
        version = _FAMILIES.get(kind)
        if version is None:
            attribute = f"<address> addrtype={_quote(kind)}"
            self.fail(
                Msg(
                    f"{attribute} không phải ipv4, ipv6 hay mac",
                    f"{attribute} is not ipv4, ipv6 or mac",
                ),
                frame,
            )
        addr = frame.attrib.get("addr", "")
        try:
            ip = ipaddress.ip_address(addr)
        except ValueError:
            ip = None
        if ip is None or ip.version != version:
            attribute = f"<address> addr={_quote(addr)}"
            self.fail(
                Msg(
                    f"{attribute} không phải địa chỉ {kind} hợp lệ",
                    f"{attribute} is not an {kind} address",
                ),
                frame,
            )
        return str(ip), kind

    def _end_host(self, frame: _Frame) -> None:
        address: tuple[str, str] | None = None
        status: _Frame | None = None
        hostnames: list[str] = []
        ports: list[tuple[PortObservation, _Frame]] = []
        extraports: list[tuple[str, int]] = []
        for tag, value in frame.children:
            if tag == "address":
                found = self._address(value)
                if found is not None:
                    if address is not None:
                        self.fail(
                            Msg(
                                "<host> có nhiều hơn một địa chỉ IP",
                                "<host> with more than one IP address",
                            ),
                            value,
                        )
                    address = found
            elif tag == "status":
                status = value
            elif tag == "hostnames":
                hostnames.extend(name for name in value if name and name not in hostnames)
            elif tag == "ports":
                for kind, item in value:
                    (ports if kind == "port" else extraports).append(item)
        if address is None:
            self.fail(
                Msg(
                    "<host> không có địa chỉ IPv4 hay IPv6 nào",
                    "<host> without an IPv4 or IPv6 address",
                ),
                frame,
            )
        seen: set[tuple[str, int]] = set()
        for port, port_frame in ports:
            key = (port.protocol, port.port)
            if key in seen:
                listed = f"{port.protocol}/{port.port}"
                self.fail(
                    Msg(
                        f"cổng {listed} được liệt kê hai lần trên cùng một máy",
                        f"port {listed} listed twice in one host",
                    ),
                    port_frame,
                )
            seen.add(key)
        timed_out = frame.attrib.get("timedout") == "true"
        state = status.attrib.get("state") if status is not None else None
        reason = status.attrib.get("reason") if status is not None else None
        self.hosts.append(
            HostObservation(
                address=address[0],
                family=address[1],
                status=_clip(state, 100) if state else "unknown",
                reason=_clip(reason, 100) if reason else None,
                hostnames=tuple(hostnames),
                timed_out=timed_out,
                # A timed-out host's results are incomplete: the model keeps none of them.
                error=TIMED_OUT if timed_out else None,
                ports=() if timed_out else tuple(port for port, _ in ports),
                extraports=() if timed_out else tuple(extraports),
            )
        )

    def _end_runstats(self, frame: _Frame) -> None:
        for tag, finished in frame.children:
            if tag != "finished":  # pragma: no cover - only <finished> is read
                continue
            self.runstats = True
            self.finished = self._time(finished.attrib.get("time"), "time", finished)
            if finished.attrib.get("exit") == "error":
                message = finished.attrib.get("errormsg") or "no message"
                self.notes.append(f"nmap stopped with an error: {_clip(message, 1000)}")

    def result(self) -> ScanRun:
        notes = list(self.notes)
        if not self.runstats:
            notes.append("no <runstats><finished>: nmap may not have completed the scan")
        return ScanRun(
            source=self.source,
            hosts=tuple(self.hosts),
            command=self.command,
            nmap_version=self.version,
            started=self.started,
            finished=self.finished,
            notes=tuple(notes),
            scanned=tuple(self.scanned),
        )


def _collect(children: list[tuple[str, Any]]) -> dict[str, Any] | list[Any]:
    """NSE structured output: keyed children make a dict, unkeyed ones a list; a mix (a Lua
    table with both parts) is a dict whose unkeyed items are keyed "1", "2", … as in Lua.
    The first of two equal keys wins; an empty table is {}."""
    keyed: dict[str, Any] = {}
    unkeyed: list[Any] = []
    for _tag, (key, value) in children:
        if key is None:
            unkeyed.append(value)
        elif key not in keyed:
            keyed[key] = value
    if not keyed:
        return unkeyed if unkeyed else {}
    for index, value in enumerate(unkeyed, 1):
        keyed.setdefault(str(index), value)
    return keyed


def _not_protocol(attribute: str) -> Msg:
    return Msg(
        f"{attribute} không phải tcp, udp, sctp hay ip", f"{attribute} is not tcp, udp, sctp or ip"
    )
