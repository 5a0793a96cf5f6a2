"""The claims ledger (検証台帳): the article's statements, their checks, and
one rating each.

- ``data/statements/<chapter>.csv``: one row per statement of the article
  (the unit of the ledger; the segmentation rule is in 方法): its quote, the
  chapter section where the book computes it, at most one sourced finding
  about its wording, the source the article names for the figure, and the
  statement whose figure it rests on;
- ``data/checks/<chapter>.csv``: the checks of each statement. A statement
  with several **parts** (開始年度 and 終了年度, 対米国 and 対中国) has one check
  per part; a part whose base, window or threshold the article leaves open has
  one check per plausible **reading** (``basis``: a base that existed and was
  public at the time the statement speaks of, of the kind the article names).

One rule resolves the readings of a part, the same for every statement:
when they all hold, the part holds as its weakest reading does; when they
all fail, it fails; when some hold and some fail, it holds as its best reading
does, and the statement gets the finding ``baseline_unstated`` (比較基準が不明),
which caps it. A statement that rests on another's figure is never rated
kinder than that statement.

:mod:`analysis.claims` computes and compares each check;
:mod:`analysis.ratings` turns the outcome, the findings and the evidence
strength into the label. Nothing in a rating column is typed by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import claims, data, ratings, text

OPEN_BASE = "baseline_unstated"
HOLDS = ("match", "near")
# Order of outcomes from the statement's point of view (best first).
KINDNESS = {"match": 0, "near": 1, "off": 2}


@dataclass(frozen=True)
class Ledger:
    """The rated statements and their evaluated checks (one frame each)."""

    statements: pd.DataFrame
    checks: pd.DataFrame

    def statement(self, statement_id: str) -> pd.Series:
        rows = self.statements[self.statements["statement_id"] == statement_id]
        if rows.empty:
            raise KeyError(f"no statement {statement_id!r} in the ledger")
        return rows.iloc[0]

    def checks_of(self, statement_id: str) -> pd.DataFrame:
        return self.checks[self.checks["statement_id"] == statement_id]

    def check_of(self, statement_id: str) -> pd.Series:
        """The one check of a statement checked once (ValueError naming it when it
        has none or several: then say which part or reading is meant)."""
        rows = self.checks_of(statement_id)
        if len(rows) != 1:
            raise ValueError(f"statement {statement_id!r} has {len(rows)} checks, not one")
        return rows.iloc[0]

    def label(self, statement_id: str) -> str:
        """The statement's label (判定): '正確', '判定留保'."""
        return str(self.statement(statement_id)["label"])

    def stated(self, statement_id: str) -> float:
        """The figure the article states for a statement checked once, as its check
        records it, in that check's unit (12 for 「12倍以上」)."""
        return float(self.check_of(statement_id)["stated"])


def _chapters(folder: str, chapters: tuple[str, ...]) -> pd.DataFrame:
    """The files of ``data/<folder>/`` for ``chapters`` (all when empty), typed
    by the data package, with a ``chapter`` column (the file's name)."""
    frame = data.load_folder(folder, chapters)
    return frame.assign(chapter=[Path(f).stem for f in frame["_file"]])


def statements(*chapters: str) -> pd.DataFrame:
    """The article's statements (all chapters, or only those named)."""
    return _chapters("statements", chapters)


def checks(*chapters: str) -> pd.DataFrame:
    """The checks of the statements (all chapters, or only those named). The
    package's foreign key ties each to a statement of the same chapter."""
    return _chapters("checks", chapters)


@data.cached
def searched(statement_id: str) -> bool:
    """Whether data/searches.csv records where the book looked for a statement's source."""
    return not searches().query("statement_id == @statement_id").empty


def searches() -> pd.DataFrame:
    """The search record of the statements the book could not confirm (data/searches.csv)."""
    return data.top_level("searches")


@data.cached
def corrections() -> pd.DataFrame:
    """The corrections record (data/corrections.csv): every label change, dated, with its reason."""
    return data.top_level("corrections")


