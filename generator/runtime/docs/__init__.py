"""The docs site's stylesheet and script, copied into every generated ``docs/assets/``."""
