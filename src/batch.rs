//! A batch: every unit under the given paths, read and evaluated on a fixed pool of worker
//! threads — each with its own Rhai engine, since engines shared between threads do not scale —
//! and handed on in input order, a chunk at a time, so that memory stays bounded however many
//! units there are and the output is the same on any number of threads. When the input comes
//! slower than it is evaluated (a pipe), each unit is handed on as soon as it is done. A unit
//! whose code an earlier unit of the batch already uses is reported and left out.

use crate::diagnostic::{Problem, ProblemKind};
use crate::engine::evaluate::{Evaluator, UnitReport};
use crate::engine::rule_set::RuleSet;
use crate::input::load::{self, Source, UnitCodes};
use crate::model::view::UnitRef;
use crate::score::scorecard::{self, UnitScore};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// Units evaluated together before their results are handed on, per worker thread.
const CHUNK_PER_THREAD: usize = 64;

/// Worker threads beyond this many per core only cost memory (each holds its own engine and
/// compiled rules) and start-up time: `--jobs` is capped here.
pub const MAX_JOBS_PER_CORE: usize = 4;

/// The number of worker threads for `--jobs N`: all cores when `None`, at most
/// [`MAX_JOBS_PER_CORE`] per core, and a note saying so when `N` was cut.
pub fn worker_count(requested: Option<usize>) -> (usize, Option<String>) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cap = cores * MAX_JOBS_PER_CORE;
    match requested {
        None | Some(0) => (cores, None),
        Some(n) if n > cap => (
            cap,
            Some(format!(
                "--jobs {n} is more than {MAX_JOBS_PER_CORE} per core on this machine ({cores} cores): using {cap}"
            )),
        ),
        Some(n) => (n, None),
    }
}

/// What one source produced: the unit's findings and scorecard when it could be read, and
/// every problem met reading or evaluating it.
pub struct Outcome {
    pub unit: Option<(UnitReport, UnitScore)>,
    pub problems: Vec<Problem>,
}

pub struct Batch {
    rule_set: RuleSet,
    pool: rayon::ThreadPool,
    /// One evaluator per worker thread, indexed by the thread's index in `pool`: each is only
    /// ever locked by its own thread, so the lock is never contended. Each is built when its
    /// thread first needs it, so that a run of one unit compiles the rules once, not once per
    /// core (half of `jixiao run`'s instructions on the seed case, BENCHMARKS.md).
    evaluators: Vec<OnceLock<Mutex<Evaluator>>>,
}

