"""The ledger for machines: one record per statement (CSV and JSON), and one
schema.org ``ClaimReview`` per statement (JSON-LD, embedded in the ledger page).

``reviewRating`` carries FIJ's label in ``alternateName`` and the reason in
``ratingExplanation``; only the ordered labels (正確 5 ... 誤り 1, see
:mod:`analysis.ratings`) get ``ratingValue`` with ``bestRating`` and
``worstRating``: 根拠不明, 判定留保 and 検証対象外 say what could not be judged
and are no point of that order. ``itemReviewed`` names the article
(``appearance``; its URL, date and author are not known); ``dateModified`` dates the last change of a
label (the corrections record). ``url`` is the statement's anchor on the
ledger page, relative to the book's root.
"""

from __future__ import annotations

import csv
import io
import json
import math

import pandas as pd

from analysis import data, ratings, references, verdicts
from analysis.verdicts import Ledger, computed_text, reason, sources, stated_text

AUTHOR = "「選択と集中」検算プロジェクト"  # the book's author, as in _config.yml
LEDGER_URL = "chapters/appendix/ledger.html"
ARTICLE_KEY = "article"
CSV_COLUMNS = ("statement_id", "chapter", "quote", "quote_en", "label", "rating_value", "strength", "outcome",
               "findings", "reason", "previous_label", "correction", "modified", "checks", "sources", "url")


def published_on() -> str:
    """The date the ledger's reviews are published (ISO): the ``created`` date of
    ``data/datapackage.json``, the edition of the data they rest on."""
    created = data.descriptor().get("created", "")
    if not created:
        raise data.DataError(data.DESCRIPTOR, None, "created",
                             "the package needs a 'created' date (the edition)")
    return created[:10]


def url(statement_id: str) -> str:
    """The statement's row on the ledger page, relative to the book's root."""
    return f"{LEDGER_URL}#{anchor(statement_id)}"


def anchor(statement_id: str) -> str:
    """The statement's anchor on the ledger page: 'ledger-ai-02'."""
    return "ledger-" + statement_id.replace("_", "-")


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
        "stated_by": check["stated_by"], "reading_public": check["public"],
        "source": check["source"], "input_sources": list(check["input_sources"]),
    }


def records(ledger: Ledger) -> list[dict]:
    """Every statement with its rating and its checks, in the article's order."""
    out = []
    searched = verdicts.searches()
    for _, s in ledger.statements.iterrows():
        sid = s["statement_id"]
        checks = [_check_record(c) for _, c in ledger.checks_of(sid).iterrows()]
        record = searched[searched["statement_id"] == sid]
        out.append({
            "statement_id": sid, "chapter": s["chapter"], "section": s["section"],
            "quote": s["quote"], "quote_en": s["quote_en"], "label": s["label"],
            "rating_value": None if pd.isna(s["rating_value"]) else int(s["rating_value"]),
            "strength": s["strength"], "outcome": s["outcome"], "findings": list(s["findings"]),
            "finding_note": s["finding_note"], "open_base_note": s["open_base_note"],
            "age_note": s["age_note"],
            "cited_source": s["cited_source"], "rests_on": s["rests_on"], "reason": reason(s, ledger),
            "previous_label": s["previous_label"], "correction": s["correction"], "modified": s["modified"],
            "sources": sources(s, ledger), "url": url(sid), "checks": checks,
            "search_record": [{k: r[k] for k in ("searched", "query", "result", "date")}
                              for _, r in record.iterrows()],
        })
    return out


def to_json(ledger: Ledger) -> str:
    """The ledger as JSON (UTF-8, statements with nested checks)."""
    return json.dumps(records(ledger), ensure_ascii=False, indent=1) + "\n"


def to_csv(ledger: Ledger) -> str:
    """The ledger as CSV, one row per statement (checks joined as text)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in records(ledger):
        row = {k: record[k] for k in CSV_COLUMNS if k not in ("checks", "sources", "findings")}
        row["findings"] = " ".join(record["findings"])
        row["checks"] = " | ".join(f"{c['part'] or c['basis'] or c['check_id']}: 記事 {c['stated']} / "
                                   f"{c['value_kind'] or '値なし'} {c['computed']} → {c['outcome']}"
                                   for c in record["checks"])
        row["sources"] = " ".join(record["sources"])
        writer.writerow(row)
    return buffer.getvalue()


def claim_reviews(ledger: Ledger, published: str) -> list[dict]:
    """One schema.org ClaimReview per statement; ``published`` is an ISO date."""
    article = references.citation(ARTICLE_KEY)
    reviews = []
    for record in records(ledger):
        rating: dict = {"@type": "Rating", "alternateName": record["label"],
                        "ratingExplanation": record["reason"]}
        if record["rating_value"] is not None:
            rating.update(ratingValue=record["rating_value"], bestRating=ratings.best_rating(),
                          worstRating=ratings.worst_rating())
        review = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": record["url"],
            "claimReviewed": record["quote"],
            # the article names neither its publisher nor its date, and it is not
            # online (references.bib: article): the appearance carries its title only
            "itemReviewed": {
                "@type": "Claim",
                "appearance": {"@type": "CreativeWork", "name": article.title},
            },
            "reviewRating": rating,
            "author": {"@type": "Organization", "name": AUTHOR},
            "datePublished": published,
        }
        if record["modified"]:
            review["dateModified"] = record["modified"]
        reviews.append(review)
    return reviews


def json_ld(ledger: Ledger, published: str) -> str:
    """The ClaimReviews as the JSON-LD the ledger page embeds (safe inside <script>)."""
    return json.dumps(claim_reviews(ledger, published), ensure_ascii=False).replace("</", "<\\/")
