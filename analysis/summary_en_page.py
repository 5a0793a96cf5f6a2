"""The English summary page ("Summary in English"): the question, FIJ's
labels glossed, the counts, the main corrections, and every statement with an
English rendering beside the article's words and its label.

Every number comes from the same ledger the Japanese pages show. The English
words live in data: ``quote_en`` of data/statements/, ``label_en`` and
``gloss_en`` of data/rating/scale.csv, ``name_en`` of data/rating/findings.csv
(the book's own renderings; FIJ publishes its scale in Japanese only).
"""

from __future__ import annotations

import html

import pandas as pd

from analysis import claimreview, ledger_page, ratings, text, verdicts
from analysis.glue import markdown_table
from analysis.verdicts import Ledger

NUMBER_DOES_NOT_HOLD = "Number does not hold"


def label_en(label: str) -> str:
    """FIJ's label with its English name: '正確 (Accurate)'."""
    return f"{label} ({ratings.scale().set_index('label').loc[label, 'label_en']})"


def scale_table(ledger: Ledger) -> pd.DataFrame:
    """FIJ's nine labels with an English name and gloss, and whether this book's rules give them."""
    s = ratings.scale()
    given = set(verdicts.rated_labels(ledger))
    return pd.DataFrame({"Label": [label_en(lab) for lab in s["label"]],
                         "Meaning (after FIJ's definition)": s["gloss_en"],
                         "Given by this book's rules": ["yes" if lab in given else "no"
                                                        for lab in s["label"]]})


def counts_text(ledger: Ledger) -> str:
    """'31 statements (正確 (Accurate) 12, ...)' (labels with none left out)."""
    counts = verdicts.label_counts(ledger)
    parts = [f"{label_en(label)} {n}" for label, n in counts.items() if n]
    return f"{len(ledger.statements)} statements (" + ", ".join(parts) + ")"


def holding_text(ledger: Ledger) -> str:
    """'16 (52%)': the statements that hold (:func:`verdicts.holding`) and their
    share of all in whole percent, as the title page gives them."""
    held = len(verdicts.holding(ledger))
    return f"{held} ({text.rate(held / len(ledger.statements), 0)})"


def corrections_table(ledger: Ledger) -> pd.DataFrame:
    """The title page's main corrections, in English."""
    names = ratings.findings().set_index("finding")["name_en"]
    rows = ledger_page.correction_rows(ledger)
    return pd.DataFrame({"Finding": [names[k] if k != "off" else NUMBER_DOES_NOT_HOLD for k, _ in rows],
                         "Statement": [r["statement_id"] for _, r in rows],
                         "The article (English rendering)": [r["quote_en"] for _, r in rows],
                         "Label": [label_en(r["label"]) for _, r in rows]})


def statements_table(ledger: Ledger) -> pd.DataFrame:
    """Every statement: its id, the article's words, the English rendering and the label."""
    s = ledger.statements
    return pd.DataFrame({"ID": s["statement_id"], "The article (Japanese)": [f"「{q}」" for q in s["quote"]],
                         "English rendering": s["quote_en"], "Label": [label_en(lab) for lab in s["label"]]})


def _table_html(frame: pd.DataFrame, caption: str, links: bool = False) -> str:
    """A plain HTML table; with ``links``, the first column's ids link to the ledger's rows."""
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = [html.escape(str(v)) for v in values]
        if links:
            cells[0] = f'<a href="ledger.html#{claimreview.anchor(values[0])}">{cells[0]}</a>'
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    # a bold line above the table names it (a <caption> takes the theme's muted colour,
    # which fails contrast in the dark theme)
    return (f"<p><strong>{html.escape(caption)}</strong></p>"
            f'<table class="table" aria-label="{html.escape(caption)}">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


class Tables:
    """The page's three tables: HTML for the book, Markdown for the PDF."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def __repr__(self) -> str:
        return f"<Summary in English: {len(self.ledger.statements)} statements>"

    def _repr_html_(self) -> str:
        return "".join([
            _table_html(corrections_table(self.ledger), "Main corrections"),
            _table_html(scale_table(self.ledger), "The rating scale (FIJ), glossed"),
            _table_html(statements_table(self.ledger), "Every statement, in the article's order",
                        links=True)])

    def _repr_markdown_(self) -> str:
        return "\n\n".join(["**Main corrections**", markdown_table(corrections_table(self.ledger)),
                            "**The rating scale (FIJ), glossed**", markdown_table(scale_table(self.ledger)),
                            "**Every statement, in the article's order**",
                            markdown_table(statements_table(self.ledger))])
