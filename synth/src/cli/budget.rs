//! Budget flags shared by the commands that search (`solve`, `suite`): time (`--timeout`),
//! worker threads (`--threads`) and memory (`--memory`). Every value is bounded here, when the
//! arguments are parsed, so that nothing a user can type overflows a clock, a thread pool or an
//! allocation later; a bad value is a usage error (exit status 2).

use std::path::Path;
use std::time::Duration;

use crate::search::MAX_TIMEOUT;
use crate::solve::SolveOptions;

/// Most worker threads a search may ask for.
pub const MAX_THREADS: usize = 1024;

const GIB: usize = 1 << 30;

/// The budget flags.
#[derive(Debug, Clone, clap::Args)]
pub struct BudgetArgs {
    /// Time budget per task in seconds, covering search, proof and native checks (default: the
    /// task's `timeout` clause, else 60; at most ten years).
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    pub timeout: Option<Duration>,
    /// Worker threads (default: all cores; the result does not depend on it; at most 1024).
    #[arg(long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<usize>,
    /// Memory budget of the search in GiB (default: 60% of the memory available to the process
    /// — the cgroup limit when one is set, else physical memory — at most 16 GiB).
    #[arg(long, value_name = "GIB", value_parser = parse_gib)]
    pub memory: Option<usize>,
}

impl BudgetArgs {
    /// Sets the budgets of `opts` (defaults where a flag is absent, except the timeout, which
    /// then comes from the task).
    pub fn apply(&self, opts: &mut SolveOptions) {
        opts.timeout = self.timeout;
        if let Some(t) = self.threads {
            opts.threads = t;
        }
        opts.memory_budget = self.memory.unwrap_or_else(default_memory_budget);
    }
}

/// Parses a positive number of seconds, at most [`MAX_TIMEOUT`].
pub fn parse_seconds(text: &str) -> Result<Duration, String> {
    let secs: f64 = text.trim().parse().map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !(secs.is_finite() && secs > 0.0) {
        return Err(format!("the time budget must be a positive number of seconds, not `{text}`"));
    }
    if secs > MAX_TIMEOUT.as_secs_f64() {
        return Err(format!(
            "the time budget must be at most {} seconds (ten years), not `{text}`",
            MAX_TIMEOUT.as_secs()
        ));
    }
    Duration::try_from_secs_f64(secs).map_err(|e| format!("`{text}`: {e}"))
}

/// Parses a thread count in `1..=MAX_THREADS`.
pub fn parse_threads(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_THREADS).contains(&n) => Ok(n),
        _ => Err(format!("the thread count must be a whole number from 1 to {MAX_THREADS}, not `{text}`")),
    }
}

/// Parses a positive number of GiB (fractions allowed, at most 1 TiB) into bytes.
pub fn parse_gib(text: &str) -> Result<usize, String> {
    let gib: f64 = text.trim().parse().map_err(|_| format!("`{text}` is not a number of GiB"))?;
    if !(gib.is_finite() && gib > 0.0 && gib <= 1024.0) {
        return Err(format!("the memory budget must be a positive number of GiB, at most 1024, not `{text}`"));
    }
    Ok(((gib * GIB as f64) as usize).max(1 << 20))
}

/// The default memory budget: 60% of the memory available to the process, at most 16 GiB
/// (6 GiB when it cannot be read).
pub fn default_memory_budget() -> usize {
    match available_memory() {
        Some(bytes) => (bytes / 10 * 6).clamp(64 << 20, 16 * GIB),
        None => 6 * GIB,
    }
}

/// The memory the process may use: the smallest of physical memory and the memory limits of
/// its cgroups (v2 `memory.max` of its cgroup and every ancestor; v1 `memory.limit_in_bytes`).
fn available_memory() -> Option<usize> {
    let physical = std::fs::read_to_string("/proc/meminfo").ok().and_then(|text| {
        let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
        let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib.saturating_mul(1024))
    });
    [physical, cgroup_limit()].into_iter().flatten().min()
}

fn cgroup_limit() -> Option<usize> {
    let read_limit = |path: &Path| -> Option<usize> {
        let text = std::fs::read_to_string(path).ok()?;
        text.trim().parse::<usize>().ok()
    };
    let mut limits = Vec::new();
    let membership = std::fs::read_to_string("/proc/self/cgroup").unwrap_or_default();
    for line in membership.lines() {
        let mut parts = line.splitn(3, ':');
        let (Some(_), Some(controllers), Some(path)) = (parts.next(), parts.next(), parts.next()) else { continue };
        let relative = path.trim_start_matches('/');
        if controllers.is_empty() {
            // cgroup v2: the process's cgroup and its ancestors each may set `memory.max`.
            let mut dir = Path::new("/sys/fs/cgroup").join(relative);
            loop {
                limits.extend(read_limit(&dir.join("memory.max")));
                if !dir.pop() || !dir.starts_with("/sys/fs/cgroup") {
                    break;
                }
            }
        } else if controllers.split(',').any(|c| c == "memory") {
            let dir = Path::new("/sys/fs/cgroup/memory").join(relative);
            limits.extend(read_limit(&dir.join("memory.limit_in_bytes")));
            limits.extend(read_limit(Path::new("/sys/fs/cgroup/memory/memory.limit_in_bytes")));
        }
    }
    // `max` (no limit) does not parse; v1 reports "no limit" as a huge number.
    limits.into_iter().filter(|&l| l < (1usize << 62)).min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_every_budget() {
        assert_eq!(parse_seconds("1.5"), Ok(Duration::from_millis(1500)));
        for bad in ["0", "-1", "nan", "inf", "1e20", "1e300", "x", ""] {
            assert!(parse_seconds(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_threads("4"), Ok(4));
        for bad in ["0", "1025", "-1", "18446744073709551616", "two"] {
            assert!(parse_threads(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_gib("0.5"), Ok(GIB / 2));
        for bad in ["0", "1e9", "nan", "-2"] {
            assert!(parse_gib(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn default_budget_fits_the_machine() {
        let budget = default_memory_budget();
        assert!((64 << 20..=16 * GIB).contains(&budget));
        if let Some(available) = available_memory() {
            assert!(budget <= available);
        }
    }
}
