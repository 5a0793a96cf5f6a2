"""The chapter on economic security and the K Program (02_kprogram).

The K Program's fund by budget and funding agency, its adoptions by domain, and
amounts to compare with it, all in 億円 (data/observations/kprogram.csv). Derived
values (NEDO's share by subtraction) are labelled as such and cite their inputs.

The ``glue_*`` functions glue the chapter's sourced values for its prose with
:mod:`analysis.glue` and :mod:`analysis.text`, each under its name written out
(so that a name in the prose finds the code that makes it); the notebook keeps
the comparisons and the checks of its sentences (:func:`analysis.prose.check`).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis import charts, data, glue, growth, text, units


def oku_yen(row: pd.Series) -> float:
    """An observation row (``value``, ``unit`` a yen unit) in 億円: 2 兆円 -> 20000."""
    return units.to_oku_yen(row["value"], row["unit"])


def oku_yen_of(obs: pd.DataFrame, ref: str) -> float:
    """The observation ``ref`` (``series|entity|period``) in 億円, whatever yen unit it is stated in."""
    return oku_yen(data.lookup(obs, ref))


def cited_table(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """A data table for display: its ``source`` keys as {cite} roles, its columns
    renamed (``columns``: English name -> Japanese heading)."""
    return frame.assign(source=[text.cite(s) for s in frame["source"]]).rename(columns=columns)


def timeline_table() -> pd.DataFrame:
    """The timeline of the economic security act and the K Program (data table
    kp_timeline): 時期, 出来事, 出典."""
    return cited_table(data.table("kp_timeline"), {"date": "時期", "event": "出来事", "source": "出典"})


def dualuse_table() -> pd.DataFrame:
    """What the sources say on dual use and on preventing technology leaks (data
    table kp_dualuse): 論点, 出典が示す内容, 出典."""
    return cited_table(data.table("kp_dualuse"),
                       {"topic": "論点", "point": "出典が示す内容", "source": "出典"})


# ---- the act and the fund ------------------------------------------------------

ACT_EVENTS = {  # name -> reference (series|entity|period) of each event's year
    "enacted": "econsec_act_enacted|JP|2022年5月",
    "tech_in_force": "econsec_act_tech_in_force|JP|2022年8月",
    "full_operation": "econsec_act_full_operation|JP|2024年5月",
    "created": "kprogram_created|JP|2021年度",
}


def act_events(obs: pd.DataFrame) -> pd.DataFrame:
    """The economic security act's enactment, the entry into force of its support
    for critical technologies, the start of all its schemes, and the K Program's
    creation: rows named as in ACT_EVENTS, columns ``period`` (the date as the
    source gives it) and ``value`` (its year)."""
    rows = {name: data.lookup(obs, ref) for name, ref in ACT_EVENTS.items()}
    return pd.DataFrame({"period": [r["period"] for r in rows.values()],
                         "value": [r["value"] for r in rows.values()]}, index=list(rows))


def glue_act_events(events: pd.DataFrame) -> None:
    """Glue the dates of :func:`act_events` as the sources give them: kp_enacted,
    kp_tech_in_force, kp_full_operation, kp_created."""
    glue.text("kp_enacted", events.loc["enacted", "period"])
    glue.text("kp_tech_in_force", events.loc["tech_in_force", "period"])
    glue.text("kp_full_operation", events.loc["full_operation", "period"])
    glue.text("kp_created", events.loc["created", "period"])


def glue_fund(obs: pd.DataFrame) -> tuple[float, float, float, float]:
    """Glue the fund's two supplementary budgets (kp_r3_label, kp_r3, kp_r4_label,
    kp_r4) as the source gave them, their total (kp_total) and the target of
    骨太方針2022 (kp_target). Returns the four amounts in 億円: 令和3年度補正,
    令和4年度補正, the sourced total and the target."""
    r3 = data.lookup(obs, "kprogram_fund_budget|JP|令和3年度補正")
    r4 = data.lookup(obs, "kprogram_fund_budget|JP|令和4年度補正")
    total = oku_yen_of(obs, "kprogram_fund_budget|JP|令和3・4年度補正の合計")
    target = oku_yen_of(obs, "kprogram_fund_target|JP|骨太方針2022")
    glue.text("kp_r3_label", r3["period"] + "予算")
    glue.given("kp_r3", r3)
    glue.text("kp_r4_label", r4["period"] + "予算")
    glue.given("kp_r4", r4)
    glue.amount("kp_total", total, "oku_yen")
    glue.amount("kp_target", target, "oku_yen")
    return oku_yen(r3), oku_yen(r4), total, target


def split_budgets(obs: pd.DataFrame) -> set[str]:
    """The supplementary budgets whose split by funding agency a source gives
    (the periods of the fund's rows for an agency, not JP)."""
    return set(data.series(obs, "kprogram_fund_budget").query("entity != 'JP'")["period"])


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
    """Stacked bars of :func:`fund_breakdown`: each supplementary budget (億円) by agency."""
    budgets = list(dict.fromkeys(fund["補正予算"]))
    return charts.bar(fund, x="補正予算", y="億円", x_title="補正予算", y_title="基金への措置額（億円）",
                      color="内訳", color_title="", sort=budgets,
                      description=f"K Program の基金：{'と'.join(budgets)}の措置額と資金配分機関別の内訳")


def glue_spending(spent: pd.Series, jst_r3: float, total: float) -> None:
    """Glue the first year's spending of MEXT's (JST's) part of the fund as the
    source gave it (kp_spent, its fiscal year kp_spent_year) and as a share of
    JST's 令和3年度補正 part (kp_spent_share_jst, 2 decimals) and of the whole
    fund (kp_spent_share_total, 3 decimals). ``jst_r3`` and ``total`` in 億円."""
    glue.text("kp_spent_year", text.period(spent["period"]))
    glue.given("kp_spent", spent)
    glue.text("kp_spent_share_jst", text.rate(growth.share(oku_yen(spent), jst_r3), 2))
    glue.text("kp_spent_share_total", text.rate(growth.share(oku_yen(spent), total), 3))


# ---- domains and technologies ----------------------------------------------------


def glue_domains(obs: pd.DataFrame) -> None:
    """Glue the number of domains (kp_domains, dated kp_domains_label) and the
    critical technologies designated in the first and second vision (kp_tech_1,
    kp_tech_2, the second dated kp_tech_2_label) as the source gave them,
    and their sum (kp_tech_total, 算出値). Source: PwC (kprogram.csv)."""
    domains = data.lookup(obs, "kprogram_domains|JP|2022年9月")
    tech = data.series(obs, "kprogram_tech_designated", "JP")
    glue.text("kp_domains_label", domains["period"])
    glue.given("kp_domains", domains)
    glue.ends(tech, first="kp_tech_1", last="kp_tech_2", last_period="kp_tech_2_label")
    glue.amount("kp_tech_total", tech["value"].sum(), tech["unit"].iloc[0])


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
    """Grouped bars of :func:`domain_adoptions`: per domain, technologies with an adoption and adoptions."""
    window = adoptions["period"].iloc[0]
    return charts.grouped_bar(adoptions, x="領域", y="value", group="区分", x_title="領域", y_title="数",
                              group_title="", sort=list(dict.fromkeys(adoptions["領域"])),
                              description=f"K Program の領域別の採択：{'と'.join(ADOPTION_SERIES.values())}"
                                          f"（{window}時点）")


# ---- scale ------------------------------------------------------------------------


def glue_rd_by_purpose(obs: pd.DataFrame, total: float) -> None:
    """Glue Japan's R&D spending on AI and on quantum technology in FY2022, all
    sectors (kp_rd_ai, kp_rd_q, their year kp_rd_year), and in FY2023, universities
    only (kp_univ_ai, kp_univ_q, kp_univ_year), as the sources gave them (総務省
    科学技術研究調査); and the fund's ``total`` (億円) as a multiple of the FY2022
    AI spending (kp_ratio_ai) and of AI and quantum together (kp_ratio_aiq)."""
    ai = data.lookup(obs, "rd_by_purpose_ai|JP|FY2022")
    quantum = data.lookup(obs, "rd_by_purpose_quantum|JP|FY2022")
    univ_ai = data.lookup(obs, "rd_by_purpose_ai_univ|JP|FY2023")
    glue.text("kp_rd_year", text.period(ai["period"]))
    glue.given("kp_rd_ai", ai)
    glue.given("kp_rd_q", quantum)
    glue.change("kp_ratio_ai", oku_yen(ai), total, how="multiple")
    glue.change("kp_ratio_aiq", oku_yen(ai) + oku_yen(quantum), total, how="multiple")
    glue.text("kp_univ_year", text.period(univ_ai["period"]))
    glue.given("kp_univ_ai", univ_ai)
    glue.text("kp_univ_q", text.observation(obs, "rd_by_purpose_quantum_univ|JP|FY2023"))


def glue_other_funds(obs: pd.DataFrame, total: float) -> float:
    """Glue the green innovation fund (kp_gi) and the university fund's target
    (kp_univfund) as the sources gave them, and the green innovation fund as a
    multiple of the K Program's ``total`` (kp_ratio_gi). Returns the green
    innovation fund in 億円."""
    green = oku_yen_of(obs, "gi_fund_budget|JP|令和2年度第3次補正")
    glue.text("kp_gi", text.observation(obs, "gi_fund_budget|JP|令和2年度第3次補正"))
    glue.change("kp_ratio_gi", total, green, how="multiple")
    glue.text("kp_univfund", text.observation(obs, "univ_fund_target|JP|2020年12月決定"))
    return green


SCALE_ITEMS = [  # (label, reference series|entity|period, nature) of the amounts compared with the fund
    ("K Program 基金", "kprogram_fund_budget|JP|令和3・4年度補正の合計", "基金（複数年度）"),
    ("グリーンイノベーション基金", "gi_fund_budget|JP|令和2年度第3次補正", "基金（複数年度）"),
    ("AI の研究費", "rd_by_purpose_ai|JP|FY2022", "研究費（年間）"),
    ("量子技術の研究費", "rd_by_purpose_quantum|JP|FY2022", "研究費（年間）"),
]


def amounts_table(obs: pd.DataFrame, items: list[tuple[str, str, str]] = SCALE_ITEMS) -> pd.DataFrame:
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


def scale_chart(scale: pd.DataFrame) -> alt.Chart:
    """Bars of :func:`amounts_table` (億円), coloured by the nature of each amount; the
    description names the period of the research spending (the table's last row)."""
    description = (f"K Program の基金、グリーンイノベーション基金、{text.period(scale['期間'].iloc[-1])}の"
                   "AIと量子技術の研究費（億円）")
    return charts.bar(scale, x="項目", y="億円", x_title="", y_title="金額（億円）", color="性質",
                      color_title="", labels="ラベル", sort=list(scale["項目"]), description=description)
