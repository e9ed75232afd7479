"""nmap's XML elements into values, as each element closes: ports with their service and
scripts, hosts with their address and state, the run's times and what it scanned; then the
`ScanRun` they make. An invalid address, port number, count or time is an `NmapXmlError`
naming file, line and column. The parser target feeding it is `scan/nmap_elements.py`.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Callable
from typing import Any, NoReturn

from auditor.messages import Msg
from auditor.scan.model import HostObservation, PortObservation, ScanRun, ScriptOutput
from auditor.scan.nmap_limits import Limits, NmapXmlError, clip, quote

TIMED_OUT = "host timed out (nmap --host-timeout)"

_DIGITS = re.compile(r"[0-9]{1,12}")
_SERVICES = re.compile(r"[0-9]{1,5}(-[0-9]{1,5})?(,[0-9]{1,5}(-[0-9]{1,5})?)*")
_PORT_MAX = {"tcp": 65_535, "udp": 65_535, "sctp": 65_535, "ip": 255}  # ip: -sO protocol numbers
_FAMILIES = {"ipv4": 4, "ipv6": 6}
TEXT_TAGS = frozenset({"cpe", "elem"})


class Frame:
    """An open element being read: its attributes, position and finished children."""

    __slots__ = ("attrib", "children", "column", "count", "cut", "line", "size", "tag", "text")

    def __init__(self, tag: str, attrib: dict[str, str], line: int, column: int) -> None:
        self.tag = tag
        self.attrib = attrib
        self.line = line
        self.column = column
        self.children: list[tuple[str, Any]] = []
        self.text: list[str] | None = [] if tag in TEXT_TAGS else None
        self.size = 0  # characters of text kept
        self.count = 0  # children started (scripts of a port, elements of a script)
        self.cut = False  # something was dropped by a limit


class ElementValues:
    """What each element read becomes, once it closes, and the `ScanRun` they make.

    `fail` stops the read with an error at an element; the parser target (`NmapBuilder`)
    adds errors at the parser's position."""

    def __init__(self, source: str, limits: Limits) -> None:
        self.source = source
        self.limits = limits
        self.hosts: list[HostObservation] = []
        self.notes: list[str] = []
        self.command: str | None = None
        self.version: str | None = None
        self.started: str | None = None
        self.finished: str | None = None
        self.runstats = False
        self.scanned: list[tuple[str, str]] = []
        #: The value of each element read, made when it closes (from its finished children).
        self.ends: dict[str, Callable[[Frame], Any]] = {
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

    def fail(self, message: Msg, frame: Frame) -> NoReturn:
        """Stop reading: `message` at the element `frame`."""
        raise NmapXmlError(self.source, frame.line, frame.column, message)

    def start_run(self, frame: Frame) -> None:
        attrib = frame.attrib
        text = self.limits.max_text
        self.command = clip(attrib["args"], text) if "args" in attrib else None
        version = attrib.get("version")
        self.version = clip(version, 200) if version else None
        scanner = attrib.get("scanner")
        if scanner and scanner != "nmap":
            self.notes.append(f"written by {quote(scanner)}, not nmap")
        self.started = self._time(attrib.get("start"), "start", frame)

    def _time(self, value: str | None, name: str, frame: Frame) -> str | None:
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

    def _count(self, value: str | None, name: str, frame: Frame) -> int:
        if value is None or not _DIGITS.fullmatch(value):
            attribute = f"<{frame.tag}> {name}={quote(value)}"
            self.fail(
                Msg(f"{attribute} không phải một số đếm", f"{attribute} is not a count"), frame
            )
        return int(value)

    def _end_scaninfo(self, frame: Frame) -> None:
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

    def _end_hostname(self, frame: Frame) -> str | None:
        name = frame.attrib.get("name")
        return clip(name, 1024) if name else None

    def _end_extraports(self, frame: Frame) -> tuple[str, int]:
        state = frame.attrib.get("state")
        if not state:
            self.fail(
                Msg("<extraports> thiếu trạng thái (state)", "<extraports> without a state"),
                frame,
            )
        return clip(state, 100), self._count(frame.attrib.get("count"), "count", frame)

    def _end_script(self, frame: Frame) -> ScriptOutput:
        script_id = frame.attrib.get("id")
        if not script_id:
            self.fail(Msg("<script> thiếu id", "<script> without an id"), frame)
        output = frame.attrib.get("output", "")
        limit = self.limits.max_script_output
        if len(output) > limit:
            output = clip(output, limit)
            self.notes.append(
                f"line {frame.line}: script {quote(script_id)}: output cut at {limit:,} "
                "characters"
            )
        elements = _collect(frame.children)
        if isinstance(elements, list):  # an array at the top: keys "1", "2", … as in Lua
            elements = {str(i): value for i, value in enumerate(elements, 1)}
        return ScriptOutput(id=clip(script_id, 200), output=output, elements=elements)

    def _end_port(self, frame: Frame) -> tuple[PortObservation, Frame]:
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
        state: Frame | None = None
        service: Frame | None = None
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

        def attr(element: Frame | None, name: str) -> str | None:
            value = element.attrib.get(name) if element is not None else None
            return clip(value, text) if value else None

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
            state=clip(state.attrib["state"], 100),
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

    def _address(self, frame: Frame) -> tuple[str, str] | None:
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

    def _end_host(self, frame: Frame) -> None:
        address: tuple[str, str] | None = None
        status: Frame | None = None
        hostnames: list[str] = []
        ports: list[tuple[PortObservation, Frame]] = []
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
                status=clip(state, 100) if state else "unknown",
                reason=clip(reason, 100) if reason else None,
                hostnames=tuple(hostnames),
                timed_out=timed_out,
                # A timed-out host's results are incomplete: the model keeps none of them.
                error=TIMED_OUT if timed_out else None,
                ports=() if timed_out else tuple(port for port, _ in ports),
                extraports=() if timed_out else tuple(extraports),
            )
        )

    def _end_runstats(self, frame: Frame) -> None:
        for tag, finished in frame.children:
            if tag != "finished":  # pragma: no cover - only <finished> is read
                continue
            self.runstats = True
            self.finished = self._time(finished.attrib.get("time"), "time", finished)
            if finished.attrib.get("exit") == "error":
                message = finished.attrib.get("errormsg") or "no message"
                self.notes.append(f"nmap stopped with an error: {clip(message, 1000)}")

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
