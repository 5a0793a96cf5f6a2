"""The chapter on economic security and the K Program (02_kprogram).

The K Program's fund by budget and funding agency, its adoptions by domain, and
amounts to compare with it, all in 億円 (data/observations/kprogram.csv). Derived
values (NEDO's share by subtraction) are labelled as such and cite their inputs.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis import charts, data, text, units


def oku_yen_of(obs: pd.DataFrame, ref: str) -> float:
    """The observation ``ref`` (``series|entity|period``) in 億円, whatever yen unit it is stated in."""
    row = data.lookup(obs, ref)
    return units.to_oku_yen(row["value"], row["unit"])


def fund_breakdown(obs: pd.DataFrame) -> pd.DataFrame:
    """The K Program fund by supplementary budget and funding agency (億円).

    令和3年度補正 splits into JST (sourced) and NEDO (derived: the budget minus
    JST's share, citing both); 令和4年度補正 has no sourced split.
    Columns: 補正予算, 億円, 内訳, 単位, 出典.
    """
    r3 = data.lookup(obs, "kprogram_fund_budget|JP|令和3年度補正")
    r4 = data.lookup(obs, "kprogram_fund_budget|JP|令和4年度補正")
    jst = data.lookup(obs, "kprogram_fund_budget|JST|令和3年度補正")
    r3_oku, jst_oku = units.to_oku_yen(r3["value"], r3["unit"]), units.to_oku_yen(jst["value"], jst["unit"])
    frame = pd.DataFrame({
        "補正予算": [r3["period"], r3["period"], r4["period"]],
        "億円": [jst_oku, r3_oku - jst_oku, units.to_oku_yen(r4["value"], r4["unit"])],
        "内訳": ["JST（出典）", "NEDO（差し引きの算出値）", "機関別の内訳は未確認"],
    })
    return charts.sourced(frame, text.unit_label("oku_yen"),
                    [jst["source"], charts.joined_sources([r3["source"], jst["source"]]), r4["source"]])


def fund_chart(fund: pd.DataFrame) -> alt.Chart:
    budgets = list(dict.fromkeys(fund["補正予算"]))
    return charts.bar(fund, x="補正予算", y="億円", x_title="補正予算", y_title="基金への措置額（億円）",
                      color="内訳", color_title="", sort=budgets,
                      description=f"K Program の基金：{'と'.join(budgets)}の措置額と資金配分機関別の内訳")


ADOPTION_SERIES = {"kprogram_tech_adopted": "採択のあった技術の数", "kprogram_projects_adopted": "採択件数"}


def domain_adoptions(obs: pd.DataFrame) -> pd.DataFrame:
    """Adoptions by domain (the domain rows of both adoption series; the national
    totals, entity JP, are left out). Columns: 領域, 区分, value, period, 単位, 出典."""
    frames = []
    for series_id, name in ADOPTION_SERIES.items():
        rows = data.series(obs, series_id)
        rows = rows[rows["entity"] != "JP"]
        frames.append(pd.DataFrame({
            "領域": [data.entity_label(e) for e in rows["entity"]], "区分": name,
            "value": rows["value"].to_numpy(), "period": rows["period"].to_numpy(),
            charts.UNIT: [text.unit_label(u) for u in rows["unit"]], charts.SOURCE: rows["source"].to_numpy(),
        }))
    return pd.concat(frames, ignore_index=True)


def top_domains(adoptions: pd.DataFrame) -> set[str]:
    """The domain with the most adoptions in each 区分 (one name when they agree)."""
    return {rows.loc[rows["value"].idxmax(), "領域"] for _, rows in adoptions.groupby("区分")}


def domain_chart(adoptions: pd.DataFrame) -> alt.Chart:
    window = adoptions["period"].iloc[0]
    return charts.grouped_bar(adoptions, x="領域", y="value", group="区分", x_title="領域", y_title="数",
                              group_title="", sort=list(dict.fromkeys(adoptions["領域"])),
                              description=f"K Program の領域別の採択：{'と'.join(ADOPTION_SERIES.values())}"
                                          f"（{window}時点）")


def scale_table(obs: pd.DataFrame, items: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Amounts to compare, converted to 億円.

    ``items`` holds (label, reference ``series|entity|period``, nature) triples;
    nature says what kind of amount it is (a multi-year fund or a year's spending),
    because a fund and a yearly flow are not the same quantity.
    Columns: 項目, 性質, 期間, 億円, ラベル, 単位, 出典.
    """
    rows = []
    for label, ref, nature in items:
        row = data.lookup(obs, ref)
        amount = units.to_oku_yen(row["value"], row["unit"])
        rows.append({"項目": label, "性質": nature, "期間": row["period"], "億円": amount,
                     "ラベル": text.amount(amount, "oku_yen"), charts.UNIT: text.unit_label("oku_yen"),
                     charts.SOURCE: row["source"]})
    return pd.DataFrame(rows)


def scale_chart(scale: pd.DataFrame, description: str) -> alt.Chart:
    return charts.bar(scale, x="項目", y="億円", x_title="", y_title="金額（億円）", color="性質",
                      color_title="", labels="ラベル", sort=list(scale["項目"]), description=description)
