"""The client runtime: copied verbatim into every generated client package."""
