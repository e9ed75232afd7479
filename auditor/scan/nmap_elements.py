"""nmap's XML elements into a `ScanRun`, as expat reports them (start, text, end), within
`Limits`: the builder behind `scan/nmap_xml.py`'s hardened reader.

Only the elements in `_READ` are read (anything else is skipped unread); each `<host>` becomes a
`HostObservation` as soon as it closes; an invalid address, port number, count or time is an
`NmapXmlError` naming file, line and column.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

from auditor.errors import InputError, Location
from auditor.messages import Msg, number
from auditor.scan.model import HostObservation, PortObservation, ScanRun, ScriptOutput

TIMED_OUT = "host timed out (nmap --host-timeout)"
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


def quote(value: object, limit: int = 80) -> str:
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


class NmapBuilder:
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
                        f"line {script.line}: script {quote(script.attrib.get('id'))}: "
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
            self.notes.append(f"written by {quote(scanner)}, not nmap")
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
        attribute = f"<{frame.tag}> {name}={quote(value)}"
        self.fail(
            Msg(
                f"{attribute} không phải thời điểm tính bằng giây kể từ epoch",
                f"{attribute} is not a time in epoch seconds",
            ),
            frame,
        )

    def _count(self, value: str | None, name: str, frame: _Frame) -> int:
        if value is None or not _DIGITS.fullmatch(value):
            attribute = f"<{frame.tag}> {name}={quote(value)}"
            self.fail(
                Msg(f"{attribute} không phải một số đếm", f"{attribute} is not a count"), frame
            )
        return int(value)

    def _end_scaninfo(self, frame: _Frame) -> None:
        protocol = frame.attrib.get("protocol")
        services = frame.attrib.get("services", "")
        if protocol is None or protocol not in _PORT_MAX:
            self.fail(_not_protocol(f"<scaninfo> protocol={quote(protocol)}"), frame)
        if services and not _SERVICES.fullmatch(services):
            attribute = f"<scaninfo> services={quote(services)}"
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
                f"line {frame.line}: script {quote(script_id)}: output cut at {limit:,} "
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
            self.fail(_not_protocol(f"<port> protocol={quote(protocol)}"), frame)
        portid = attrib.get("portid")
        top = _PORT_MAX[protocol]
        if portid is None or not _DIGITS.fullmatch(portid) or int(portid) > top:
            attribute = f"<port> portid={quote(portid)}"
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
                    attribute = f"<service> conf={quote(conf)}"
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
            attribute = f"<address> addrtype={quote(kind)}"
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
            attribute = f"<address> addr={quote(addr)}"
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
