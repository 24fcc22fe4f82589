//! `jixiao rules`: the catalogue of the rules in a rules directory.

use super::{load_rules, output, report};
use jixiao::output::rule_docs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Every rule: id, title, severity, category, scope, file.
    List {
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// One rule's documentation and the thresholds it reads, with their current values.
    Explain { id: String },
    /// The whole catalogue as Markdown (`jixiao rules doc > docs/rules.md`).
    Doc,
    /// What rules can read and call, as Markdown (`jixiao rules fields > docs/fields.md`).
    Fields,
    /// Write Rhai definition files for every helper and record field into DIR, for editors.
    Definitions { dir: PathBuf },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

pub fn rules(command: Command, dir: &Path) -> ExitCode {
    let mut problems = Vec::new();
    let Some(rule_set) = load_rules(dir, None, &mut problems) else {
        report(&problems);
        return ExitCode::from(2);
    };
    report(&problems);
    let status = if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    };
    let text = match command {
        Command::List { format } => match format {
            ListFormat::Table => rule_docs::list_table(&rule_set),
            ListFormat::Json => rule_docs::list_json(&rule_set),
        },
        Command::Explain { id } => {
            let Some(rule) = rule_set
                .rules
                .iter()
                .find(|r| r.meta.id.eq_ignore_ascii_case(&id))
            else {
                let ids: Vec<&str> = rule_set.rules.iter().map(|r| r.meta.id.as_str()).collect();
                eprintln!(
                    "jixiao: no rule `{id}`{}",
                    jixiao::diagnostic::suggest(&id.to_ascii_uppercase(), &ids)
                );
                return ExitCode::from(2);
            };
            rule_docs::explain(rule, &rule_set)
        }
        Command::Doc => rule_docs::document(&rule_set),
        Command::Fields => rule_docs::fields_reference(),
        Command::Definitions { dir: out } => {
            let engine =
                jixiao::engine::script::new_engine(rule_set.causes.clone(), &rule_set.thresholds());
            if let Err(e) = engine.definitions().write_to_dir(&out) {
                eprintln!("jixiao: cannot write definitions to {}: {e}", out.display());
                return ExitCode::from(2);
            }
            eprintln!("wrote Rhai definitions to {}", out.display());
            return status;
        }
    };
    output(|out| {
        out.write_all(text.as_bytes())?;
        Ok(status)
    })
}
