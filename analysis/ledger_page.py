"""How the book shows the ledger: the table that closes each chapter, the
line that closes each section, and the 検証台帳 page (a full-width table with
offline filters in HTML, one stacked block per statement in the PDF).

Every statement has the anchor ``ledger-<id>`` on the ledger page (an HTML id
and a MyST label), and links to the chapter section where the book computes
it (the statement's ``section`` label); the section links back.
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import Markdown, display

from analysis import claimreview, ratings, references, text, verdicts
from analysis.claimreview import anchor
from analysis.glue import markdown_table, short_title
from analysis.verdicts import (
    Ledger,
    computed_text,
    finding_name,
    label_counts,
    rated_labels,
    reason,
    sources,
    stated_text,
)


def statement_link(statement: pd.Series) -> str:
    """A MyST link to the statement's row: '{ref}`ai_02（誤り） <ledger-ai-02>`'."""
    sid = statement["statement_id"]
    return f"{{ref}}`{sid}（{statement['label']}） <{anchor(sid)}>`"


def outcome_name(outcome: str) -> str:
    return ratings.outcomes().set_index("outcome").loc[outcome, "name"]


def check_line(check: pd.Series) -> str:
    """One check as a line: what it compares, the value's kind and calculation, the outcome."""
    reading = f"読み方：{check['basis']}（{check['public']} 公表）" if check["basis"] else ""
    head = " / ".join(t for t in (check["part"], reading) if t)
    stated, computed = stated_text(check), computed_text(check)
    parts = [f"{head}：" if head else "", f"記事 {stated}"]
    if computed != "—":
        parts.append(f" ／ {check['value_kind']} {computed}")
    if check["derivation"]:
        parts.append(f"（{check['derivation']}）")
    if check["window"]:
        parts.append(f"［期間 {check['window']}］")
    parts.append(f" → {outcome_name(check['outcome'])}")
    if check["basis"] and check["decides"]:
        parts.append("（部分の結果を決める読み方）")
    return "".join(parts)


def search_record(statement: pd.Series) -> pd.DataFrame:
    """Where the book looked for the source of a statement it could not confirm."""
    rows = verdicts.searches()
    return rows[rows["statement_id"] == statement["statement_id"]]


def search_lines(statement: pd.Series) -> list[str]:
    """The search record as lines: '場所：語句 → 結果（日付）'."""
    return [f"{r['searched']}：「{r['query']}」→ {r['result']}（{r['date']}）"
            for _, r in search_record(statement).iterrows()]


def chapter_table(ledger: Ledger, chapter: str) -> pd.DataFrame:
    """The statements of one chapter as the table that closes it."""
    rows = ledger.statements[ledger.statements["chapter"] == chapter]
    if rows.empty:
        raise KeyError(f"no statements for chapter {chapter!r}")
    return pd.DataFrame({
        "検証台帳": [statement_link(s) for _, s in rows.iterrows()],
        "記事の記述": [f"「{q}」" for q in rows["quote"]],
        "確度": rows["strength"],
        "検証": ["<br>".join(check_line(c) for _, c in ledger.checks_of(s["statement_id"]).iterrows())
               for _, s in rows.iterrows()],
        "理由": [reason(s, ledger) for _, s in rows.iterrows()],
    })


def show_chapter(ledger: Ledger, chapter: str) -> None:
    """Display the chapter's statements (HTML and PDF alike)."""
    display(Markdown(markdown_table(chapter_table(ledger, chapter))))


def section_note(ledger: Ledger, section: str) -> str:
    """The line that closes a section: links to the ledger rows it computes."""
    rows = ledger.statements[ledger.statements["section"] == section]
    if rows.empty:
        raise KeyError(f"no statement is computed in section {section!r}")
    links = "、".join(statement_link(s) for _, s in rows.iterrows())
    return "この節で確かめた記事の記述（検証台帳）：" + links


