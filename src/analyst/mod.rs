//! The analyst's loop: [`case`]s with their expectations and coverage, their insta
//! [`snapshot`]s and the difference a rule change makes, and synthetic batches
//! ([`generate`]) to try rules and measure speed on.

pub mod case;
pub mod generate;
pub mod snapshot;
