"""The server runtime: modules copied verbatim into every generated server package."""
