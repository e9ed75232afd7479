"""DNSSEC-signed test zones made with the real tools: `ldns-keygen` and `ldns-signzone`, and
BIND's `dnssec-keygen`/`dnssec-signzone` for NSEC3 opt-out (BIND then gives an unsigned
delegation no NSEC3 of its own, so only the opt-out span covers it; ldns still makes one).

`ZoneKeys.make(directory, origin)` generates a KSK and a ZSK (ECDSA P-256, algorithm 13) and
reads the KSK's DS; `sign(...)` signs zone lines with an explicit validity window (inception,
expiration), NSEC or NSEC3, and returns the signed lines for `NsdServer`. Argument lists only,
`--` never needed (every operand is a path the test made). Tests use loopback names under
`.test` only (dns_server.py refuses anything else).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from components import require_component
from probes.dns_server import zone_text

LDNS_KEYGEN = "ldns-keygen"
LDNS_SIGNZONE = "ldns-signzone"
BIND_TOOLS = ("dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")


def require_ldns() -> None:
    present = all(shutil.which(tool) for tool in (LDNS_KEYGEN, LDNS_SIGNZONE))
    require_component(present, "ldns-keygen/ldns-signzone", "apt-get install ldnsutils")


def _run(args: list[str], cwd: Path) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False,
                          timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr}")
    return done.stdout


@dataclass(frozen=True)
class ZoneKeys:
    origin: str
    ksk: Path  # key base names (no extension), as ldns-signzone wants them
    zsk: Path

    @classmethod
    def make(cls, directory: Path, origin: str) -> ZoneKeys:
        require_ldns()
        where = directory / origin.rstrip(".")
        where.mkdir(parents=True, exist_ok=True)
        ksk = _run([LDNS_KEYGEN, "-a", "ECDSAP256SHA256", "-k", origin], where).strip()
        zsk = _run([LDNS_KEYGEN, "-a", "ECDSAP256SHA256", origin], where).strip()
        return cls(origin, where / ksk, where / zsk)

    @property
    def ds(self) -> str:
        """The KSK's DS record, one zone-file line (absolute owner)."""
        return self.ksk.with_name(self.ksk.name + ".ds").read_text().strip()

    @property
    def dnskeys(self) -> list[str]:
        return [base.with_name(base.name + ".key").read_text().strip()
                for base in (self.ksk, self.zsk)]


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S")


def sign(directory: Path, keys: ZoneKeys, records: list[str], inception: dt.datetime,
         expiration: dt.datetime, *, nsec3: bool = False) -> list[str]:
    """Sign `records` (zone lines relative to the origin) and return the signed zone lines."""
    origin = keys.origin.rstrip(".") + "."
    source = directory / f"{origin}zone"
    source.write_text(zone_text(origin, [*records, *keys.dnskeys]), encoding="ascii")
    args = [LDNS_SIGNZONE, "-i", stamp(inception), "-e", stamp(expiration),
            "-f", str(source) + ".signed"]
    if nsec3:
        args += ["-n", "-t", "0"]  # RFC 9276: no extra iterations, no salt
    _run([*args, str(source), str(keys.ksk), str(keys.zsk)], directory)
    return _lines(Path(str(source) + ".signed"))


def _lines(path: Path) -> list[str]:
    """Signed zone lines, tabs as spaces (dns_server.zone_text looks for " SOA ")."""
    return [line.replace("\t", " ") for line in path.read_text().splitlines()
            if line.strip() and not line.startswith(";")]


def sign_opt_out(directory: Path, origin: str, records: list[str], inception: dt.datetime,
                 expiration: dt.datetime) -> tuple[list[str], str]:
    """Sign with BIND, NSEC3 opt-out (-3 - -H 0 -A): the signed lines and the KSK's DS."""
    require_component(all(shutil.which(tool) for tool in BIND_TOOLS),
                      "dnssec-keygen/dnssec-signzone", "apt-get install bind9-utils")
    origin = origin.rstrip(".") + "."
    where = directory / f"bind-{origin}"
    where.mkdir(parents=True, exist_ok=True)
    ksk = _run(["dnssec-keygen", "-q", "-a", "ECDSAP256SHA256", "-f", "KSK", "-K", ".", origin],
               where).strip()
    zsk = _run(["dnssec-keygen", "-q", "-a", "ECDSAP256SHA256", "-K", ".", origin],
               where).strip()
    keys = [(where / f"{base}.key").read_text() for base in (ksk, zsk)]
    source = where / "zone"
    lines = [k.strip() for text in keys for k in text.splitlines() if k and k[0] != ";"]
    source.write_text(zone_text(origin, [*records, *lines]), encoding="ascii")
    _run(["dnssec-signzone", "-3", "-", "-H", "0", "-A", "-O", "full",
          "-s", stamp(inception), "-e", stamp(expiration), "-o", origin,
          "-f", "zone.signed", "zone", ksk, zsk], where)
    ds = _run(["dnssec-dsfromkey", "-2", f"{ksk}.key"], where).strip()
    return _lines(where / "zone.signed"), ds
