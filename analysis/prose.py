"""The book checks its own sentences.

A sentence that draws a conclusion from computed numbers (「区間の下限は85%を
下回ります」, 「差は縮まっていません」) is checked in the cell that glues the
numbers: when the data stop supporting it, the notebook fails with a message
that names the page and the sentence, and the build stops before anything is
written. Where the wording itself can follow the data, glue the word instead
(:func:`comparison`) and check the sentence that remains.
"""

from __future__ import annotations

from analysis import glue


class SentenceError(AssertionError):
    """A sentence of the book no longer follows from the data."""


def check(sentence: str, holds: bool, evidence: str = "") -> None:
    """Raise SentenceError naming the page and ``sentence`` unless ``holds``;
    ``evidence`` says what the numbers are now (e.g. '下限 86.2%')."""
    if not holds:
        page = glue.page_name() or "(no page)"
        raise SentenceError(f"{page}: the sentence 「{sentence}」 no longer holds"
                            + (f" ({evidence})" if evidence else ""))


def comparison(value: float, reference: float, above: str, below: str, same: str | None = None) -> str:
    """The word for how ``value`` compares with ``reference``: ``above`` if
    greater, ``below`` if smaller, ``same`` if equal (SentenceError when equal
    and no word is given, since the sentence would then be wrong)."""
    if value > reference:
        return above
    if value < reference:
        return below
    if same is None:
        check(f"{above}／{below}", False, f"{value:g} equals {reference:g}")
    return str(same)
