"""The office's domain as plain data and pure rules: no I/O, used by every layer."""