def resolve_part(outcomes: list[str]) -> tuple[int, bool]:
    """Which reading of one part decides it (index into ``outcomes``), and whether
    the readings disagree (some hold, some fail). Unchecked readings decide only
    when no reading could be checked."""
    checked = [i for i, o in enumerate(outcomes) if o in KINDNESS]
    if not checked:
        return 0, False
    holding = [i for i in checked if outcomes[i] in HOLDS]
    failing = [i for i in checked if outcomes[i] == "off"]
    if holding and failing:
        return min(holding, key=lambda i: (KINDNESS[outcomes[i]], i)), True
    return max(checked, key=lambda i: (KINDNESS[outcomes[i]], -i)), False


def _readings(evaluated: pd.DataFrame) -> tuple[pd.Series, set[str]]:
    """Which checks decide their part, and the statements whose readings disagree."""
    decides = pd.Series(False, index=evaluated.index)
    disagree: set[str] = set()
    for (sid, _), group in evaluated.groupby(["statement_id", "part"], sort=False):
        chosen, split = resolve_part(list(group["outcome"]))
        decides[group.index[chosen]] = True
        if split:
            disagree.add(sid)
    return decides, disagree


def open_base_note(own: pd.DataFrame) -> str:
    """The computed note of a statement whose readings disagree: each reading and its outcome."""
    names = ratings.outcomes().set_index("outcome")["name"]
    readings = own[own["basis"] != ""]
    pairs = zip(readings["basis"], readings["outcome"], strict=True)
    listed = "、".join(f"{b}なら{names[o]}" for b, o in pairs)
    return f"記事は比較の基準を示さず、読み方で結果が分かれる（{listed}）"


def _strength(own: pd.DataFrame, outcome: str, article_year: int) -> tuple[str, str]:
    """The evidence strength of a statement and, when old evidence capped it, why."""
    checked = own[~own["outcome"].isin(ratings.UNCHECKED)]
    if outcome in ratings.UNCHECKED or checked.empty:
        return ratings.strength([]), ""
    used = [c for confidences in checked["confidences"] for c in confidences]
    strength = ratings.strength(used)
    newest = max(y for years in checked["years"] for y in years)
    years, cap = ratings.age_rule()
    newer = [n for n in checked["newer"] if n]
    if article_year - newest >= years and newer:
        capped = ratings.capped_strength(strength, cap)
        if capped != strength:
            return capped, (f"最も新しい値が{newest}年で記事より{article_year - newest}年古く、"
                            f"より新しい関連データ（{newer[0]}）があるため確度を{cap}までとする")
    return strength, ""


def rate_statement(statement: pd.Series, own: pd.DataFrame, disagree: bool, article_year: int) -> dict:
    """Outcome, findings, evidence strength and label of one statement from its checks
    (``own``, with ``decides`` set) — before the cap of a statement it rests on."""
    decisive = own[own["decides"]]
    outcome = ratings.combine(list(decisive["outcome"]))
    strength, age_note = _strength(own, outcome, article_year)
    kinds = tuple(k for k in (statement["finding"], OPEN_BASE if disagree else "") if k)
    label = ratings.label(outcome, kinds, strength)
    return {"outcome": outcome, "strength": strength, "label": label, "findings": kinds,
            "open_base_note": open_base_note(own) if disagree else "", "age_note": age_note}


def _rests_on(label: str, rested: str) -> str:
    """A label capped by that of the statement whose figure it rests on: never
    kinder; a figure that could not be judged leaves nothing to judge on."""
    return ratings.worse(label, rested) if ratings.ordered(rested) else rested


