//! `jixiao report`: one self-contained HTML file for the people who decide — an overview of
//! the batch with charts, the same figures per 主管部门, the ranking, and a section per unit
//! with its write-up and a budget-vs-executed chart. [`data`] gathers a batch in one pass,
//! [`charts`] draws the SVG bars, [`spool`] keeps the rendered sections on disk until the
//! ranking is known, [`page`] fills the templates. A large batch's report details only the
//! lowest-ranked units (`--details`) and those asked for by code (`--unit`).

pub mod charts;
mod data;
mod page;
mod spool;

pub use data::Gathered;
pub use page::{DEFAULT_DETAILS, Details, Selection, write};

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// A heading of the write-up one level under the page's: the write-up's title (its `#`)
/// sits under the unit's section.
fn nested(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// The write-up's Markdown as HTML, its headings nested under the unit's section. Markdown
/// lets raw HTML through; here it is shown as text, so that nothing a unit wrote can become
/// markup.
fn writeup_html(markdown: &str) -> String {
    let events = Parser::new_ext(markdown, Options::ENABLE_TABLES).map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: nested(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(nested(level))),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::writeup_html;

    #[test]
    fn the_writeup_becomes_html_with_its_table_and_no_markup_from_the_unit() {
        let html = writeup_html(
            "## 问题清单\n\n| 项目 | 问题 |\n|---|---|\n| P01 | 执行率偏低 |\n\n<script>alert(1)</script>\n",
        );
        assert!(html.contains("<h4>问题清单</h4>"));
        assert!(html.contains("<td>执行率偏低</td>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("<script>"));
    }
}
