//! A project's fields, and those of its split by source of funds.

use super::{Record, opt, text};
use crate::engine::script::reference::{Field, Type};
use crate::input::record::Fund;
use crate::model::view::ProjectRef;
use rhai::{Dynamic, INT};

pub(super) static PROJECT: Record<ProjectRef> = Record {
    name: "Project",
    reached: "`p` in a project rule; each of `unit.projects`",
    fields: PROJECT_FIELDS,
    label: |_| "p".into(),
};

const PROJECT_FIELDS: &[Field<ProjectRef>] = &[
    Field {
        name: "code",
        ty: Type::Text,
        zh: "项目编码",
        doc: "the project's code",
        get: |p| text(&p.0.record.code),
    },
    Field {
        name: "name",
        ty: Type::Text,
        zh: "项目名称",
        doc: "the project's name",
        get: |p| text(&p.0.record.name),
    },
    Field {
        name: "group",
        ty: Type::OrUnit(&Type::Text),
        zh: "",
        doc: "the name of the stated subtotal (`unit.groups`) the project counts in",
        get: |p| opt(p.0.record.group.as_deref().map(text)),
    },
    Field {
        name: "budget_initial",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "年初预算数",
        doc: "the budget approved at the start of the year, 万元",
        get: |p| opt(p.0.record.budget_initial),
    },
    Field {
        name: "budget_adjusted",
        ty: Type::Decimal,
        zh: "全年预算数 / 调整后预算数",
        doc: "the budget after in-year additions and cuts, 万元: the base of the execution rate",
        get: |p| p.0.record.budget_adjusted.into(),
    },
    Field {
        name: "executed",
        ty: Type::Decimal,
        zh: "全年执行数",
        doc: "the money actually spent in the year, 万元",
        get: |p| p.0.record.executed.into(),
    },
    Field {
        name: "unsettled",
        ty: Type::Decimal,
        zh: "跨年度结算",
        doc: "work done this year, to be paid next year, 万元; 0 when not given",
        get: |p| p.0.record.unsettled.into(),
    },
    Field {
        name: "execution_rate",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "执行率",
        doc: "executed / budget_adjusted; `()` when the adjusted budget is zero",
        get: |p| opt(p.0.execution_rate),
    },
    Field {
        name: "deviation_reason",
        ty: Type::Text,
        zh: "偏差原因分析",
        doc: "the unit's own explanation, as written; empty when none",
        get: |p| text(&p.0.record.deviation_reason),
    },
    Field {
        name: "improvement",
        ty: Type::Text,
        zh: "改进措施",
        doc: "the unit's own plan, as written; empty when none",
        get: |p| text(&p.0.record.improvement),
    },
    Field {
        name: "funds",
        ty: Type::ListOf(&Type::Record("Fund")),
        zh: "资金来源",
        doc: "the three amounts split by source (当年财政拨款 / 上年结转 / 其他资金); empty when not split",
        get: |p| Dynamic::from_array(p.0.funds_values.clone()),
    },
    Field {
        name: "funds_executed_total",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "",
        doc: "`executed` summed over `funds`; `()` when there is no split",
        get: |p| opt(p.0.funds_totals.executed),
    },
    Field {
        name: "funds_budget_adjusted_total",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "",
        doc: "`budget_adjusted` summed over `funds`; `()` when there is no split or a source leaves it out",
        get: |p| opt(p.0.funds_totals.budget_adjusted),
    },
    Field {
        name: "funds_budget_initial_total",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "",
        doc: "`budget_initial` summed over `funds`; `()` when there is no split or a source leaves it out",
        get: |p| opt(p.0.funds_totals.budget_initial),
    },
    Field {
        name: "weights_total",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "分值合计",
        doc: "Σ of the indicator rows' weights, when every row has one",
        get: |p| opt(p.0.form_weights.rows_total),
    },
    Field {
        name: "weights_cover_form",
        ty: Type::Bool,
        zh: "",
        doc: "whether the table has a row in every class the unit's scoring form gives points to: a partial table cannot be expected to add up",
        get: |p| p.0.form_weights.covers_every_class.into(),
    },
    Field {
        name: "form_execution_points",
        ty: Type::Decimal,
        zh: "",
        doc: "the points the unit's scoring form gives the execution rate (e.g. 10)",
        get: |p| p.0.form_weights.execution_points.into(),
    },
    Field {
        name: "form_total",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "",
        doc: "the scoring form's total: its execution points plus every indicator class's points",
        get: |p| opt(p.0.form_weights.form_total),
    },
    Field {
        name: "indicators",
        ty: Type::ListOf(&Type::Record("Indicator")),
        zh: "绩效指标",
        doc: "every indicator row, in file order",
        get: |p| Dynamic::from_array(p.0.indicator_values.clone()),
    },
    Field {
        name: "off_target_indicators",
        ty: Type::ListOf(&Type::Record("Indicator")),
        zh: "",
        doc: "the indicators that miss their target (`off_target`): a shortfall, a cost off target either way, a missed deadline or 否, a phrase below the top tier",
        get: |p| Dynamic::from_array(p.0.off_target_indicators.clone()),
    },
    Field {
        name: "above_target_indicators",
        ty: Type::ListOf(&Type::Record("Indicator")),
        zh: "",
        doc: "higher-is-better quantitative indicators, not cost, whose actual exceeds the target",
        get: |p| Dynamic::from_array(p.0.above_target_indicators.clone()),
    },
    Field {
        name: "self_scored_indicators",
        ty: Type::ListOf(&Type::Record("Indicator")),
        zh: "",
        doc: "the rows with a self-reported 得分",
        get: |p| Dynamic::from_array(p.0.self_scored_indicators.clone()),
    },
    Field {
        name: "unreadable_indicators",
        ty: Type::ListOf(&Type::Record("Indicator")),
        zh: "",
        doc: "the rows whose target or actual is missing or unreadable, or whose two values do not compare; not those marked 不适用",
        get: |p| Dynamic::from_array(p.0.unreadable_indicators.clone()),
    },
    Field {
        name: "indicator_count",
        ty: Type::Integer,
        zh: "",
        doc: "the number of indicator rows",
        get: |p| (p.0.indicators.len() as INT).into(),
    },
];

pub(super) static FUND: Record<Fund> = Record {
    name: "Fund",
    reached: "each of `p.funds`",
    fields: FUND_FIELDS,
    label: |f| format!("fund “{}”", f.source),
};

const FUND_FIELDS: &[Field<Fund>] = &[
    Field {
        name: "source",
        ty: Type::Text,
        zh: "资金来源",
        doc: "the source: 当年财政拨款, 上年结转, 其他资金 …",
        get: |f| text(&f.source),
    },
    Field {
        name: "budget_initial",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "年初预算数",
        doc: "the source's initial budget, 万元",
        get: |f| opt(f.budget_initial),
    },
    Field {
        name: "budget_adjusted",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "全年预算数",
        doc: "the source's adjusted budget, 万元",
        get: |f| opt(f.budget_adjusted),
    },
    Field {
        name: "executed",
        ty: Type::Decimal,
        zh: "全年执行数",
        doc: "the source's spending, 万元",
        get: |f| f.executed.into(),
    },
];
