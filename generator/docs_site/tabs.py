"""The pages' tabbed code examples turned into HTML before Python-Markdown reads them.

A model page holds a set of four tabs (command line, Go, Python, curl) per operation, each tab
one fenced block. pymdownx.tabbed parses each tab as a document of its own, and that was two
thirds of a model page's Markdown time (benchmarks/docs.py). The pages stay Markdown (the
examples are read, and run, from them); at build time, the specgen plugin writes each set as
the HTML pymdownx.tabbed (``alternate_style``) and pymdownx.highlight (``use_pygments: false``)
would make of it, in a ``specgen-html`` fence (generator/docs_site/fence.py), which Python-Markdown
passes through. tests/docs/test_site_plugin.py builds pages both ways and compares the HTML.

Only the sets written as specgen writes them are turned: a line ``=== "label"`` (a plain
label), a blank line, one fenced block indented by four spaces, and between tabs nothing but
blank lines. A page with any other tab (a template overlay's, say) is left whole to
pymdownx.tabbed, which numbers the sets of a page itself.
"""

from __future__ import annotations

import html
import re

# A label Markdown would show as it is: words of letters, digits, ".", "+" and "-", joined by a
# space or an underscore (inside a word, "_" is no emphasis).
_TAB = re.compile(r'^=== "(?P<label>[A-Za-z0-9.+-]+(?:[ _][A-Za-z0-9.+-]+)*)"$')
_FENCE_OPEN = re.compile(r"^    ```(?P<language>[\w+-]+)$")
_FENCE_CLOSE = "    ```"
_TOP_FENCE = re.compile(r"^`{3,}")


class _NotPlain(Exception):
    """A tab that is not exactly a label and one fenced block."""


def _escape(code: str) -> str:
    """As pymdownx.highlight escapes a block it leaves to a highlighter in the browser; and its
    line breaks as ``&#10;``, which the fence turns back into line breaks: one line in the fence
    instead of one per line of code, each of which superfences would test for its end."""
    return code.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "&#10;")


def _read_tab(lines: list[str], index: int) -> tuple[str, str, str, int]:
    """(label, language, code, index after the tab) of the tab whose ``===`` line is at ``index``."""
    label = _TAB.match(lines[index])
    if label is None:
        raise _NotPlain
    index += 1
    while index < len(lines) and not lines[index]:
        index += 1
    fence = _FENCE_OPEN.match(lines[index]) if index < len(lines) else None
    if fence is None:
        raise _NotPlain
    body: list[str] = []
    index += 1
    while index < len(lines) and lines[index] != _FENCE_CLOSE:
        line = lines[index]
        if line and not line.startswith("    "):
            raise _NotPlain  # a line outside the tab: the fence never closed inside it
        body.append(line[4:])
        index += 1
    if index == len(lines):
        raise _NotPlain
    return label["label"], fence["language"], "\n".join(body), index + 1


def _tab_set_html(number: int, tabs: list[tuple[str, str, str]]) -> str:
    name = f"__tabbed_{number}"
    checked = ' checked="checked"'
    inputs = "".join(
        f'<input{checked if k == 1 else ""} id="{name}_{k}" name="{name}" type="radio" />'
        for k in range(1, len(tabs) + 1)
    )
    labels = "".join(f'<label for="{name}_{k}">{html.escape(label)}</label>' for k, (label, _, _) in enumerate(tabs, 1))
    blocks = "".join(
        f'<div class="tabbed-block"><pre class="highlight"><code class="language-{language}">{_escape(code)}</code></pre></div>'
        for _, language, code in tabs
    )
    return (
        f'<div class="tabbed-set tabbed-alternate" data-tabs="{number}:{len(tabs)}">{inputs}'
        f'<div class="tabbed-labels">{labels}</div><div class="tabbed-content">{blocks}</div></div>'
    )


def tabs_as_html(markdown: str) -> str:
    """The page with every tab set as HTML in a fence; the page unchanged when one set is not plain."""
    if '=== "' not in markdown:
        return markdown
    lines = markdown.expandtabs(4).split("\n")  # as Python-Markdown reads the page: tabs as spaces
    out: list[str] = []
    number = 0
    index = 0
    try:
        while index < len(lines):
            fence = _TOP_FENCE.match(lines[index])
            if fence:  # a code block of the page's own: copied whole, whatever it holds
                closing = next((i for i in range(index + 1, len(lines)) if lines[i] == fence[0]), len(lines) - 1)
                out.extend(lines[index : closing + 1])
                index = closing + 1
                continue
            if not lines[index].startswith("==="):
                out.append(lines[index])
                index += 1
                continue
            tabs: list[tuple[str, str, str]] = []
            while index < len(lines) and lines[index].startswith("==="):
                label, language, code, index = _read_tab(lines, index)
                tabs.append((label, language, code))
                after = index
                while after < len(lines) and not lines[after]:
                    after += 1
                if after < len(lines) and lines[after].startswith("==="):
                    index = after  # the next tab of the same set
            number += 1
            # One line, which starts with "<": no line of the code can end the fence.
            out.extend(("```specgen-html", _tab_set_html(number, tabs), "```"))
    except _NotPlain:
        return markdown
    return "\n".join(out)