def evaluate(obs: pd.DataFrame, *chapters: str) -> Ledger:
    """Every statement of ``chapters`` (all when none) rated from ``obs``."""
    evaluated = claims.evaluate_checks(checks(*chapters), obs)
    stmts = statements(*chapters)
    cited = dict(zip(stmts["statement_id"], stmts["cited_source"] != "", strict=True))
    # a figure whose source the article names, and which cannot be found there, is 確認できず
    named = evaluated["statement_id"].map(cited).fillna(False).astype(bool)
    evaluated.loc[(evaluated["outcome"] == "unsupported") & named, "outcome"] = "unconfirmed"
    evaluated.loc[(evaluated["outcome"] == "unconfirmed") & named & (evaluated["metric"] == "none"),
                  "reason"] = claims.UNCONFIRMED_REASON
    evaluated["decides"], disagree = _readings(evaluated)
    article_year = data.article_year()
    history = corrections().sort_values("date")
    previous = {sid: rows.iloc[-1] for sid, rows in history.groupby("statement_id")}
    rows: list[dict] = []
    for _, statement in stmts.iterrows():
        sid = statement["statement_id"]
        own = evaluated[evaluated["statement_id"] == sid]
        if own.empty:
            raise data.DataError(statement["_file"], int(statement["_row"]), "statement_id",
                                 f"statement '{sid}' has no check in data/checks/")
        row = {**statement.to_dict(), **rate_statement(statement, own, sid in disagree, article_year)}
        if statement["rests_on"]:
            rested = next(r for r in rows if r["statement_id"] == statement["rests_on"])
            row["label"] = _rests_on(row["label"], rested["label"])
        row["rating_value"] = ratings.rating_value(row["label"]) if ratings.ordered(row["label"]) else None
        change = previous.get(sid)
        row["previous_label"] = change["previous_label"] if change is not None else ""
        row["correction"] = change["reason"] if change is not None else ""
        row["modified"] = change["date"] if change is not None else ""
        if change is not None and change["label"] != row["label"]:
            raise data.DataError(data.DATA / "corrections.csv", None, "label",
                                 f"statement '{sid}' is rated {row['label']} but its last correction "
                                 f"says {change['label']}: record the change with its reason")
        rows.append(row)
    return Ledger(pd.DataFrame(rows), evaluated)


def validate_all() -> dict[str, str]:
    """Validate the data package (frictionless) and every check's references
    (by evaluating the whole ledger); return the ledger's digest, as
    :func:`analysis.derived.digests` gives it. Raises the first DataError. The
    notebook executor runs it before any notebook."""
    data.validate()
    return {"ledger": digest(whole_ledger())}


def digest(ledger: Ledger) -> str:
    """SHA-256 of all a ledger holds: both frames' columns, types and values
    (floats exactly, as their shortest repr). Equal digests, equal ledgers."""
    return data.frame_digest(ledger.statements, ledger.checks)


def ledger() -> Ledger:
    """The whole ledger, as a page that shows it reads it: the files it is
    made from are recorded apart, and its digest is recorded instead
    (``data.DERIVED["ledger"]``), so that ``make book`` re-executes the page
    only when a verdict or a figure of the ledger changes, not on every data
    edit (see :mod:`analysis.derived`)."""
    whole = whole_ledger()
    data.DERIVED["ledger"] = digest(whole)
    return whole


def whole_ledger() -> Ledger:
    """Every statement rated from every observation, its reads recorded apart
    (a page reads it with :func:`ledger`). Evaluated once while the data are
    unchanged (``data.cached``): the build validates the data, writes the
    exports and the status page from one evaluation (shared: do not modify)."""
    with data.recorded_apart():
        return _evaluated_ledger()


@data.cached
def _evaluated_ledger() -> Ledger:
    return evaluate(data.observations())


# ---- texts ----------------------------------------------------------------


BOOK_READING = "本書の読み："


def stated_text(check: pd.Series) -> str:
    """What the article states, in its unit, with the comparison: '10倍以上', '29億ドル〜38億ドル';
    a threshold the book chose where the article gives none reads '本書の読み：50%以上'."""
    prefix = BOOK_READING if check["stated_by"] == "book" else ""
    how = check["comparison"]
    if how in claims.TRENDS:
        if check["unit"] == "rank":  # a rising rank number is a falling position
            return prefix + ("順位が下がり続ける" if how == "increasing" else "順位が上がり続ける")
        return prefix + ("増え続ける" if how == "increasing" else "減り続ける")
    if data.missing(check["stated"]):
        return "—"
    written = text.amount(check["stated"], check["unit"])
    if how == "range" or not data.missing(check["stated_high"]):
        written += "〜" + text.amount(check["stated_high"], check["unit"])
    return prefix + written + {"at_least": "以上", "at_most": "以下"}.get(how, "")


