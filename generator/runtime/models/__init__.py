"""The models runtime: copied verbatim into every generated models package as ``_runtime.py``."""
