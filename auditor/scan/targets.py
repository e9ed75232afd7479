"""What the port scan may touch: targets built from the inventory alone (no I/O).

Every declared host address, every declared network (CIDR) and, for a host that declares no
address, its name (scanned over IPv4 and IPv6). Each target is validated again by the runner
right before it reaches nmap; nothing the inventory does not name is ever scanned.
"""

from __future__ import annotations

from auditor.model.inventory import Inventory
from auditor.scan.nmap_runner import ScanTarget


def scan_targets(inventory: Inventory, only_system: str | None = None) -> list[ScanTarget]:
    """Targets in inventory order, each once."""
    found: dict[tuple[str, str], ScanTarget] = {}

    def add(target: ScanTarget) -> None:
        found.setdefault((target.value, target.family), target)

    for _agency, system in inventory.systems():
        if only_system is not None and system.id != only_system:
            continue
        for host in system.hosts:
            for address in host.ipv4:
                add(ScanTarget(str(address), "address", "ipv4"))
            for address6 in host.ipv6:
                add(ScanTarget(str(address6), "address", "ipv6"))
            if not host.ipv4 and not host.ipv6:
                add(ScanTarget(host.name, "hostname", "ipv4"))
                add(ScanTarget(host.name, "hostname", "ipv6"))
        for network in system.networks:
            add(ScanTarget(str(network), "network", "ipv6" if network.version == 6 else "ipv4"))
    return list(found.values())
