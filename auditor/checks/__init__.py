"""Check kinds (closed set), evaluation context and named builtin checks."""
