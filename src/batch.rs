//! A batch: every unit under the given paths, read and evaluated on a fixed pool of worker
//! threads — each with its own Rhai engine, since engines shared between threads do not scale —
//! and handed on in input order, a chunk at a time, so that memory stays bounded however many
//! units there are and the output is the same on any number of threads. A unit whose code an
//! earlier unit of the batch already uses is reported and left out.

use crate::evaluate::{Evaluator, UnitReport};
use crate::load::{self, Source, UnitCodes};
use crate::problem::{Problem, ProblemKind};
use crate::rule_set::RuleSet;
use crate::scorecard::{self, UnitScore};
use crate::view::UnitRef;
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Mutex;

/// Units evaluated together before their results are handed on, per worker thread.
const CHUNK_PER_THREAD: usize = 64;

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
    /// ever locked by its own thread, so the lock is never contended.
    evaluators: Vec<Mutex<Evaluator>>,
}

impl Batch {
    /// A batch on `jobs` threads (all cores when `None`).
    pub fn new(rule_set: &RuleSet, jobs: Option<usize>) -> Batch {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.unwrap_or(0))
            .build()
            .expect("the worker threads start");
        let evaluators = (0..pool.current_num_threads())
            .map(|_| Mutex::new(Evaluator::new(rule_set)))
            .collect();
        Batch {
            rule_set: rule_set.clone(),
            pool,
            evaluators,
        }
    }

    pub fn threads(&self) -> usize {
        self.evaluators.len()
    }

    fn process(&self, source: Result<Source, Problem>) -> Outcome {
        let read = source.and_then(Source::read);
        let (unit_source, mut problems) = match read {
            Ok(read) => read,
            Err(problem) => {
                return Outcome {
                    unit: None,
                    problems: vec![problem],
                };
            }
        };
        let index = rayon::current_thread_index().unwrap_or(0);
        let evaluator = self.evaluators[index]
            .lock()
            .expect("an evaluator is never poisoned");
        let unit = UnitRef::build(unit_source.record, &self.rule_set.scoring);
        let mut report = evaluator.evaluate(&unit, &unit_source.file);
        let score = scorecard::score_unit(&unit.0, &self.rule_set.scoring);
        problems.append(&mut report.problems);
        Outcome {
            unit: Some((report, score)),
            problems,
        }
    }

    /// Evaluates every unit under `paths`, handing each outcome to `sink` in input order.
    pub fn run(&self, paths: &[PathBuf], mut sink: impl FnMut(Outcome)) {
        let mut codes = UnitCodes::default();
        let chunk_size = CHUNK_PER_THREAD * self.threads();
        // A reader thread finds and reads the next sources (JSON Lines are read line by line
        // there) while the workers evaluate the current chunk; the channel bounds how far
        // ahead it reads.
        let (sender, receiver) = std::sync::mpsc::sync_channel(chunk_size);
        let sources = load::sources(paths);
        std::thread::scope(|scope| {
            scope.spawn(move || {
                for source in sources {
                    if sender.send(source).is_err() {
                        break;
                    }
                }
            });
            // While the workers evaluate one chunk, this thread hands on the results of the
            // one before: at most two chunks are in flight, and they are handed on in order.
            self.pool.in_place_scope(|workers| {
                let mut in_flight = std::collections::VecDeque::new();
                loop {
                    let chunk: Vec<_> = receiver.iter().take(chunk_size).collect();
                    let finished = chunk.is_empty();
                    if !finished {
                        let (done, results) = std::sync::mpsc::channel();
                        workers.spawn(move |_| {
                            let outcomes: Vec<Outcome> =
                                chunk.into_par_iter().map(|s| self.process(s)).collect();
                            let _ = done.send(outcomes);
                        });
                        in_flight.push_back(results);
                    }
                    while in_flight.len() > 1 || (finished && !in_flight.is_empty()) {
                        let oldest = in_flight.pop_front().expect("a chunk in flight");
                        for mut outcome in oldest.recv().expect("every chunk sends its results") {
                            if let Some((report, _)) = &outcome.unit
                                && let Some(problem) = codes.check(&report.code, &report.file)
                            {
                                // The first unit with a code stands; a later one is left out,
                                // with what was wrong in reading it, but no results.
                                outcome.unit = None;
                                outcome.problems.retain(|p| p.kind == ProblemKind::Input);
                                outcome.problems.insert(0, problem);
                            }
                            sink(outcome);
                        }
                    }
                    if finished {
                        break;
                    }
                }
            });
        });
    }
}

/// Every report and problem of a batch, in input order (for small batches and tests).
pub fn collect(paths: &[PathBuf], rule_set: &RuleSet) -> (Vec<UnitReport>, Vec<Problem>) {
    let mut reports = Vec::new();
    let mut problems = Vec::new();
    Batch::new(rule_set, None).run(paths, |outcome| {
        problems.extend(outcome.problems);
        reports.extend(outcome.unit.map(|(report, _)| report));
    });
    (reports, problems)
}
