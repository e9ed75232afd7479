"""Reading YAML inputs safely into validated models (the I/O edge)."""
