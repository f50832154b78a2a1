"""specgen: one YAML spec per model -> typed Python models, an HTTP API and Markdown docs."""

__version__ = "0.1.0"
