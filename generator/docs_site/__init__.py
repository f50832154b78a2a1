"""What the generated docs site needs from specgen when mkdocs builds it (the ``specgen`` mkdocs
plugin, and the fence the pages' HTML tables sit in)."""
