"""The ledger for machines: one record per statement (CSV and JSON), and one
schema.org ``ClaimReview`` per statement (JSON-LD, embedded in the ledger page).

``reviewRating`` carries the label in ``alternateName`` and its place on the
book's scale (``ratingValue``, 正確 6 ... 誤り 1, see :mod:`analysis.ratings`)
with ``bestRating`` and ``worstRating``. ``url`` is the statement's anchor on
the ledger page, relative to the book's root.
"""

from __future__ import annotations

import csv
import io
import json
import math

import pandas as pd

from analysis import data, ratings, references
from analysis.ledger import Ledger, computed_text, stated_text

AUTHOR = "「選択と集中」検算プロジェクト"  # the book's author, as in _config.yml
LEDGER_URL = "chapters/appendix/ledger.html"
ARTICLE_KEY = "article"
CSV_COLUMNS = ("statement_id", "chapter", "quote", "label", "rating_value", "strength", "outcome",
               "finding", "finding_note", "checks", "sources", "url")


def edition() -> str:
    """The date the ledger's reviews are published (ISO): the ``created`` date of
    ``data/datapackage.json``, the edition of the data they rest on."""
    path = data.DATA / "datapackage.json"
    data.FILES_READ.add(str(path.relative_to(data.ROOT)))
    created = json.loads(path.read_text(encoding="utf-8")).get("created", "")
    if not created:
        raise data.DataError(path, None, "created", "the package needs a 'created' date (the edition)")
    return created[:10]


def url(statement_id: str) -> str:
    """The statement's row on the ledger page, relative to the book's root."""
    return f"{LEDGER_URL}#ledger-{statement_id.replace('_', '-')}"


def _number(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _check_record(check: pd.Series) -> dict:
    return {
        "check_id": check["check_id"], "part": check["part"], "basis": check["basis"],
        "stated": stated_text(check), "stated_value": _number(check["stated"]),
        "stated_high": _number(check["stated_high"]), "unit": check["unit"],
        "comparison": check["comparison"], "metric": check["metric"],
        "computed": computed_text(check), "computed_value": _number(check["computed"]),
        "value_kind": check["value_kind"], "calculation": check["derivation"], "window": check["window"],
        "outcome": check["outcome"], "decides": bool(check["decides"]), "reason": check["reason"],
        "source": check["source"],
    }


def records(book: Ledger) -> list[dict]:
    """Every statement with its rating and its checks, in the article's order."""
    out = []
    for _, s in book.statements.iterrows():
        checks = [_check_record(c) for _, c in book.checks_of(s["statement_id"]).iterrows()]
        keys = list(dict.fromkeys([c["source"] for c in checks if c["source"]]
                                  + ([s["finding_source"]] if s["finding_source"] else [])))
        out.append({
            "statement_id": s["statement_id"], "chapter": s["chapter"], "section": s["section"],
            "quote": s["quote"], "label": s["label"], "rating_value": int(s["rating_value"]),
            "strength": s["strength"], "outcome": s["outcome"], "finding": s["finding"],
            "finding_note": s["finding_note"], "sources": keys, "url": url(s["statement_id"]),
            "checks": checks,
        })
    return out


def to_json(book: Ledger) -> str:
    """The ledger as JSON (UTF-8, statements with nested checks)."""
    return json.dumps(records(book), ensure_ascii=False, indent=1) + "\n"


def to_csv(book: Ledger) -> str:
    """The ledger as CSV, one row per statement (checks joined as text)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in records(book):
        row = {k: record[k] for k in CSV_COLUMNS if k not in ("checks", "sources")}
        row["checks"] = " | ".join(f"{c['part'] or c['basis'] or c['check_id']}: 記事 {c['stated']} / "
                                   f"{c['value_kind'] or '値なし'} {c['computed']} → {c['outcome']}"
                                   for c in record["checks"])
        row["sources"] = " ".join(record["sources"])
        writer.writerow(row)
    return buffer.getvalue()


def claim_reviews(book: Ledger, published: str) -> list[dict]:
    """One schema.org ClaimReview per statement; ``published`` is an ISO date."""
    article = references.citation(ARTICLE_KEY)
    reviews = []
    for record in records(book):
        reviews.append({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": record["url"],
            "claimReviewed": record["quote"],
            "itemReviewed": {
                "@type": "Claim",
                "appearance": {"@type": "CreativeWork", "name": article.title},
            },
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": record["rating_value"],
                "bestRating": ratings.best_rating(),
                "worstRating": ratings.worst_rating(),
                "alternateName": record["label"],
            },
            "author": {"@type": "Organization", "name": AUTHOR},
            "datePublished": published,
        })
    return reviews


def json_ld(book: Ledger, published: str) -> str:
    """The ClaimReviews as the JSON-LD the ledger page embeds (safe inside <script>)."""
    return json.dumps(claim_reviews(book, published), ensure_ascii=False).replace("</", "<\\/")
