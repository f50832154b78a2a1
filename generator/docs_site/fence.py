"""The ``specgen-html`` fence: HTML that specgen wrote, passed through by Python-Markdown as it is.

The pages' tables (an attribute a row, the parameters, the statuses, the models of the
overview) are written as HTML: a Markdown table cost about 25 us a cell in Python-Markdown's
inline processing, and a raw HTML block a third of that again in its HTML block parser,
whereas a fence of pymdownx.superfences is set aside whole before either runs. mkdocs.yml
names this function as the fence's format (``custom_fences``).
"""

from __future__ import annotations

from typing import Any


def passthrough(source: str, language: str, class_name: str, options: dict[str, Any], md: Any, **kwargs: Any) -> str:
    """The fence's content, as specgen escaped it for HTML, without the line breaks between its
    tags: they are there for whoever reads the Markdown, and in the page they would only be
    text nodes that the search index walks, one per row. A ``&#10;`` is a line break of a code
    block (generator/docs_site/tabs.py): a ``&`` of the text itself is always ``&amp;``."""
    return source.replace(">\n<", "><").replace("&#10;", "\n")