impl Batch {
    /// A batch on `threads` worker threads (see [`worker_count`]); an error when the system
    /// will not start them.
    pub fn new(rule_set: &RuleSet, threads: usize) -> Result<Batch, String> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build()
            .map_err(|e| {
                format!("cannot start {threads} worker threads: {e}; try a smaller --jobs")
            })?;
        let evaluators = (0..pool.current_num_threads())
            .map(|_| OnceLock::new())
            .collect();
        Ok(Batch {
            rule_set: rule_set.clone(),
            pool,
            evaluators,
        })
    }

    /// Every report and problem of a run, in input order (for cases and tests: a small batch,
    /// held whole).
    pub fn collect(&self, paths: &[PathBuf]) -> (Vec<UnitReport>, Vec<Problem>) {
        let mut reports = Vec::new();
        let mut problems = Vec::new();
        let ran = self.run(paths, |outcome| {
            problems.extend(outcome.problems);
            reports.extend(outcome.unit.map(|(report, _)| report));
        });
        if let Err(message) = ran {
            problems.push(Problem::new(ProblemKind::Input, "", message));
        }
        (reports, problems)
    }

    pub fn threads(&self) -> usize {
        self.evaluators.len()
    }

    fn process(&self, source: Result<Source, Problem>) -> Outcome {
        let read = source.map_err(|p| vec![p]).and_then(Source::read);
        let (unit_source, mut problems) = match read {
            Ok(read) => read,
            Err(problems) => {
                return Outcome {
                    unit: None,
                    problems,
                };
            }
        };
        let file = unit_source.file.clone();
        let code = unit_source.record.unit.code.clone();
        // The last line of defence: a bug that panics on one unit costs that unit, never the
        // batch. Evaluators hold no state between units, so one that saw a panic is reused.
        let evaluated = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let index = rayon::current_thread_index().unwrap_or(0);
            let evaluator = self.evaluators.get(index).map(|e| {
                e.get_or_init(|| Mutex::new(Evaluator::new(&self.rule_set)))
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
            });
            let form = self
                .rule_set
                .scoring
                .for_unit(unit_source.record.unit.scoring.as_deref());
            let form = match form {
                Ok(form) => form,
                Err(message) => {
                    problems.push(
                        Problem::new(ProblemKind::Input, &unit_source.file, message)
                            .field("unit.scoring"),
                    );
                    return None;
                }
            };
            let unit = UnitRef::build(unit_source.record, form);
            let mut report = match evaluator {
                Some(evaluator) => evaluator.evaluate(&unit, &unit_source.file),
                None => Evaluator::new(&self.rule_set).evaluate(&unit, &unit_source.file),
            };
            let score = scorecard::score_unit(&unit.0);
            for (field, message) in &unit.0.overflows {
                problems.push(
                    Problem::new(ProblemKind::Input, &unit_source.file, message.as_str())
                        .field(field.as_str()),
                );
            }
            problems.append(&mut report.problems);
            Some((report, score))
        }));
        match evaluated {
            Ok(unit) => Outcome { unit, problems },
            Err(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                let mut problem = Problem::new(
                    ProblemKind::Input,
                    file,
                    format!(
                        "this unit could not be evaluated (an internal error in jixiao: {what}); \
                         the rest of the batch ran. Please report it with this unit file"
                    ),
                );
                problem.unit = Some(code);
                Outcome {
                    unit: None,
                    problems: vec![problem],
                }
            }
        }
    }

    /// Evaluates every unit under `paths`, handing each outcome to `sink` in input order; an
    /// error, before any unit is read, when the reader thread cannot start.
    pub fn run(&self, paths: &[PathBuf], mut sink: impl FnMut(Outcome)) -> Result<(), String> {
        let mut codes = UnitCodes::default();
        let chunk_size = CHUNK_PER_THREAD * self.threads();
        // A reader thread finds and reads the next sources (JSON Lines are read line by line
        // there) while the workers evaluate the current chunk; the channel bounds how far
        // ahead it reads.
        let (sender, receiver) = std::sync::mpsc::sync_channel(chunk_size);
        let sources = load::sources(paths);
        std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name("reader".into())
                .spawn_scoped(scope, move || {
                    for source in sources {
                        if sender.send(source).is_err() {
                            break;
                        }
                    }
                })
                .map_err(|e| format!("cannot start the thread that reads the units: {e}"))?;
            // While the workers evaluate one chunk, this thread hands on the results of the
            // one before: at most two chunks are in flight, and they are handed on in order.
            self.pool.in_place_scope(|workers| {
                let mut in_flight = std::collections::VecDeque::new();
                let mut hand_on = |results: std::sync::mpsc::Receiver<Vec<Outcome>>| {
                    // A chunk's sender is only dropped unsent if its worker panicked outside
                    // `process`, which isolates every unit: nothing to hand on.
                    for mut outcome in results.recv().unwrap_or_default() {
                        if let Some((report, _)) = &outcome.unit
                            && let Some(problem) = codes.check(&report.code, &report.file)
                        {
                            // The first unit with a code stands; a later one is left out, with
                            // what was wrong in reading it, but no results.
                            outcome.unit = None;
                            outcome.problems.retain(|p| p.kind == ProblemKind::Input);
                            outcome.problems.insert(0, problem);
                        }
                        sink(outcome);
                    }
                };
                loop {
                    // When no source is waiting (a pipe whose writer is slower than the
                    // workers), everything evaluated is handed on before waiting for more, so
                    // that each unit's results come out as soon as they are done.
                    let first = match receiver.try_recv() {
                        Ok(source) => Some(source),
                        Err(std::sync::mpsc::TryRecvError::Disconnected) => None,
                        Err(std::sync::mpsc::TryRecvError::Empty) => {
                            in_flight.drain(..).for_each(&mut hand_on);
                            receiver.recv().ok()
                        }
                    };
                    let Some(first) = first else {
                        in_flight.drain(..).for_each(&mut hand_on);
                        break;
                    };
                    let rest = receiver.try_iter().take(chunk_size - 1);
                    let chunk: Vec<_> = std::iter::once(first).chain(rest).collect();
                    let (done, results) = std::sync::mpsc::channel();
                    workers.spawn(move |_| {
                        let outcomes: Vec<Outcome> =
                            chunk.into_par_iter().map(|s| self.process(s)).collect();
                        let _ = done.send(outcomes);
                    });
                    in_flight.push_back(results);
                    while in_flight.len() > 1 {
                        if let Some(oldest) = in_flight.pop_front() {
                            hand_on(oldest);
                        }
                    }
                }
            });
            Ok(())
        })
    }
}
