//! The page: the template (`page.html`, filled by minijinja with auto-escaping, so that text
//! from unit files is always escaped) and the view of the gathered figures it reads. Charts
//! and the write-up arrive as HTML already made safe by [`super::charts`] and
//! [`super::writeup_html`].

use super::charts::{self, Bars, Chart};
use super::data::{Figures, Gathered, RATE_BINS, SCORE_BINS};
use crate::engine::cause_catalogue::CATEGORIES;
use crate::engine::rule_set::RuleSet;
use crate::engine::severity::SEVERITIES;
use crate::engine::severity::Severity;
use crate::number_text;
use crate::output::ranking::category_label;
use crate::score::ranking;
use minijinja::{Environment, Value, context};
use serde::Serialize;
use std::io::{self, Write};

/// Past this many units, per-unit sections start collapsed, so that a large report opens on
/// its overview and a browser lays out only the sections a reader opens.
const COLLAPSE_AFTER: usize = 200;
/// How many of the lowest-scoring units and of the most common causes the overview lists.
const LOWEST: usize = 10;
const TOP_CAUSES: usize = 10;

const TEMPLATE: &str = include_str!("page.html");

#[derive(Serialize)]
struct ChartView {
    title: String,
    svg: Value,
    bars: usize,
}

impl ChartView {
    fn new(title: &str, chart: Chart) -> ChartView {
        ChartView {
            title: title.to_string(),
            svg: Value::from_safe_string(chart.svg),
            bars: chart.bars,
        }
    }
}

#[derive(Serialize)]
struct FiguresView {
    units: usize,
    projects: usize,
    budget: String,
    below_90: usize,
    unscored: usize,
    grades: Vec<(String, usize)>,
    charts: Vec<ChartView>,
    causes: Vec<(String, usize)>,
}

fn counts(values: &[usize]) -> Vec<f64> {
    values.iter().map(|n| *n as f64).collect()
}

fn figures_view(figures: &Figures, rule_set: &RuleSet) -> FiguresView {
    let score_labels: Vec<String> = (0..SCORE_BINS)
        .map(|i| format!("{}–{}", i * 10, i * 10 + 10))
        .collect();
    let mut rate_labels: Vec<String> = (0..RATE_BINS - 1)
        .map(|i| format!("{}–{}%", i * 10, i * 10 + 10))
        .collect();
    rate_labels.push("≥100%".into());
    let category_labels: Vec<String> = CATEGORIES
        .iter()
        .map(|c| category_label(c).to_string())
        .collect();
    let severity_labels: Vec<String> = SEVERITIES
        .iter()
        .map(|s| Severity::of(s).map_or(*s, Severity::label).to_string())
        .collect();
    let charts = vec![
        ChartView::new(
            "单位得分分布",
            charts::bars(&Bars {
                labels: &score_labels,
                values: &counts(&figures.scores),
                marker: None,
            }),
        ),
        ChartView::new(
            "预算执行率分布",
            charts::bars(&Bars {
                labels: &rate_labels,
                values: &counts(&figures.rates),
                marker: Some((9.0, "90%")),
            }),
        ),
        ChartView::new(
            "问题类别",
            charts::bars(&Bars {
                labels: &category_labels,
                values: &counts(&figures.categories),
                marker: None,
            }),
        ),
        ChartView::new(
            "问题严重程度",
            charts::bars(&Bars {
                labels: &severity_labels,
                values: &counts(&figures.severities),
                marker: None,
            }),
        ),
    ];
    FiguresView {
        units: figures.units,
        projects: figures.projects,
        budget: figures
            .budget
            .map_or("（合计超出可计算范围）".into(), number_text::wan),
        below_90: figures.below_90,
        unscored: figures.unscored,
        grades: figures.grade_counts(),
        charts,
        causes: figures
            .top_causes(TOP_CAUSES)
            .into_iter()
            .map(|(code, n)| {
                let label = rule_set
                    .causes
                    .cause(code)
                    .map_or(code.to_string(), |c| c.label.clone());
                (label, n)
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct RankRow {
    rank: usize,
    anchor: String,
    code: String,
    name: String,
    score: String,
    grade: String,
    rate: String,
    findings: usize,
    #[serde(skip)]
    scored: bool,
}

#[derive(Serialize)]
struct SectionView {
    anchor: String,
    code: String,
    name: String,
    department: Option<String>,
    score: String,
    grade: String,
    rate: String,
    writeup: Value,
    chart: ChartView,
}

/// Writes the page for everything gathered.
pub fn write(out: &mut dyn Write, mut gathered: Gathered, rule_set: &RuleSet) -> io::Result<()> {
    ranking::rank(&mut gathered.summaries);
    let anchors: std::collections::HashMap<&str, &str> = gathered
        .sections
        .iter()
        .map(|s| (s.code.as_str(), s.anchor.as_str()))
        .collect();
    let rows: Vec<RankRow> = gathered
        .summaries
        .iter()
        .map(|s| RankRow {
            rank: s.rank,
            anchor: anchors
                .get(s.code.as_str())
                .copied()
                .unwrap_or_default()
                .to_string(),
            code: s.code.clone(),
            name: s.name.clone(),
            score: s.score.map_or("—".into(), |v| number_text::fixed(v, 2)),
            grade: s.grade.clone().unwrap_or_else(|| "未评分".into()),
            rate: s.execution_rate.map_or("—".into(), number_text::pct),
            findings: s.by_severity.values().iter().sum(),
            scored: s.score.is_some(),
        })
        .collect();
    // The lowest scores are the last scored rows, lowest first.
    let lowest: Vec<&RankRow> = rows
        .iter()
        .filter(|r| r.scored)
        .rev()
        .take(LOWEST)
        .collect();
    let overall = figures_view(&gathered.overall, rule_set);
    let departments: Vec<(String, FiguresView)> = gathered
        .departments
        .iter()
        .map(|(name, figures)| (name.clone(), figures_view(figures, rule_set)))
        .collect();
    let collapsed = gathered.sections.len() > COLLAPSE_AFTER;
    let sections: Vec<SectionView> = gathered
        .sections
        .into_iter()
        .map(|s| SectionView {
            anchor: s.anchor,
            code: s.code,
            name: s.name,
            department: s.department,
            score: s.score,
            grade: s.grade,
            rate: s.rate,
            writeup: Value::from_safe_string(s.writeup),
            chart: ChartView::new("各项目预算数与执行数（万元）", s.projects),
        })
        .collect();
    let mut env = Environment::new();
    env.add_template("page.html", TEMPLATE)
        .map_err(|e| io::Error::other(format!("the report template is broken: {e}")))?;
    let template = env
        .get_template("page.html")
        .map_err(|e| io::Error::other(e.to_string()))?;
    let context = context! {
        overall => overall,
        departments => departments,
        ranking => rows,
        lowest => lowest,
        sections => sections,
        collapsed => collapsed,
    };
    let page = template
        .render(context)
        .map_err(|e| io::Error::other(format!("cannot render the report: {e}")))?;
    out.write_all(page.as_bytes())
}
