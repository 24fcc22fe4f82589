//! The page: the templates (`page.html` and `unit.html`, filled by minijinja with
//! auto-escaping, so that text from unit files is always escaped) and the views they read.
//! Charts and the write-up arrive as HTML already made safe by [`super::charts`] and
//! [`super::writeup_html`]. Sections are rendered as units arrive (see [`super::data`]); the
//! page is rendered at the end around them, its sections spliced in from the spool in ranking
//! order — only the lowest-ranked units' and those asked for by code when the batch is larger
//! than the `--details` limit.

use super::charts::{self, Bars, Chart};
use super::data::{Entry, Figures, Gathered, RATE_BINS, SCORE_BINS, UnitSection};
use crate::engine::cause_catalogue::CATEGORIES;
use crate::engine::rule_set::RuleSet;
use crate::engine::severity::SEVERITIES;
use crate::engine::severity::Severity;
use crate::number_text;
use crate::output::ranking::category_label;
use crate::score::ranking;
use minijinja::{Environment, Value, context};
use serde::Serialize;
use std::collections::BTreeSet;
use std::io::{self, Write};
use std::str::FromStr;

/// Past this many sections, or when some units have none, sections start collapsed, so that
/// a large report opens on its overview and a browser lays out only the sections a reader
/// opens.
const COLLAPSE_AFTER: usize = 200;
/// How many units get a full section by default: the lowest-ranked.
pub const DEFAULT_DETAILS: usize = 200;
/// How many of the lowest-scoring units and of the most common causes the overview lists.
const LOWEST: usize = 10;
const TOP_CAUSES: usize = 10;

const PAGE: &str = include_str!("page.html");
const UNIT: &str = include_str!("unit.html");
/// A section's opening tag, written when the section is spliced in: whether it starts
/// collapsed is only known once the batch is over.
const UNIT_OPENING: &str =
    r#"<details class="unit" id="{{ anchor }}"{% if not collapsed %} open{% endif %}>"#;
/// Where the sections go in the rendered page. Text from unit files is escaped, so it cannot
/// forge this comment.
const SECTIONS_HERE: &str = "<!--jixiao:sections-->";

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

/// Which units get a full section (`--details`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Details {
    All,
    /// The N lowest-ranked units.
    Lowest(usize),
}

impl FromStr for Details {
    type Err = String;

    fn from_str(text: &str) -> Result<Details, String> {
        if text == "all" {
            return Ok(Details::All);
        }
        text.parse().map(Details::Lowest).map_err(|_| {
            format!("`{text}` is not a number of units or `all` (such as --details 200)")
        })
    }
}

impl std::fmt::Display for Details {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Details::All => f.write_str("all"),
            Details::Lowest(n) => write!(f, "{n}"),
        }
    }
}

/// The units shown in full: the `details` lowest-ranked, and those named by code.
#[derive(Debug, Clone)]
pub struct Selection {
    pub details: Details,
    pub units: Vec<String>,
}

fn environment() -> io::Result<Environment<'static>> {
    let mut env = Environment::new();
    for (name, source) in [
        ("page.html", PAGE),
        ("unit.html", UNIT),
        ("unit-opening.html", UNIT_OPENING),
    ] {
        env.add_template(name, source)
            .map_err(|e| io::Error::other(format!("the report template is broken: {e}")))?;
    }
    Ok(env)
}

fn render(env: &Environment, name: &str, context: Value) -> io::Result<String> {
    env.get_template(name)
        .and_then(|t| t.render(context))
        .map_err(|e| io::Error::other(format!("cannot render the report: {e}")))
}

/// Renders one unit's section (everything inside its `<details>`).
pub struct SectionTemplate {
    env: Environment<'static>,
}

impl SectionTemplate {
    pub fn new() -> io::Result<SectionTemplate> {
        Ok(SectionTemplate {
            env: environment()?,
        })
    }

    pub fn render(&self, section: UnitSection) -> io::Result<String> {
        let unit = context! {
            code => section.code,
            name => section.name,
            department => section.department,
            score => section.score,
            grade => section.grade,
            rate => section.rate,
            writeup => Value::from_safe_string(section.writeup),
            chart => ChartView::new("各项目预算数与执行数（万元）", section.projects),
        };
        render(&self.env, "unit.html", context! { unit => unit })
    }
}

