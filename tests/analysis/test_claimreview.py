"""The ledger for machines: CSV, JSON and one schema.org ClaimReview per
statement, checked by expanding the JSON-LD with a JSON-LD processor."""

import csv
import io
import json

from pyld import jsonld

from analysis import claimreview, ratings, references, verdicts

SCHEMA = "http://schema.org/"


def offline_loader(url, options=None):
    """The part of schema.org's JSON-LD context these reviews use, without the
    network: every term in the schema.org vocabulary, and ``url`` an IRI."""
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise AssertionError(f"unexpected remote document {url}")
    context = {"@vocab": SCHEMA, "url": {"@id": SCHEMA + "url", "@type": "@id"}}
    return {"contextUrl": None, "documentUrl": url, "document": {"@context": context}}


def test_every_statement_is_a_claimreview_with_a_label_from_the_scale(ledger):
    reviews = json.loads(claimreview.json_ld(ledger, "2026-12-01"))
    expanded = jsonld.expand(reviews, {"documentLoader": offline_loader,
                                       "base": "https://example.org/book/"})
    assert len(expanded) == len(ledger.statements)
    labels = set(ratings.scale()["label"])
    urls = set()
    explained = {}
    for review in expanded:
        assert review["@type"] == [SCHEMA + "ClaimReview"]
        rating = review[SCHEMA + "reviewRating"][0]
        label = rating[SCHEMA + "alternateName"][0]["@value"]
        assert label in labels
        if ratings.ordered(label):
            value = rating[SCHEMA + "ratingValue"][0]["@value"]
            best = rating[SCHEMA + "bestRating"][0]["@value"]
            worst = rating[SCHEMA + "worstRating"][0]["@value"]
            assert worst <= value <= best and value == ratings.rating_value(label)
        else:  # 根拠不明, 判定留保: no point of the order
            assert SCHEMA + "ratingValue" not in rating and SCHEMA + "bestRating" not in rating
        explained[review[SCHEMA + "url"][0]["@id"]] = rating[SCHEMA + "ratingExplanation"][0]["@value"]
        claim = review[SCHEMA + "itemReviewed"][0]
        assert claim["@type"] == [SCHEMA + "Claim"]
        assert claim[SCHEMA + "appearance"][0]["@type"] == [SCHEMA + "CreativeWork"]
        assert review[SCHEMA + "author"][0][SCHEMA + "name"][0]["@value"] == claimreview.AUTHOR
        assert review[SCHEMA + "datePublished"][0]["@value"] == "2026-12-01"
        urls.add(review[SCHEMA + "url"][0]["@id"])
    expected = {"https://example.org/book/" + claimreview.url(s) for s in ledger.statements["statement_id"]}
    assert urls == expected
    # every ratingExplanation is the ledger's reason for that statement
    for _, s in ledger.statements.iterrows():
        where = "https://example.org/book/" + claimreview.url(s["statement_id"])
        assert explained[where] == verdicts.reason(s, ledger)


def test_a_changed_label_carries_date_modified_and_the_article_its_time(ledger):
    reviews = {r["url"]: r for r in claimreview.claim_reviews(ledger, "2026-12-06")}
    ai_02 = reviews[claimreview.url("ai_02")]
    assert ai_02["dateModified"] == "2026-12-06"
    assert ai_02["itemReviewed"]["appearance"]["name"] == references.citation("article").title
    assert "dateModified" not in reviews[claimreview.url("pol_01")]


def test_the_embedded_json_cannot_close_its_script_element(ledger):
    assert "</" not in claimreview.json_ld(ledger, "2026-12-01")


def test_csv_has_one_row_per_statement_and_json_nests_the_checks(ledger):
    rows = list(csv.DictReader(io.StringIO(claimreview.to_csv(ledger))))
    assert [r["statement_id"] for r in rows] == list(ledger.statements["statement_id"])
    assert rows[0].keys() == set(claimreview.CSV_COLUMNS)
    records = json.loads(claimreview.to_json(ledger))
    ai_02 = next(r for r in records if r["statement_id"] == "ai_02")
    assert ai_02["label"] == "ミスリード" and ai_02["previous_label"] == "誤り" and len(ai_02["checks"]) == 2
    decisive = [c for c in ai_02["checks"] if c["decides"]]
    assert decisive[0]["value_kind"] == "計算値" and "÷" in decisive[0]["calculation"]


def test_author_is_the_books_author():
    import yaml

    from tests.helpers import ROOT

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert claimreview.AUTHOR == config["author"]
