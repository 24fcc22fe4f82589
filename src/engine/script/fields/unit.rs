//! The unit's fields and those of its parts: budget, cost controls, staff, institutions,
//! basic expenditure and the stated group subtotals.

use super::{Record, opt, text};
use crate::engine::script::reference::{Field, Type};
use crate::input::record::{Basic, CostControl, Institutions, Staff, UnitBudget};
use crate::model::view::{GroupView, UnitRef};
use rhai::{Dynamic, INT, Map};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

fn strings(items: &[String]) -> Dynamic {
    Dynamic::from_array(items.iter().map(|s| text(s)).collect())
}

fn map_of<V: Clone + Into<Dynamic>>(m: &BTreeMap<String, V>) -> Dynamic {
    Dynamic::from_map(
        m.iter()
            .map(|(k, v)| (k.as_str().into(), v.clone().into()))
            .collect::<Map>(),
    )
}

/// The total of a split, `()` when it is empty or leaves Decimal's range.
fn total<'a>(values: impl ExactSizeIterator<Item = &'a Decimal>) -> Dynamic {
    if values.len() == 0 {
        return Dynamic::UNIT;
    }
    opt(crate::model::view::checked_sum(values.map(|v| Some(*v))))
}

pub(super) static UNIT: Record<UnitRef> = Record {
    name: "Unit",
    reached: "`unit` in every rule",
    fields: UNIT_FIELDS,
    label: |_| "unit".into(),
};

const UNIT_FIELDS: &[Field<UnitRef>] = &[
    Field {
        name: "code",
        ty: Type::Text,
        zh: "单位编码",
        doc: "the unit's code, unique within a batch",
        get: |u| text(&u.0.record.code),
    },
    Field {
        name: "name",
        ty: Type::Text,
        zh: "单位名称",
        doc: "the unit's name",
        get: |u| text(&u.0.record.name),
    },
    Field {
        name: "year",
        ty: Type::OrUnit(&Type::Integer),
        zh: "年度",
        doc: "the report year",
        get: |u| opt(u.0.record.year),
    },
    Field {
        name: "budget",
        ty: Type::OrUnit(&Type::Record("UnitBudget")),
        zh: "部门整体资金",
        doc: "the unit's whole budget with its two splits",
        get: |u| opt(u.0.record.budget.clone().map(Dynamic::from)),
    },
    Field {
        name: "cost_controls",
        ty: Type::ListOf(&Type::Record("CostControl")),
        zh: "经费控制情况",
        doc: "the cost-control lines (三公经费, 公用经费, 会议费 …); empty when the report gives none",
        get: |u| {
            Dynamic::from_array(
                u.0.record
                    .cost_controls
                    .iter()
                    .cloned()
                    .map(Dynamic::from)
                    .collect(),
            )
        },
    },
    Field {
        name: "staff",
        ty: Type::OrUnit(&Type::Record("Staff")),
        zh: "人员情况",
        doc: "the head counts",
        get: |u| opt(u.0.record.staff.clone().map(Dynamic::from)),
    },
    Field {
        name: "institutions",
        ty: Type::OrUnit(&Type::Record("Institutions")),
        zh: "机构情况",
        doc: "the stated institution counts beside the names listed",
        get: |u| opt(u.0.record.institutions.clone().map(Dynamic::from)),
    },
    Field {
        name: "basic",
        ty: Type::OrUnit(&Type::Record("Basic")),
        zh: "基本支出",
        doc: "basic expenditure and its two parts",
        get: |u| opt(u.0.record.basic.clone().map(Dynamic::from)),
    },
    Field {
        name: "groups",
        ty: Type::ListOf(&Type::Record("Group")),
        zh: "",
        doc: "the subtotals the report states over projects (勾稽), each beside what its listed projects add up to",
        get: |u| Dynamic::from_array(u.0.group_values.clone()),
    },
    Field {
        name: "projects",
        ty: Type::ListOf(&Type::Record("Project")),
        zh: "项目支出",
        doc: "every project of the unit, in file order",
        get: |u| Dynamic::from_array(u.0.project_values.clone()),
    },
    Field {
        name: "ungrouped_projects",
        ty: Type::ListOf(&Type::Object("#{project, group}")),
        zh: "",
        doc: "the projects whose `group` names no declared group: the project's code and the group it names",
        get: |u| {
            let strays = u.0.ungrouped.iter().map(|(code, group)| {
                let mut stray = Map::new();
                stray.insert("project".into(), text(code));
                stray.insert("group".into(), text(group));
                Dynamic::from_map(stray)
            });
            Dynamic::from_array(strays.collect())
        },
    },
];

