"""Live observation of targets (the network edge). Probes never decide compliance; rules do."""
