"""Port scans of what the inventory names (nmap), or imported nmap XML, as observations that
rules judge. Like the probes, a scan never decides compliance."""