pub(super) static GROUP: Record<GroupView> = Record {
    name: "Group",
    reached: "each of `unit.groups`",
    fields: GROUP_FIELDS,
    label: |g| format!("group “{}”", g.name),
};

pub(super) static BUDGET: Record<UnitBudget> = Record {
    name: "UnitBudget",
    reached: "`unit.budget`",
    fields: BUDGET_FIELDS,
    label: |_| "unit.budget".into(),
};

pub(super) static COST_CONTROL: Record<CostControl> = Record {
    name: "CostControl",
    reached: "each of `unit.cost_controls`",
    fields: COST_CONTROL_FIELDS,
    label: |c| format!("cost control “{}”", c.name),
};

pub(super) static STAFF: Record<Staff> = Record {
    name: "Staff",
    reached: "`unit.staff`",
    fields: STAFF_FIELDS,
    label: |_| "unit.staff".into(),
};

pub(super) static INSTITUTIONS: Record<Institutions> = Record {
    name: "Institutions",
    reached: "`unit.institutions`",
    fields: INSTITUTIONS_FIELDS,
    label: |_| "unit.institutions".into(),
};

pub(super) static BASIC: Record<Basic> = Record {
    name: "Basic",
    reached: "`unit.basic`",
    fields: BASIC_FIELDS,
    label: |_| "unit.basic".into(),
};

const GROUP_FIELDS: &[Field<GroupView>] = &[
    Field {
        name: "name",
        ty: Type::Text,
        zh: "",
        doc: "the subtotal's name, e.g. 一般公共预算财政拨款项目",
        get: |g| text(&g.name),
    },
    Field {
        name: "stated_count",
        ty: Type::OrUnit(&Type::Integer),
        zh: "",
        doc: "the number of projects the report states",
        get: |g| opt(g.stated_count),
    },
    Field {
        name: "stated_executed",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "",
        doc: "the executed subtotal the report states, 万元",
        get: |g| opt(g.stated_executed),
    },
    Field {
        name: "listed_count",
        ty: Type::Integer,
        zh: "",
        doc: "the number of projects whose `group` names it",
        get: |g| g.listed_count.into(),
    },
    Field {
        name: "listed_executed",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "",
        doc: "those projects' `executed` summed; `()` when the sum leaves the decimal range",
        get: |g| opt(g.listed_executed),
    },
];

const BUDGET_FIELDS: &[Field<UnitBudget>] = &[
    Field {
        name: "budget_initial",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "年初预算数",
        doc: "the unit's initial budget, 万元",
        get: |b| opt(b.budget_initial),
    },
    Field {
        name: "budget_adjusted",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "全年预算数",
        doc: "the unit's adjusted budget, 万元",
        get: |b| opt(b.budget_adjusted),
    },
    Field {
        name: "executed",
        ty: Type::Decimal,
        zh: "全年执行数",
        doc: "the unit's spending, 万元",
        get: |b| b.executed.into(),
    },
    Field {
        name: "by_income",
        ty: Type::MapOf(&Type::Decimal),
        zh: "按收入来源",
        doc: "`executed` split by source of income (一般公共预算, 其他资金 …)",
        get: |b| map_of(&b.by_income),
    },
    Field {
        name: "by_spending",
        ty: Type::MapOf(&Type::Decimal),
        zh: "按支出性质",
        doc: "`executed` split by kind of spending (基本支出, 项目支出)",
        get: |b| map_of(&b.by_spending),
    },
    Field {
        name: "by_income_total",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "",
        doc: "`by_income` summed; `()` when it is empty",
        get: |b| total(b.by_income.values()),
    },
    Field {
        name: "by_spending_total",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "",
        doc: "`by_spending` summed; `()` when it is empty",
        get: |b| total(b.by_spending.values()),
    },
];

