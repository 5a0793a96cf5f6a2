"""Japanese text in the book's pages: a source line break between two Japanese
characters is not a space (Sphinx's ``doctree-read`` handler, and the
character class the bibliography style shares)."""

from __future__ import annotations

import re

CJK = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
CJK_BREAK = re.compile(f"(?<=[{CJK}])\\s*\\n\\s*(?=[{CJK}])")


def join_lines(app, doctree) -> None:
    """A line break in the source between two Japanese characters is not a
    space in Japanese text: drop it (HTML would show a stray space). MyST
    keeps a soft break as its own "\\n" text node, so neighbours are looked at."""
    from docutils import nodes

    cjk = re.compile(f"[{CJK}]")
    for node in list(doctree.findall(nodes.Text)):
        parent = node.parent
        if parent is None or isinstance(parent, (nodes.literal_block, nodes.raw, nodes.literal)):
            continue
        text = str(node)
        if "\n" not in text:
            continue
        joined = CJK_BREAK.sub("", text)
        # by identity: Text nodes are strings, and parent.index() finds the
        # first *equal* child, which is the wrong "\n" when a paragraph has several
        index = next(i for i, child in enumerate(parent.children) if child is node)
        if not text.strip():
            before = parent[index - 1].astext() if index > 0 else ""
            after = parent[index + 1].astext() if index + 1 < len(parent) else ""
            if before and after and cjk.match(before[-1]) and cjk.match(after[0]):
                joined = ""
        if joined != text:
            replacement = nodes.Text(joined)
            replacement.parent = parent
            parent.children[index] = replacement