#[derive(Serialize)]
struct RankRow {
    rank: usize,
    /// The id of its section; empty when the report has none for it.
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

/// Writes the page for everything gathered; the codes asked for (`--unit`) that no unit of
/// the batch has.
pub fn write(
    out: &mut dyn Write,
    gathered: Gathered,
    rule_set: &RuleSet,
) -> io::Result<Vec<String>> {
    let Gathered {
        overall,
        departments,
        mut units,
        spool,
        selection,
        ..
    } = gathered;
    units.sort_by(|a, b| ranking::order(&a.summary, &b.summary));
    let asked: BTreeSet<&str> = selection.units.iter().map(String::as_str).collect();
    let lowest_from = match selection.details {
        Details::All => 0,
        Details::Lowest(n) => units.len().saturating_sub(n),
    };
    let detailed: Vec<bool> = units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            u.section.is_some() && (i >= lowest_from || asked.contains(u.summary.code.as_str()))
        })
        .collect();
    let missing: Vec<String> = asked
        .iter()
        .filter(|code| !units.iter().any(|u| u.summary.code == **code))
        .map(|code| code.to_string())
        .collect();
    let rows: Vec<RankRow> = units
        .iter()
        .zip(&detailed)
        .enumerate()
        .map(|(i, (u, detailed))| rank_row(i + 1, u, *detailed))
        .collect();
    // The lowest scores are the last scored rows, lowest first.
    let lowest: Vec<&RankRow> = rows
        .iter()
        .filter(|r| r.scored)
        .rev()
        .take(LOWEST)
        .collect();
    let sections = detailed.iter().filter(|d| **d).count();
    let left_out = units.len().saturating_sub(sections);
    let collapsed = left_out > 0 || sections > COLLAPSE_AFTER;
    let env = environment()?;
    let page = render(
        &env,
        "page.html",
        context! {
            overall => figures_view(&overall, rule_set),
            departments => departments
                .iter()
                .map(|(name, figures)| (name.clone(), figures_view(figures, rule_set)))
                .collect::<Vec<_>>(),
            ranking => rows,
            lowest => lowest,
            sections => sections,
            left_out => left_out,
            lowest_detailed => units.len().saturating_sub(lowest_from),
            asked => !asked.is_empty(),
            sections_here => Value::from_safe_string(SECTIONS_HERE.into()),
        },
    )?;
    let (head, tail) = page
        .split_once(SECTIONS_HERE)
        .ok_or_else(|| io::Error::other("the report template has no place for the sections"))?;
    out.write_all(head.as_bytes())?;
    let mut spooled = spool.finish()?;
    for (unit, range) in units
        .iter()
        .zip(&detailed)
        .filter(|(_, d)| **d)
        .filter_map(|(u, _)| u.section.as_ref().map(|range| (u, range)))
    {
        let open = render(
            &env,
            "unit-opening.html",
            context! { anchor => unit.anchor, collapsed => collapsed },
        )?;
        out.write_all(open.as_bytes())?;
        spooled.copy(range, out)?;
        out.write_all(b"</details>\n")?;
    }
    out.write_all(tail.as_bytes())?;
    Ok(missing)
}

fn rank_row(rank: usize, unit: &Entry, detailed: bool) -> RankRow {
    let s = &unit.summary;
    RankRow {
        rank,
        anchor: if detailed {
            unit.anchor.clone()
        } else {
            String::new()
        },
        code: s.code.clone(),
        name: s.name.clone(),
        score: s.score.map_or("—".into(), |v| number_text::fixed(v, 2)),
        grade: s.grade.clone().unwrap_or_else(|| "未评分".into()),
        rate: s.execution_rate.map_or("—".into(), number_text::pct),
        findings: s.by_severity.values().iter().sum(),
        scored: s.score.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::Details;

    #[test]
    fn details_is_a_number_of_units_or_all() {
        assert_eq!("all".parse(), Ok(Details::All));
        assert_eq!("0".parse(), Ok(Details::Lowest(0)));
        assert_eq!(
            "200".parse::<Details>().map(|d| d.to_string()),
            Ok("200".into())
        );
        let error = "most".parse::<Details>().unwrap_err();
        assert!(error.contains("`most`") && error.contains("all"), "{error}");
    }
}