const COST_CONTROL_FIELDS: &[Field<CostControl>] = &[
    Field {
        name: "name",
        ty: Type::Text,
        zh: "",
        doc: "the line, e.g. 三公经费, 公用经费, 会议费",
        get: |c| text(&c.name),
    },
    Field {
        name: "last_year",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "上年决算数",
        doc: "last year's final account, 万元",
        get: |c| opt(c.last_year),
    },
    Field {
        name: "budget",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "本年预算数",
        doc: "this year's budget, 万元",
        get: |c| opt(c.budget),
    },
    Field {
        name: "actual",
        ty: Type::Decimal,
        zh: "本年决算数",
        doc: "this year's final account, 万元",
        get: |c| c.actual.into(),
    },
];

const STAFF_FIELDS: &[Field<Staff>] = &[
    Field {
        name: "authorized",
        ty: Type::OrUnit(&Type::Integer),
        zh: "编制数",
        doc: "the authorized establishment",
        get: |s| opt(s.authorized),
    },
    Field {
        name: "total",
        ty: Type::OrUnit(&Type::Integer),
        zh: "年末实有人数",
        doc: "the head count at the year's end",
        get: |s| opt(s.total),
    },
    Field {
        name: "in_service",
        ty: Type::OrUnit(&Type::Integer),
        zh: "在职人数",
        doc: "the staff in service",
        get: |s| opt(s.in_service),
    },
    Field {
        name: "retired",
        ty: Type::OrUnit(&Type::Integer),
        zh: "离退休人数",
        doc: "the retired staff",
        get: |s| opt(s.retired),
    },
    Field {
        name: "establishment",
        ty: Type::MapOf(&Type::Integer),
        zh: "编制构成",
        doc: "head counts by kind of establishment (行政编制, 全额拨款事业编 …)",
        get: |s| map_of(&s.establishment),
    },
    Field {
        name: "establishment_total",
        ty: Type::OrUnit(&Type::Integer),
        zh: "",
        doc: "`establishment` summed; `()` when it is empty",
        get: |s| {
            let mut counts = s.establishment.values().copied();
            let first = counts.next();
            opt(first.and_then(|first| counts.try_fold(first, INT::checked_add)))
        },
    },
];

const INSTITUTIONS_FIELDS: &[Field<Institutions>] = &[
    Field {
        name: "internal_count",
        ty: Type::OrUnit(&Type::Integer),
        zh: "内设机构数",
        doc: "the number of internal offices the report states",
        get: |i| opt(i.internal_count),
    },
    Field {
        name: "internal",
        ty: Type::ListOf(&Type::Text),
        zh: "内设机构",
        doc: "the internal offices listed by name",
        get: |i| strings(&i.internal),
    },
    Field {
        name: "subordinate_count",
        ty: Type::OrUnit(&Type::Integer),
        zh: "所属单位数",
        doc: "the number of subordinate bodies the report states",
        get: |i| opt(i.subordinate_count),
    },
    Field {
        name: "subordinate",
        ty: Type::ListOf(&Type::Text),
        zh: "所属单位",
        doc: "the subordinate bodies listed by name",
        get: |i| strings(&i.subordinate),
    },
];

const BASIC_FIELDS: &[Field<Basic>] = &[
    Field {
        name: "total",
        ty: Type::Decimal,
        zh: "基本支出",
        doc: "basic expenditure, 万元: personnel plus running costs",
        get: |b| b.total.into(),
    },
    Field {
        name: "personnel",
        ty: Type::Decimal,
        zh: "人员经费",
        doc: "personnel costs, 万元",
        get: |b| b.personnel.into(),
    },
    Field {
        name: "public_expense",
        ty: Type::Decimal,
        zh: "日常公用经费",
        doc: "running costs, 万元: the record's key `public`, a reserved word in Rhai",
        get: |b| b.public.into(),
    },
];
