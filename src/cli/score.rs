//! `jixiao score`: every unit scored and ranked.

use super::{finish, load_rules, output_to, report, start_batch, stdin_hint, terminal_width};
use jixiao::diagnostic::{Problem, ProblemKind};
use jixiao::output::ranking::{ScoreFormat, ScoreWriter};
use jixiao::score::ranking::{self, UnitSummary};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A counter of units on stderr, only when stderr is a terminal.
fn progress() -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} units  {per_sec}  {elapsed}")
                .expect("a valid template"),
        );
        bar
    })
}

pub fn score(
    paths: &[PathBuf],
    rules: &Path,
    scoring: Option<&Path>,
    format: ScoreFormat,
    out: Option<&Path>,
    jobs: Option<usize>,
) -> ExitCode {
    let mut problems = Vec::new();
    let Some(rule_set) = load_rules(rules, scoring, &mut problems) else {
        report(&problems);
        return ExitCode::from(2);
    };
    let Some(batch) = start_batch(&rule_set, jobs) else {
        return ExitCode::from(2);
    };
    stdin_hint(paths);
    let bar = progress();
    output_to(out, format == ScoreFormat::Xlsx, |out| {
        let begun = ScoreWriter::begin(format, out).map(|w| w.wrap_at(terminal_width()));
        let written = begun.and_then(|mut writer| {
            let mut summaries = Vec::new();
            let mut failed = Ok(());
            let ran = batch.run(paths, |outcome| {
                if let Some((report, score)) = &outcome.unit {
                    summaries.push(UnitSummary::new(report, score, outcome.problems.len()));
                    if failed.is_ok() {
                        failed = writer.scorecard(report, score);
                    }
                }
                problems.extend(outcome.problems);
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
            });
            if let Err(message) = ran {
                problems.push(Problem::new(ProblemKind::Input, "", message));
            }
            if let Some(bar) = &bar {
                bar.finish_and_clear();
            }
            failed?;
            ranking::rank(&mut summaries);
            writer.finish(&summaries, &problems)
        });
        // The problems are reported even when the results could not be written.
        let status = finish(&problems);
        written.map(|()| status)
    })
}
