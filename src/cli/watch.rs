//! `jixiao watch`: reruns `run` (or `test`) whenever a rule, a setting or a case changes, and
//! shows only the new result.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::sync::mpsc;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    /// What `run` analyses (default: the bundled seed case).
    pub path: Option<PathBuf>,
    /// Rerun `jixiao test` instead of `jixiao run`.
    #[arg(long)]
    pub test: bool,
    #[arg(long, default_value = "rules")]
    pub rules: PathBuf,
    #[arg(long, default_value = "cases")]
    pub cases: PathBuf,
}

/// How long the watched files must stay unchanged before a rerun starts.
const SETTLE: Duration = Duration::from_millis(20);

/// Runs this same binary with `args`, so that each run sees the files as they are now.
fn rerun(out: &mut impl Write, args: &[std::ffi::OsString]) -> io::Result<()> {
    // Clear the screen and move to the top, so that only the new result stays visible — and
    // flush it before the run writes to the same terminal, or it would wipe that result.
    write!(out, "\x1b[2J\x1b[H")?;
    out.flush()?;
    let me = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("jixiao"));
    match Command::new(me).args(args).status() {
        Ok(status) => writeln!(
            out,
            "\n[jixiao watch] done ({status}); waiting for changes…"
        )?,
        Err(e) => writeln!(out, "\n[jixiao watch] could not run: {e}")?,
    }
    out.flush()
}

pub fn watch(args: &Args) -> ExitCode {
    use notify::Watcher;
    let path = args
        .path
        .clone()
        .unwrap_or_else(|| PathBuf::from(super::DEFAULT_CASE));
    let command: Vec<std::ffi::OsString> = if args.test {
        vec![
            "test".into(),
            "--rules".into(),
            args.rules.clone().into(),
            "--cases".into(),
            args.cases.clone().into(),
        ]
    } else {
        vec![
            "run".into(),
            path.clone().into(),
            "--rules".into(),
            args.rules.clone().into(),
        ]
    };
    let watched = if args.test {
        vec![args.rules.clone(), args.cases.clone()]
    } else {
        vec![args.rules.clone(), path]
    };
    let (tx, rx) = mpsc::channel();
    let mut watcher =
        match notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            if event.is_ok_and(|e| e.kind.is_modify() || e.kind.is_create() || e.kind.is_remove()) {
                let _ = tx.send(());
            }
        }) {
            Ok(w) => w,
            Err(e) => {
                eprintln!("jixiao: cannot watch files: {e}");
                return ExitCode::from(2);
            }
        };
    for dir in &watched {
        if let Err(e) = watcher.watch(dir, notify::RecursiveMode::Recursive) {
            eprintln!("jixiao: cannot watch {}: {e}", dir.display());
            return ExitCode::from(2);
        }
    }
    super::output(|out| {
        rerun(out, &command)?;
        while rx.recv().is_ok() {
            // An editor's save is several events, all within a few milliseconds: wait until
            // they settle, then run once. Every millisecond here is one the analyst waits.
            while rx.recv_timeout(SETTLE).is_ok() {}
            rerun(out, &command)?;
        }
        Ok(ExitCode::SUCCESS)
    })
}