def show_section(ledger: Ledger, section: str) -> None:
    display(Markdown(section_note(ledger, section)))


# ---- the ledger page ------------------------------------------------------

SCRIPT = """
(function () {
  var root = document.getElementById("ledger");
  if (!root) { return; }
  var table = root.querySelector("table"), body = table.tBodies[0];
  var search = root.querySelector("#ledger-search");
  var filters = Array.prototype.slice.call(root.querySelectorAll("select[data-filter]"));
  var count = root.querySelector(".ledger-count");
  function apply() {
    var q = search.value.trim().toLowerCase(), shown = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var ok = !q || row.textContent.toLowerCase().indexOf(q) >= 0;
      filters.forEach(function (f) {
        if (f.value && row.getAttribute("data-" + f.getAttribute("data-filter")) !== f.value) { ok = false; }
      });
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " / " + body.rows.length + " 件を表示";
  }
  Array.prototype.forEach.call(table.tHead.querySelectorAll("button[data-column]"), function (button) {
    button.addEventListener("click", function () {
      var th = button.parentNode, col = Number(button.getAttribute("data-column"));
      var asc = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.tHead.querySelectorAll("th"), function (c) {
        c.removeAttribute("aria-sort");
      });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute("data-key") || a.cells[col].textContent;
        var y = b.cells[col].getAttribute("data-key") || b.cells[col].textContent;
        var nx = parseFloat(x), ny = parseFloat(y);
        var r = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y, "ja");
        return asc ? r : -r;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  search.addEventListener("input", apply);
  filters.forEach(function (f) { f.addEventListener("change", apply); });
  apply();
})();
"""

COLUMNS = ("ID", "章", "記事の記述", "判定", "確度", "検証（記事の値・本書の値・計算）", "理由", "出典")
SORTABLE = {"ID", "章", "判定", "確度"}


def _select(name: str, label: str, values: list[str]) -> str:
    options = "".join(f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in values)
    return (f'<label>{label}<select data-filter="{name}"><option value="">すべて</option>'
            f"{options}</select></label>")


def badge(label: str) -> str:
    """The label as text in a coloured badge (the colour repeats the text, never replaces it)."""
    return f'<span class="rating-badge" data-rating="{ratings.position(label)}">{html.escape(label)}</span>'


def _citations(keys: list[str]) -> str:
    links = []
    for key in keys:
        cite = references.citation(key)
        title = html.escape(f"{cite.label}『{cite.title}』")
        links.append(f'<a href="bibliography.html#{cite.anchor}">{title}</a>')
    return "<br>".join(links) or "—"


def _search_html(statement: pd.Series) -> str:
    """The search record of an unconfirmed statement, folded under its reason."""
    lines = search_lines(statement)
    if not lines:
        return ""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return (f'<details class="ledger-search-record"><summary>調査記録（{len(lines)}件）</summary>'
            f"<ul>{items}</ul></details>")


def correction_text(statement: pd.Series) -> str:
    """'訂正（2026-12-06）：誤り → ミスリード。理由' for a statement whose label changed ('' otherwise)."""
    if not statement["previous_label"]:
        return ""
    return (f"訂正（{statement['modified']}）：{statement['previous_label']} → {statement['label']}。"
            f"{statement['correction']}")


def _correction_html(statement: pd.Series) -> str:
    text = correction_text(statement)
    return f'<p class="ledger-correction">{html.escape(text)}</p>' if text else ""


def _chapter_link(statement: pd.Series) -> str:
    chapter = statement["chapter"]
    return f'<a href="../{chapter}.html#{statement["section"]}">{html.escape(short_title(chapter))}</a>'


