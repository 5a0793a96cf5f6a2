"""The claims ledger (検証台帳) as the book shows it: each claim's stated and
computed values in the article's units, the chapter tables, and the whole
ledger as a sortable, filterable table (HTML) or a plain table (PDF)."""

from __future__ import annotations

import math

import pandas as pd

from analysis import claims, data, fmt, units
from analysis.book import CHAPTER_TITLES, markdown_table, short_title


def computed_text(row: pd.Series) -> str:
    """The computed value of a ledger row in the claim's unit ('—' when none)."""
    unit = row["unit"]
    if row["metric"] == "change" and unit == "rank" and not math.isnan(row["computed"]):
        steps = int(round(abs(row["computed"])))
        return f"{steps}位{'下落' if row['computed'] > 0 else '上昇'}" if steps else "変化なし"
    if row["metric"] == "cagr":
        return "—" if math.isnan(row["computed"]) else fmt.pct(row["computed"])
    if row["metric"] == "share":
        return "—" if math.isnan(row["computed"]) else fmt.pct(row["computed"])
    return units.amount(row["computed"], unit)


def stated_text(row: pd.Series) -> str:
    """The article's stated value (with a range's upper end and the comparison)."""
    if row["comparison"] in ("increasing", "decreasing"):
        if row["unit"] == "rank":  # a rising rank number is a falling position
            return "順位が下がる" if row["comparison"] == "increasing" else "順位が上がる"
        return "上昇" if row["comparison"] == "increasing" else "低下"
    if row["comparison"] == "none" and (isinstance(row["stated"], float) and math.isnan(row["stated"])):
        return "—"
    text = units.amount(row["stated"], row["unit"])
    if row["comparison"] == "range" or not data.missing(row["stated_high"]):
        text += "〜" + units.amount(row["stated_high"], row["unit"])
    if row["comparison"] == "at_least":
        text += "以上"
    if row["comparison"] == "at_most":
        text += "以下"
    return text


def reason_text(row: pd.Series) -> str:
    """A ledger row's reason, followed by its sourced finding if it has one."""
    return row["reason"] + (f"：{row['finding_note']}" if row["finding_note"] else "")


def chapter_claims(ledger: pd.DataFrame, chapter: str) -> pd.DataFrame:
    """The ledger rows of one chapter, formatted for reading."""
    rows = ledger[ledger["chapter"] == chapter]
    if rows.empty:
        raise KeyError(f"no claims for chapter {chapter!r}")
    return pd.DataFrame({
        "ID": rows["claim_id"],
        "記事の記述": rows["quote"],
        "記事の値": [stated_text(r) for _, r in rows.iterrows()],
        "計算値": [computed_text(r) for _, r in rows.iterrows()],
        "判定": rows["verdict"],
        "理由": [reason_text(r) for _, r in rows.iterrows()],
    })


LEDGER_SCRIPT = """
(function () {
  var root = document.getElementById("%(id)s");
  if (!root) { return; }
  var table = root.querySelector("table"), body = table.tBodies[0];
  var search = root.querySelector("input"), select = root.querySelector("select");
  var count = root.querySelector(".ledger-count");
  function apply() {
    var q = search.value.trim().toLowerCase(), v = select.value, shown = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var ok = (!q || row.textContent.toLowerCase().indexOf(q) >= 0) &&
               (!v || row.getAttribute("data-verdict") === v);
      row.style.display = ok ? "" : "none";
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " / " + body.rows.length + " 件";
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    th.style.cursor = "pointer";
    th.title = "クリックで並べ替え";
    th.addEventListener("click", function () {
      var asc = th.getAttribute("data-sort") !== "asc";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) {
        c.removeAttribute("data-sort");
      });
      th.setAttribute("data-sort", asc ? "asc" : "desc");
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
  select.addEventListener("change", apply);
  apply();
})();
"""


class LedgerTable:
    """The claims ledger: a sortable, filterable HTML table in the book (plain
    script, no library, works offline) and a Markdown table in the PDF."""

    def __init__(self, frame: pd.DataFrame, verdicts: tuple[str, ...], links: dict[str, str]) -> None:
        self.frame = frame
        self.verdicts = verdicts
        self.links = links

    def __repr__(self) -> str:
        return f"<検証台帳: {len(self.frame)}件の主張>"

    def _repr_markdown_(self) -> str:
        return markdown_table(self.frame)

    def _repr_html_(self) -> str:
        import html as h

        element = "ledger-table"
        options = "".join(f'<option value="{h.escape(v)}">{h.escape(v)}</option>' for v in self.verdicts)
        head = "".join(f"<th>{h.escape(str(c))}</th>" for c in self.frame.columns)
        rows = []
        for _, row in self.frame.iterrows():
            cells = []
            for col, value in row.items():
                text = h.escape(str(value))
                if col == "章" and value in self.links:
                    text = f'<a href="{self.links[value]}">{text}</a>'
                cells.append(f"<td>{text}</td>")
            rows.append(f'<tr data-verdict="{h.escape(row["判定"])}">' + "".join(cells) + "</tr>")
        return (
            f'<div id="{element}" class="ledger">'
            '<p><label>絞り込み：<input type="search" placeholder="語句で絞り込む"/></label> '
            f'<label>判定：<select><option value="">すべて</option>{options}</select></label> '
            '<span class="ledger-count"></span></p>'
            f'<table class="table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            f"</div><script>{LEDGER_SCRIPT % {'id': element}}</script>"
        )


def ledger_table(ledger: pd.DataFrame) -> LedgerTable:
    """Every claim of the article in one table, in the article's order."""
    frame = pd.DataFrame({
        "ID": ledger["claim_id"],
        "章": [short_title(c) for c in ledger["chapter"]],
        "記事の記述": ledger["quote"],
        "記事の値": [stated_text(r) for _, r in ledger.iterrows()],
        "計算値": [computed_text(r) for _, r in ledger.iterrows()],
        "判定": ledger["verdict"],
        "出典": ledger["source"].where(ledger["source"] != "", "—"),
        "理由": [reason_text(r) for _, r in ledger.iterrows()],
    })
    links = {short_title(c): f"../{c}.html" for c in CHAPTER_TITLES}
    return LedgerTable(frame, claims.VERDICTS, links)
