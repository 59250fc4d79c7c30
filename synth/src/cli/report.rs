//! Text and JSON renderings of task reports, shared by `solve` and `suite`.

use crate::search::Optimality;
use crate::solve::{Status, TaskReport, Verification};

use super::{EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, EXIT_UNKNOWN};

/// `1.2M`-style counts.
pub fn human_count(n: u64) -> String {
    match n {
        0..=9_999 => n.to_string(),
        10_000..=999_999 => format!("{:.1}k", n as f64 / 1e3),
        1_000_000..=999_999_999 => format!("{:.1}M", n as f64 / 1e6),
        _ => format!("{:.1}G", n as f64 / 1e9),
    }
}

/// The one-line summary of a task (without comment markers).
pub fn summary(r: &TaskReport) -> String {
    let effort = format!("{:.2} s, {} candidates", r.time_ms / 1000.0, human_count(r.candidates));
    match r.status {
        Status::Solved => {
            let checked = match r.verified {
                Verification::Z3 => "verified by z3 for all inputs".to_string(),
                Verification::Examples => {
                    format!("matches {} examples (not verified for all inputs)", r.examples)
                }
                Verification::Constraints => format!(
                    "meets all {} constraints (they mention no variables; each was evaluated with the answer)",
                    r.examples
                ),
                Verification::None => "not verified".to_string(),
            };
            let optimality = match r.optimality {
                Optimality::Optimal => "optimal among expression trees",
                Optimality::OverTriedConstants => "optimal among expression trees over the tried constants",
                Optimality::NotProven => "cheapest found, not proven optimal",
                Optimality::ShortestStraightLine => "shortest straight-line program over the allowed operators",
            };
            let semantics = if r.semantics == "defined" {
                ", with defined behaviour in Rust and C".to_string()
            } else if r.relies_on.is_empty() {
                String::new()
            } else {
                format!(" (total semantics: relies on {} for some inputs)", r.relies_on.join(" and "))
            };
            let reference = if r.reference_checks > 0 {
                format!(" and with the reference function on {}", r.reference_checks)
            } else {
                String::new()
            };
            format!(
                "{}: {checked}{semantics}; native code agrees with the interpreter on {} random inputs{reference}; cost {} ({}, {optimality}){}; {effort}",
                r.task,
                r.native_checks,
                r.cost.unwrap_or(0),
                r.cost_model,
                match r.found_by.as_deref() {
                    Some("e-graph") => ", found by the e-graph's rewrite of the reference",
                    Some("the spec") => ", the answer the spec writes itself: nothing cheaper found",
                    Some("straight-line synthesis") => ", found by the straight-line engine",
                    _ => "",
                }
            )
        }
        Status::NoSolution => {
            let explored = match r.largest_size {
                Some(size) => format!("every candidate up to size {size} refuted"),
                None => "nothing explored".to_string(),
            };
            format!(
                "{}: no solution within budget ({}; {explored}); {effort}",
                r.task,
                r.reason.as_deref().unwrap_or("budget exhausted")
            )
        }
        Status::Infeasible => {
            format!(
                "{}: infeasible: {}; {effort}",
                r.task,
                r.reason.as_deref().unwrap_or("no term of the grammar fits")
            )
        }
        Status::Unknown => format!(
            "{}: unknown: a candidate passed every test but the solver could not decide it ({}); {effort}",
            r.task,
            r.reason.as_deref().unwrap_or("no reason given")
        ),
    }
}

/// The exit status a task's outcome asks for.
pub fn exit_status(r: &TaskReport) -> u8 {
    match r.status {
        Status::Solved => EXIT_OK,
        Status::NoSolution | Status::Infeasible => EXIT_FAILED,
        Status::Unknown => EXIT_UNKNOWN,
    }
}

/// Combines exit statuses: bad input wins, then unknown, then failure.
pub fn combine(a: u8, b: u8) -> u8 {
    let rank = |s: u8| match s {
        EXIT_BAD_INPUT => 3,
        EXIT_UNKNOWN => 2,
        EXIT_FAILED => 1,
        _ => 0,
    };
    if rank(b) > rank(a) { b } else { a }
}

/// The JSON object of a task: the report's fields plus the file and the printed solution.
pub fn json(r: &TaskReport, file: &str, solution: Option<&str>) -> String {
    let mut value = serde_json::to_value(r).unwrap_or_default();
    if let Some(obj) = value.as_object_mut() {
        obj.insert("file".into(), file.into());
        obj.insert("solution".into(), solution.map_or(serde_json::Value::Null, Into::into));
    }
    value.to_string()
}

/// A progress spinner on stderr (hidden when stderr is not a terminal).
pub fn spinner(enabled: bool) -> indicatif::ProgressBar {
    if !enabled {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}