class LedgerPage:
    """The whole ledger: a full-width table with offline filters (HTML) and
    one stacked block per statement (Markdown, for the PDF)."""

    def __init__(self, ledger: Ledger, published: str) -> None:
        self.ledger = ledger
        self.published = published

    def __repr__(self) -> str:
        return f"<検証台帳: 記事の記述 {len(self.ledger.statements)} 件>"

    def _row(self, statement: pd.Series) -> str:
        ledger, sid = self.ledger, statement["statement_id"]
        checks = "".join(f"<li>{html.escape(check_line(c))}</li>"
                         for _, c in ledger.checks_of(sid).iterrows())
        cells = [
            f'<td data-key="{html.escape(sid)}"><a href="#{anchor(sid)}">{html.escape(sid)}</a></td>',
            f"<td>{_chapter_link(statement)}</td>",
            f"<td>「{html.escape(statement['quote'])}」</td>",
            f'<td data-key="{ratings.position(statement["label"])}">{badge(statement["label"])}</td>',
            f"<td>{html.escape(statement['strength'])}</td>",
            f'<td><ul class="ledger-checks">{checks}</ul></td>',
            f"<td>{html.escape(reason(statement, ledger))}{_search_html(statement)}"
            f"{_correction_html(statement)}</td>",
            f"<td>{_citations(sources(statement, ledger))}</td>",
        ]
        # each cell names its column: a narrow screen shows the row as a stacked block
        cells = [cell.replace("<td", f'<td data-col="{name}"', 1)
                 for cell, name in zip(cells, COLUMNS, strict=True)]
        data_attrs = (f'data-label="{html.escape(statement["label"])}" '
                      f'data-chapter="{html.escape(short_title(statement["chapter"]))}" '
                      f'data-strength="{html.escape(statement["strength"])}"')
        return f'<tr id="{anchor(sid)}" {data_attrs}>' + "".join(cells) + "</tr>"

    def _repr_html_(self) -> str:
        s = self.ledger.statements
        labels = [lab for lab in ratings.scale()["label"] if lab in set(s["label"])]
        chapters = list(dict.fromkeys(short_title(c) for c in s["chapter"]))
        strengths = [v for v in ratings.evidence()["strength"] if v in set(s["strength"])]
        head = "".join(
            f'<th scope="col"><button type="button" data-column="{i}">{c}</button></th>' if c in SORTABLE
            else f'<th scope="col">{c}</th>' for i, c in enumerate(COLUMNS))
        body = "".join(self._row(row) for _, row in s.iterrows())
        controls = ('<div class="ledger-controls" role="search">'
                    '<label>語句<input type="search" id="ledger-search"'
                    ' placeholder="語句で絞り込む"/></label>'
                    + _select("label", "判定", labels) + _select("chapter", "章", chapters)
                    + _select("strength", "確度", strengths)
                    + '<span class="ledger-count" aria-live="polite"></span></div>')
        return (f'<div id="ledger" class="ledger">{controls}'
                f'<table class="table ledger-table"><caption>検証台帳：記事の記述 {len(s)} 件</caption>'
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
                f"<script>{SCRIPT}</script>"
                '<script type="application/ld+json">'
                f"{claimreview.json_ld(self.ledger, self.published)}</script>")

    def _repr_markdown_(self) -> str:
        blocks = []
        for _, statement in self.ledger.statements.iterrows():
            sid = statement["statement_id"]
            checks = "\n".join(f"  - {check_line(c)}" for _, c in self.ledger.checks_of(sid).iterrows())
            cites = "、".join(text.cite(k) for k in sources(statement, self.ledger)) or "—"
            searched = "".join(f"  - {line}\n" for line in search_lines(statement))
            extra = (f"- 調査記録：\n{searched}" if searched else "")
            if correction_text(statement):
                extra += f"- {correction_text(statement)}\n"
            blocks.append(
                f"({anchor(sid)})=\n"
                f"**{sid}**　**{statement['label']}**（確度 {statement['strength']}）\n"
                f"「{statement['quote']}」\n\n"
                f"- 章：{{ref}}`{short_title(statement['chapter'])} <{statement['section']}>`\n"
                f"- 検証：\n{checks}\n"
                f"- 理由：{reason(statement, self.ledger)}\n"
                f"{extra}"
                f"- 出典：{cites}\n")
        return "\n".join(blocks)


