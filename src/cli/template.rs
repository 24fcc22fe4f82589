//! `jixiao template`: the 自评表 workbook in the national layout, blank for units to fill, or
//! filled from a unit file (`--from`), as that unit would file it.

use jixiao::input::load::Source;
use jixiao::output::self_evaluation;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The workbook to write (`.xlsx`).
    #[arg(long)]
    pub out: PathBuf,
    /// A unit file (TOML) to fill the form from.
    #[arg(long)]
    pub from: Option<PathBuf>,
    /// Replace OUT if it exists.
    #[arg(long)]
    pub force: bool,
}

pub fn template(args: &Args) -> ExitCode {
    let record = match &args.from {
        None => None,
        Some(path) => match Source::TomlFile(path.clone()).read() {
            Ok((unit, _)) => Some(unit.record),
            Err(problems) => {
                super::report(&problems);
                return ExitCode::from(2);
            }
        },
    };
    let bytes = match self_evaluation::workbook(record.as_ref()) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("jixiao: cannot make the workbook: {e}");
            return ExitCode::from(2);
        }
    };
    let written =
        jixiao::output::atomic_file::AtomicFile::create(&args.out).and_then(|mut file| {
            std::io::Write::write_all(&mut file, &bytes)?;
            if args.force {
                file.commit()
            } else {
                file.commit_new()
            }
        });
    match written {
        Ok(()) => {
            eprintln!("wrote {}", args.out.display());
            ExitCode::SUCCESS
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "jixiao: {} exists: choose a new name, or pass --force to replace it",
                args.out.display()
            );
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("jixiao: cannot write {}: {e}", args.out.display());
            ExitCode::from(2)
        }
    }
}
