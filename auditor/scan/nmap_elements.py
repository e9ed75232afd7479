"""nmap's XML elements into a `ScanRun`, as expat reports them (start, text, end), within
`Limits`: the builder behind `scan/nmap_xml.py`'s hardened reader.

Only the elements in `_READ` are read (anything else is skipped unread), and each one is
counted and bounded as it opens; what each becomes when it closes (each `<host>` a
`HostObservation` at once) is `scan/nmap_values.py`'s `ElementValues`.
"""

from __future__ import annotations

from typing import Any, NoReturn

from auditor.messages import Msg, number
from auditor.scan.nmap_limits import Limits, NmapXmlError, clip, quote
from auditor.scan.nmap_values import ElementValues, Frame

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


class NmapBuilder(ElementValues):
    """expat's handlers: build observations from start, text and end events."""

    def __init__(self, source: str, limits: Limits) -> None:
        super().__init__(source, limits)
        self.expat: Any = None
        self.stack: list[Frame] = []
        self.skip = 0  # depth inside an element that is not read
        self.seen_root = False
        self.script: Frame | None = None  # the <script> being read
        self.host_ports = 0

    # -- errors ---------------------------------------------------------------------------

    def fail(self, message: Msg, frame: Frame | None = None) -> NoReturn:
        """Stop reading: `message` at the element `frame`, or where the parser is."""
        if frame is not None:
            super().fail(message, frame)
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
        frame = Frame(tag, attrib, position.CurrentLineNumber, position.CurrentColumnNumber + 1)
        if not stack:
            if tag != "nmaprun":
                root = f"<{clip(tag, 80)}>"
                self.fail(
                    Msg(
                        f"không phải XML của nmap: phần tử gốc là {root}, không phải <nmaprun>",
                        f"not nmap XML: the root element is {root}, not <nmaprun>",
                    )
                )
            self.seen_root = True
            self.start_run(frame)
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
        value = self.ends[frame.tag](frame)
        if frame.tag == "script":
            self.script = None
        if self.stack and self.stack[-1].tag != "nmaprun":  # a run's children are consumed
            self.stack[-1].children.append((frame.tag, value))

    # -- what is let in -------------------------------------------------------------------

    def _admit(self, frame: Frame, parent: Frame) -> bool:
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