def computed_text(check: pd.Series) -> str:
    """The computed value in the claim's unit: '0.98倍', '34.8%', '4位下落' ('—' when none)."""
    value = check["computed"]
    if isinstance(value, float) and math.isnan(value):
        return "—"
    if check["metric"] == "change":
        unit = check["unit"]
        if unit == "rank":
            steps = int(round(abs(value)))
            return f"{steps}位{'下落' if value > 0 else '上昇'}" if steps else "変化なし"
        step = check["precision"]
        shown = claims.rounded_difference(value, step)
        written = ("+" if shown > 0 else "") + text.amount(shown, unit)
        return text.about(written) if step else written
    if check["metric"] == "diff" and check["precision"]:
        return text.about(text.amount(claims.rounded_difference(value, check["precision"]), check["unit"]))
    return claims.result_text(value, check["metric"], check["unit"])


def finding_name(finding: str) -> str:
    """The Japanese name of a finding kind ('' for none)."""
    return ratings.findings().set_index("finding").loc[finding, "name"] if finding else ""


def reason(statement: pd.Series, ledger: Ledger) -> str:
    """Why the statement got its label: the deciding checks' reasons, the
    findings (typed and computed), old evidence, and the statement it rests on."""
    decisive = ledger.checks_of(statement["statement_id"])
    decisive = decisive[decisive["decides"]]
    written = "；".join(dict.fromkeys(decisive["reason"]))
    if statement["finding"]:
        written += f"。{finding_name(statement['finding'])}：{statement['finding_note']}"
    if statement["open_base_note"]:
        written += f"。{finding_name(OPEN_BASE)}：{statement['open_base_note']}"
    if statement["age_note"]:
        written += f"。{statement['age_note']}"
    if statement["rests_on"]:
        rested = ledger.statement(statement["rests_on"])
        written += (f"。数値を {statement['rests_on']} に依拠するため、"
                    f"その判定（{rested['label']}）を上限とする")
    return written


def sources(statement: pd.Series, ledger: Ledger) -> list[str]:
    """The bib keys behind a statement: the pages its values were read from
    (every input of every check), a check's own source where it used no
    value, and its finding's."""
    keys: list[str] = []
    for _, check in ledger.checks_of(statement["statement_id"]).iterrows():
        keys += list(check["input_sources"]) or ([check["source"]] if check["source"] else [])
    if statement["finding_source"]:
        keys.append(statement["finding_source"])
    return list(dict.fromkeys(keys))


def count_table(ledger: Ledger) -> pd.DataFrame:
    """Statements by label (rows, the scale's order) and evidence strength (columns), with totals."""
    s = ledger.statements
    strengths = list(ratings.evidence()["strength"])
    rows = []
    for label in ratings.scale()["label"]:
        mine = s[s["label"] == label]
        if mine.empty and label not in rated_labels(ledger):
            continue  # a label no rule gives
        counts = [int((mine["strength"] == k).sum()) for k in strengths]
        rows.append({"判定": label, **{f"確度 {k}": str(n) for k, n in zip(strengths, counts, strict=True)},
                     "計": str(len(mine))})
    total = {f"確度 {k}": str(int((s["strength"] == k).sum())) for k in strengths}
    rows.append({"判定": "計", **total, "計": str(len(s))})
    return pd.DataFrame(rows)


def rated_labels(ledger: Ledger) -> list[str]:
    """The labels the rules can give (the ordered ones, and those an outcome
    gives: 判定留保, 根拠不明), in the scale's order."""
    given = set(ratings.outcomes()["label"])
    return [label for label in ratings.scale()["label"] if ratings.ordered(label) or label in given]


def scorecard(ledger: Ledger) -> pd.DataFrame:
    """Statements by chapter (rows, with a total) and label (columns, with a total)."""
    s = ledger.statements
    labels = rated_labels(ledger)
    table = pd.crosstab(s["chapter"], pd.Categorical(s["label"], labels), margins=True, margins_name="計",
                        dropna=False)
    table = table.reindex([*dict.fromkeys(s["chapter"]), "計"])
    table.columns.name = None
    table.index.name = "章"
    return table


HOLDING = ("正確", "ほぼ正確")  # the labels of a statement that holds as its sources state it


def holding(ledger: Ledger) -> pd.DataFrame:
    """The statements that hold as their sources state them (:data:`HOLDING`)."""
    s = ledger.statements
    return s[s["label"].isin(HOLDING)]


def label_counts(ledger: Ledger) -> dict[str, int]:
    """How many statements got each label the rules can give (0 included)."""
    counts = ledger.statements["label"].value_counts()
    return {label: int(counts.get(label, 0)) for label in rated_labels(ledger)}