def page(ledger: Ledger, published: str) -> LedgerPage:
    """The ledger page's table; ``published`` (ISO date) dates its ClaimReviews."""
    return LedgerPage(ledger, published)


# The chapters' short titles take about a third of the text column.
SCORECARD_WIDTH = 400


def scorecard_chart(ledger: Ledger):
    """Statements by chapter and label: stacked bars in the badges' colours."""
    import altair as alt

    from analysis import charts

    scale = ratings.scale()
    labels = [lab for lab in scale["label"] if lab in set(ledger.statements["label"])]
    colors = dict(zip(scale["label"], scale["color"], strict=True))
    s = ledger.statements.assign(章=[short_title(c) for c in ledger.statements["chapter"]])
    counts = s.groupby(["章", "label"], sort=False).size().reset_index(name="件数")
    counts["順"] = [labels.index(lab) for lab in counts["label"]]
    counts = charts.sourced(counts, "件", "article")
    order = list(dict.fromkeys(s["章"]))
    return alt.Chart(counts, description="章ごとの記事の記述の判定の件数（積み上げ棒）").mark_bar().encode(
        y=alt.Y("章:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("sum(件数):Q", title="記事の記述の件数", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("label:N", title="判定", sort=labels,
                        scale=alt.Scale(domain=labels, range=[colors[lab] for lab in labels])),
        order=alt.Order("順:Q"),
        tooltip=["章:N", alt.Tooltip("label:N", title="判定"), alt.Tooltip("sum(件数):Q", title="件数")],
    ).properties(width=SCORECARD_WIDTH, height=32 * len(order))


def rating_chart(ledger: Ledger):
    """How many statements got each label: one bar per label, in the badges' colours."""
    import altair as alt

    from analysis import charts

    scale = ratings.scale()
    labels = rated_labels(ledger)
    colors = dict(zip(scale["label"], scale["color"], strict=True))
    counts = ledger.statements["label"].value_counts()
    frame = pd.DataFrame({"判定": labels, "件数": [int(counts.get(lab, 0)) for lab in labels]})
    frame = charts.sourced(frame, "件", "article")
    description = "記事の数値を含む記述の判定ごとの件数：" + "、".join(
        f"{lab} {text.count(n, '件')}" for lab, n in zip(frame["判定"], frame["件数"], strict=True))
    bars = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("判定:N", sort=labels, title=None),
        x=alt.X("件数:Q", title="記事の記述の件数", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("判定:N", scale=alt.Scale(domain=labels, range=[colors[lab] for lab in labels]),
                        legend=None),
        tooltip=["判定:N", "件数:Q"])
    value_labels = bars.mark_text(align="left", dx=4, fontSize=12).encode(text="件数:Q",
                                                                          color=alt.value("#222222"))
    chart = alt.layer(bars, value_labels, description=description)
    return chart.properties(width=charts.WIDTH, height=28 * len(labels))


# The corrections a reader most needs, in this order: a finding about what the
# number is, whose it is or when it is from, then numbers that do not hold.
CORRECTION_ORDER = ("wrong_quantity", "misattributed", "wrong_year", "baseline_unstated")


def correction_rows(ledger: Ledger) -> list[tuple[str, pd.Series]]:
    """The most consequential corrections as (kind, statement): statements with a
    finding about the quantity, the attribution, the year or an open base, then
    the statements rated 誤り (kind 'off'; none when nothing is)."""
    s = ledger.statements
    rows = []
    for kind in CORRECTION_ORDER:
        having = s[s["findings"].map(lambda found, k=kind: k in found)]
        rows += [(kind, r) for _, r in having.iterrows()]
    wrong = s[(s["label"] == "誤り") & ~s["findings"].map(lambda f: bool(set(f) & set(CORRECTION_ORDER)))]
    rows += [("off", r) for _, r in wrong.iterrows()]
    return rows


