"""Typed data: the inventory, the results of an audit, and the annual report's targets."""
