"""Typed data: the inventory, and the results of an audit."""