def corrections_table(ledger: Ledger) -> pd.DataFrame:
    """The title page's table of the most consequential corrections, each with
    the section that computes it and its ledger row."""
    rows = correction_rows(ledger)
    return pd.DataFrame({
        "訂正": [finding_name(kind) if kind != "off" else "数値の誤り" for kind, _ in rows],
        "記事の記述": [f"「{r['quote']}」" for _, r in rows],
        "判定": [r["label"] for _, r in rows],
        "本書の計算": [f"{{ref}}`{short_title(r['chapter'])} <{r['section']}>`" for _, r in rows],
        "検証台帳": [statement_link(r) for _, r in rows],
    })


def corrections_record(ledger: Ledger) -> pd.DataFrame:
    """The 訂正履歴 page: every recorded label change (data/corrections.csv),
    newest first, with the statement's words linked to its row."""
    history = verdicts.corrections().iloc[::-1]
    rated = set(ledger.statements["statement_id"])
    rows = []
    for _, change in history.iterrows():
        sid = change["statement_id"]
        if sid in rated:
            statement = ledger.statement(sid)
            words = f"{{ref}}`「{statement['quote']}」 <{anchor(sid)}>`"
        else:  # merged into another statement: no row of its own any more
            words = f"{sid}（記述を統合）"
        rows.append({"日付": change["date"], "記述": words,
                     "判定の変更": f"{change['previous_label']} → {change['label'] or '統合'}",
                     "理由": change["reason"]})
    return pd.DataFrame(rows)


def unconfirmed(ledger: Ledger, label: str) -> str:
    """The article's words of the statements with this label (根拠不明 or 判定留保),
    each linked to its row."""
    rows = ledger.statements[ledger.statements["label"] == label]
    return "、".join(f"{{ref}}`「{r['quote']}」 <{anchor(r['statement_id'])}>`" for _, r in rows.iterrows())


def headline_numbers(ledger: Ledger) -> dict[str, str]:
    """The title page's headline numbers (glue name -> text), with the checks of
    the sentences that read them: 'N 件' of each group and the share that holds."""
    from analysis import prose

    s = ledger.statements
    hold = verdicts.holding(ledger)
    misleading, wrong = s[s["label"] == "ミスリード"], s[s["label"] == "誤り"]
    prose.check("ミスリードの記述は、数値は合っていても記事の言い方や比較の基準に問題がある",
                misleading["outcome"].isin(["match", "near"]).all()
                and (misleading["findings"].map(len) > 0).all())
    prose.check("誤りの記述は、数値そのものが出典と合わない", (wrong["outcome"] == "off").all())
    prose.check("根拠不明は出典が示されず見つからないもの、判定留保は出典が名指しされても確かめられないもの",
                (s.loc[s["label"] == "根拠不明", "outcome"] == "unsupported").all()
                and (s.loc[s["label"] == "判定留保", "outcome"] == "unconfirmed").all())
    per_label = label_counts(ledger)
    counts = "、".join(f"{label} {text.count(n, '件')}" for label, n in per_label.items() if n)
    return {
        "intro_n": text.count(len(s), "件"),
        "intro_counts": counts,
        "intro_hold_share": (f"{text.count(len(s), '件')}のうち{text.count(len(hold), '件')}"
                             f"（{text.rate(len(hold) / len(s), 0)}）"),
        "intro_misleading": text.count(len(misleading), "件"),
        "intro_wrong": text.count(len(wrong), "件"),
        "intro_unsupported": text.count(per_label["根拠不明"], "件"),
        "intro_unconfirmed": text.count(per_label["判定留保"], "件"),
        "intro_corrected": text.count((s["previous_label"] != "").sum(), "件"),
    }
