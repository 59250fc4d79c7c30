//! `synth suite PATH...`: run every task of many files, print a table (or JSON lines).
//!
//! Entries are the tasks of `.syn` files and the problems of `.sl` files found under the given
//! paths (recursively, sorted), or listed in `--list FILE`. `--shard i/n` runs the entries whose
//! index is `i` modulo `n`, so a batch system can split a suite across machines and the JSON
//! lines of the shards merge by concatenation. `--cvc5` also runs cvc5 on each SyGuS problem
//! with the same time limit, for a side-by-side comparison.
//!
//! Ctrl-C (SIGINT) or SIGTERM stops the running entry (and cvc5) and ends the suite with the
//! table of the entries done so far (JSON lines are printed as entries finish); a second signal
//! exits at once. Exit status: 0 when every entry ran (solved or not), 2 or 3 when some entry
//! could not be read or failed internally, 130 when interrupted.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::repair::RepairReport;
use crate::solve::{SolveError, SolveOptions, Status, TaskReport, solve_problem, solve_spec};

use super::budget::BudgetArgs;
use super::report::{combine, human_count, json};
use super::solve::sygus_answer;
use super::{EXIT_BAD_INPUT, EXIT_OK, EXIT_UNKNOWN, input};

/// Exit status after an interruption (128 + SIGINT, as shells report it).
const EXIT_INTERRUPTED: u8 = 130;

/// Arguments of `synth suite`.
#[derive(Debug, clap::Args)]
pub struct SuiteArgs {
    /// Files or directories (searched recursively for .syn and .sl files).
    pub paths: Vec<PathBuf>,
    /// A text file listing problem paths, one per line, relative to the list's directory.
    #[arg(long, value_name = "FILE")]
    pub list: Option<PathBuf>,
    #[command(flatten)]
    pub budget: BudgetArgs,
    /// Run only the entries whose index is I modulo N (0 <= I < N).
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Print one JSON object per entry (JSON lines) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Also run `cvc5 --lang=sygus2` on every .sl entry with the same time limit.
    #[arg(long)]
    pub cvc5: bool,
    /// Seed of the random tests.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Random inputs for the native check of each answer.
    #[arg(long, default_value_t = 100_000, value_name = "N")]
    pub native_checks: usize,
    /// The semantics discipline of every entry (default: each task's own; see `synth solve --help`).
    #[arg(long, value_enum, value_name = "MODE")]
    pub semantics: Option<super::solve::SemanticsArg>,
    /// Solve nothing: read the JSON lines of earlier `--json` runs (for example one file per
    /// `--shard`) and print their one table (and `--plot`). Entries are sorted by name.
    #[arg(long, value_name = "FILE", num_args = 1.., conflicts_with_all = ["paths", "list", "shard", "cvc5"])]
    pub merge: Vec<PathBuf>,
    /// Also draw the cactus plot (problems answered against time per problem, one line for
    /// synth and one for cvc5 when it ran) as an SVG file.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    /// Search engines of every entry (see `synth solve --help`).
    #[arg(long, value_enum, default_value = "both", value_name = "ENGINE")]
    pub engine: super::solve::EngineArg,
}

/// One entry of a suite.
#[derive(Debug, Clone)]
struct Entry {
    file: PathBuf,
    /// The task name for `.syn` files (the function's name for repairs).
    task: Option<String>,
    /// A `repair` item rather than a `synth` task.
    repair: bool,
    /// Why the file could not be read (the entry is reported as an error).
    load_error: Option<String>,
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        let mut items: Vec<PathBuf> =
            std::fs::read_dir(path)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
        items.sort();
        for item in items {
            collect(&item, out)?;
        }
    } else if path.extension().is_some_and(|e| e == "syn" || e == "sl") {
        out.push(path.to_path_buf());
    }
    Ok(())
}

fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let (i, n) = text.split_once('/').ok_or_else(|| format!("--shard expects I/N, got `{text}`"))?;
    let (i, n): (usize, usize) = (
        i.parse().map_err(|_| format!("bad shard index `{i}`"))?,
        n.parse().map_err(|_| format!("bad shard count `{n}`"))?,
    );
    if n == 0 || i >= n {
        return Err(format!("--shard {i}/{n}: need 0 <= I < N"));
    }
    Ok((i, n))
}

fn entries(args: &SuiteArgs) -> Result<Vec<Entry>, String> {
    let mut files = Vec::new();
    for p in &args.paths {
        if !p.exists() {
            return Err(format!("{}: no such file or directory", p.display()));
        }
        collect(p, &mut files).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    if let Some(list) = &args.list {
        let text = std::fs::read_to_string(list).map_err(|e| format!("cannot read {}: {e}", list.display()))?;
        let base = list.parent().unwrap_or(Path::new("."));
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            files.push(base.join(line));
        }
    }
    let mut out = Vec::new();
    for file in files {
        if file.extension().is_some_and(|e| e == "syn") {
            match input::load_syn(&file) {
                Ok(f) => {
                    let tasks = f.tasks.iter().map(|t| (t.name.clone(), false));
                    let repairs = f.repairs.iter().map(|r| (r.spec.name.clone(), true));
                    out.extend(tasks.chain(repairs).map(|(name, repair)| Entry {
                        file: file.clone(),
                        task: Some(name),
                        repair,
                        load_error: None,
                    }));
                }
                Err(_) => {
                    out.push(Entry { file, task: None, repair: false, load_error: Some("does not parse".into()) })
                }
            }
        } else {
            out.push(Entry { file, task: None, repair: false, load_error: None });
        }
    }
    Ok(out)
}

/// The outcome of cvc5 on one problem.
#[derive(Debug, Clone)]
struct Peer {
    status: String,
    seconds: f64,
}

/// Runs cvc5 on `file`, killing it at `timeout` or when `cancel` is set.
fn run_cvc5(file: &Path, timeout: Duration, cancel: &AtomicBool) -> Peer {
    let start = Instant::now();
    let child = Command::new("cvc5")
        .arg("--lang=sygus2")
        .arg(format!("--tlimit={}", timeout.as_millis().max(1)))
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else { return Peer { status: "missing".into(), seconds: 0.0 } };
    // Read its output on a thread, so that a full pipe never blocks it.
    let reader = child.stdout.take().map(|mut out| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut out, &mut text);
            text
        })
    });
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() >= timeout || cancel.load(Ordering::Relaxed) => {
                let _ = child.kill();
                let _ = child.wait();
                let status = if cancel.load(Ordering::Relaxed) { "cancelled" } else { "timeout" };
                return Peer { status: status.into(), seconds: start.elapsed().as_secs_f64() };
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => return Peer { status: "error".into(), seconds: start.elapsed().as_secs_f64() },
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let out = reader.and_then(|r| r.join().ok()).unwrap_or_default();
    let status = if out.contains("define-fun") {
        "solved"
    } else if out.trim() == "infeasible" {
        "infeasible"
    } else {
        "fail"
    };
    Peer { status: status.into(), seconds }
}

fn status_name(r: &TaskReport) -> &'static str {
    match r.status {
        Status::Solved => "solved",
        Status::NoSolution if r.reason.as_deref() == Some("cancelled") => "cancelled",
        Status::NoSolution => "unsolved",
        Status::Infeasible => "infeasible",
        Status::Unknown => "unknown",
    }
}

/// Why an entry has no report, with the exit status it asks for.
struct EntryError {
    message: String,
    status: u8,
}

impl EntryError {
    fn bad_input(message: impl Into<String>) -> Self {
        EntryError { message: message.into(), status: EXIT_BAD_INPUT }
    }
}

impl From<SolveError> for EntryError {
    fn from(e: SolveError) -> Self {
        use crate::search::SearchError;
        let status = match &e {
            SolveError::Search(SearchError::Unsupported(_) | SearchError::Invalid(_)) => EXIT_BAD_INPUT,
            _ => EXIT_UNKNOWN,
        };
        EntryError { message: e.to_string(), status }
    }
}

/// What one entry produced.
enum Outcome {
    /// A task or SyGuS problem: its report and printed answer.
    Task(TaskReport, Option<String>),
    /// A repair: its report and the repaired function as source.
    Repair(RepairReport, Option<String>),
}

fn repair_entry(e: &Entry, name: &str, opts: &SolveOptions) -> Result<Outcome, EntryError> {
    let f = input::load_syn(&e.file).map_err(|_| EntryError::bad_input("does not parse"))?;
    let item = f.repairs.iter().find(|r| r.spec.name == name).ok_or(EntryError::bad_input("repair vanished"))?;
    let repair_opts = crate::repair::RepairOptions {
        timeout: opts.timeout.unwrap_or(Duration::from_secs(60)),
        solve: opts.clone(),
        ..crate::repair::RepairOptions::default()
    };
    let r = crate::repair::repair(&item.original, &item.spec, &repair_opts)?;
    let text = r.function.as_ref().map(|g| frontend::syn::print_function(g, &item.signature));
    Ok(Outcome::Repair(r, text))
}

fn solve_entry(e: &Entry, opts: &SolveOptions) -> Result<Outcome, EntryError> {
    if let Some(msg) = &e.load_error {
        return Err(EntryError::bad_input(msg.clone()));
    }
    if let (true, Some(name)) = (e.repair, &e.task) {
        return repair_entry(e, name, opts);
    }
    if let Some(task) = &e.task {
        let f = input::load_syn(&e.file).map_err(|_| EntryError::bad_input("does not parse"))?;
        let spec = f.tasks.iter().find(|t| &t.name == task).ok_or(EntryError::bad_input("task vanished"))?;
        let r = solve_spec(spec, opts, &mut |_| {})?;
        let sig =
            frontend::syn::SourceSignature { name: spec.name.clone(), params: spec.params.clone(), ret: spec.ret };
        let text = r.function.as_ref().map(|f| frontend::syn::print_function(f, &sig));
        Ok(Outcome::Task(r, text))
    } else {
        let text = std::fs::read_to_string(&e.file).map_err(|err| EntryError::bad_input(err.to_string()))?;
        let file = frontend::sygus::parse_sygus(&text).map_err(|err| EntryError::bad_input(err.to_string()))?;
        let mut problem = file.problem.clone();
        problem.name = e.file.file_stem().map_or(problem.name, |s| s.to_string_lossy().into_owned());
        let mut sygus_opts = opts.clone();
        sygus_opts.prove_optimal = false;
        let r = solve_problem(&problem, &sygus_opts, &mut |_| {})?;
        let answer = sygus_answer(&r, &file.problem);
        Ok(Outcome::Task(r, Some(answer)))
    }
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len() % 2 == 1 { v[m] } else { (v[m - 1] + v[m]) / 2.0 })
}

/// Installs the SIGINT/SIGTERM handler: the first signal sets the flag, a second one exits.
fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let signals = Arc::new(AtomicUsize::new(0));
    let (f, n) = (flag.clone(), signals.clone());
    let installed = ctrlc::set_handler(move || {
        if n.fetch_add(1, Ordering::SeqCst) > 0 {
            std::process::exit(i32::from(EXIT_INTERRUPTED));
        }
        f.store(true, Ordering::SeqCst);
        eprintln!("synth suite: interrupted; finishing the current entry (again to quit at once)");
    });
    if let Err(e) = installed {
        eprintln!("synth suite: warning: cannot catch Ctrl-C ({e}); an interruption loses the table");
    }
    flag
}

/// `name` shortened to its last `width` characters (not bytes), marked with `…`.
fn shorten(name: &str, width: usize) -> String {
    let count = name.chars().count();
    if count <= width {
        return name.to_string();
    }
    let tail: String = name.chars().skip(count - width + 1).collect();
    format!("…{tail}")
}

/// One row of the table.
struct Row {
    name: String,
    report: Option<TaskReport>,
    repair: Option<RepairReport>,
    peer: Option<Peer>,
    error: Option<String>,
}

/// The name of an entry: the file, and `:task` for `.syn` tasks.
fn entry_name(file: &str, task: Option<&str>) -> String {
    match task {
        Some(t) => format!("{file}:{t}"),
        None => file.to_string(),
    }
}

/// The rows of earlier `--json` runs, sorted by name.
fn merged_rows(files: &[PathBuf]) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let at = || format!("{}:{}", path.display(), i + 1);
            let value: serde_json::Value =
                serde_json::from_str(line).map_err(|e| format!("{}: not JSON: {e}", at()))?;
            let file = value
                .get("file")
                .and_then(|f| f.as_str())
                .ok_or_else(|| format!("{}: not a line of `synth suite --json` (no \"file\" field)", at()))?;
            let is_syn = file.ends_with(".syn");
            let task = value.get("task").and_then(|t| t.as_str()).filter(|_| is_syn);
            let name = entry_name(file, task);
            let peer = value.get("cvc5_status").and_then(|s| s.as_str()).map(|status| Peer {
                status: status.to_string(),
                seconds: value.get("cvc5_seconds").and_then(serde_json::Value::as_f64).unwrap_or(0.0),
            });
            if value.get("status").and_then(|s| s.as_str()) == Some("error") {
                let reason = value.get("reason").and_then(|r| r.as_str()).unwrap_or("error").to_string();
                rows.push(Row { name, report: None, repair: None, peer, error: Some(reason) });
                continue;
            }
            let bad = |e: serde_json::Error| format!("{}: not a report of `synth suite --json`: {e}", at());
            if value.get("kind").and_then(|k| k.as_str()) == Some("repair") {
                let repair: RepairReport = serde_json::from_value(value).map_err(bad)?;
                rows.push(Row { name, report: None, repair: Some(repair), peer, error: None });
                continue;
            }
            let report: TaskReport = serde_json::from_value(value).map_err(bad)?;
            rows.push(Row { name, report: Some(report), repair: None, peer, error: None });
        }
    }
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(rows)
}

/// Draws the cactus plot of `rows` to `path`.
fn plot_rows(path: &Path, rows: &[Row]) -> Result<(), String> {
    let answered = |r: &TaskReport| matches!(r.status, Status::Solved | Status::Infeasible);
    let mut series = vec![super::plot::Series {
        name: "synth".into(),
        seconds: rows
            .iter()
            .filter_map(|r| r.report.as_ref())
            .filter(|r| answered(r))
            .map(|r| r.time_ms / 1000.0)
            .collect(),
    }];
    let peers: Vec<&Peer> = rows.iter().filter_map(|r| r.peer.as_ref()).collect();
    if !peers.is_empty() {
        series.push(super::plot::Series {
            name: "cvc5".into(),
            seconds: peers
                .iter()
                .filter(|p| p.status == "solved" || p.status == "infeasible")
                .map(|p| p.seconds)
                .collect(),
        });
    }
    let title = format!("{} entries", rows.len());
    super::plot::cactus_svg(path, &title, &series)
}

/// Prints the table of `rows` (and draws the plot if asked); the exit status for a clean end.
fn finish(args: &SuiteArgs, rows: &[Row], json: bool) -> u8 {
    if !json {
        print_table(rows);
    }
    if let Some(path) = &args.plot {
        if let Err(msg) = plot_rows(path, rows) {
            eprintln!("synth suite: {msg}");
            return EXIT_BAD_INPUT;
        }
        eprintln!("synth suite: cactus plot written to {}", path.display());
    }
    EXIT_OK
}

pub fn run(args: &SuiteArgs) -> u8 {
    let fail = |msg: String| {
        eprintln!("synth suite: {msg}");
        EXIT_BAD_INPUT
    };
    if !args.merge.is_empty() {
        return match merged_rows(&args.merge) {
            Ok(rows) => {
                let errors = rows.iter().any(|r| r.error.is_some());
                combine(finish(args, &rows, false), if errors { EXIT_UNKNOWN } else { EXIT_OK })
            }
            Err(msg) => fail(msg),
        };
    }
    if args.paths.is_empty() && args.list.is_none() {
        return fail("give files, directories, --list FILE or --merge FILES".into());
    }
    let all = match entries(args) {
        Ok(e) => e,
        Err(msg) => return fail(msg),
    };
    let (shard, shards) = match args.shard.as_deref().map(parse_shard).transpose() {
        Ok(s) => s.unwrap_or((0, 1)),
        Err(msg) => return fail(msg),
    };
    let selected: Vec<Entry> =
        all.into_iter().enumerate().filter(|(i, _)| i % shards == shard).map(|(_, e)| e).collect();
    let cancel = interrupt_flag();
    let mut opts = SolveOptions {
        seed: args.seed,
        native_checks: args.native_checks,
        semantics: args.semantics.map(Into::into),
        engine: args.engine.into(),
        ..SolveOptions::default()
    };
    args.budget.apply(&mut opts);
    let timeout = *opts.timeout.get_or_insert(Duration::from_secs(60));
    opts.cancel = Some(cancel.clone());
    let bar =
        if args.json { indicatif::ProgressBar::hidden() } else { indicatif::ProgressBar::new(selected.len() as u64) };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {elapsed} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut rows: Vec<Row> = Vec::new();
    let mut status = EXIT_OK;
    for e in &selected {
        if cancel.load(Ordering::SeqCst) {
            break;
        }
        let name = entry_name(&e.file.display().to_string(), e.task.as_deref());
        bar.set_message(name.clone());
        let result = solve_entry(e, &opts);
        let peer = (args.cvc5 && e.task.is_none() && e.load_error.is_none() && !cancel.load(Ordering::SeqCst))
            .then(|| run_cvc5(&e.file, timeout, &cancel));
        bar.inc(1);
        match result {
            Ok(Outcome::Repair(repair, text)) => {
                if args.json {
                    let mut value = serde_json::to_value(&repair).unwrap_or_default();
                    if let Some(obj) = value.as_object_mut() {
                        obj.insert("kind".into(), "repair".into());
                        obj.insert("file".into(), e.file.display().to_string().into());
                        obj.insert("task".into(), e.task.clone().into());
                        obj.insert("repaired".into(), text.into());
                    }
                    println!("{value}");
                }
                if repair.status == crate::repair::RepairStatus::Unknown {
                    status = combine(status, super::EXIT_UNKNOWN);
                }
                rows.push(Row { name, report: None, repair: Some(repair), peer, error: None });
            }
            Ok(Outcome::Task(report, text)) => {
                if args.json {
                    let mut line = json(&report, &e.file.display().to_string(), text.as_deref());
                    if let Some(p) = &peer {
                        line.pop();
                        line.push_str(&format!(
                            ",\"cvc5_status\":\"{}\",\"cvc5_seconds\":{:.3}}}",
                            p.status, p.seconds
                        ));
                    }
                    println!("{line}");
                }
                rows.push(Row { name, report: Some(report), repair: None, peer, error: None });
            }
            Err(err) => {
                status = combine(status, err.status);
                if args.json {
                    println!(
                        "{}",
                        serde_json::json!({"file": e.file.display().to_string(), "task": e.task, "status": "error", "reason": err.message})
                    );
                }
                rows.push(Row { name, report: None, repair: None, peer, error: Some(err.message) });
            }
        }
    }
    bar.finish_and_clear();
    let interrupted = cancel.load(Ordering::SeqCst);
    status = combine(status, finish(args, &rows, args.json));
    if interrupted {
        eprintln!("synth suite: interrupted after {} of {} entries", rows.len(), selected.len());
        return EXIT_INTERRUPTED;
    }
    status
}

fn print_table(rows: &[Row]) {
    let with_cvc5 = rows.iter().any(|r| r.peer.is_some());
    let width = rows.iter().map(|r| r.name.chars().count()).max().unwrap_or(10).min(70);
    println!(
        "{:width$}  {:>10}  {:>5}  {:>8}  {:>10}{}",
        "entry",
        "status",
        "cost",
        "time s",
        "candidates",
        if with_cvc5 { "  cvc5 status  cvc5 s" } else { "" }
    );
    for row in rows {
        let shown = shorten(&row.name, width);
        let peer_text = row.peer.as_ref().map_or(String::new(), |p| format!("  {:>11}  {:>6.2}", p.status, p.seconds));
        if let Some(r) = &row.repair {
            let status = match r.status {
                crate::repair::RepairStatus::AlreadyCorrect => "correct",
                crate::repair::RepairStatus::Repaired => "repaired",
                crate::repair::RepairStatus::NoRepair => "no repair",
                crate::repair::RepairStatus::Unknown => "unknown",
            };
            let edit = r.edit_size.map_or("-".into(), |s| format!("e{s}"));
            println!("{shown:width$}  {status:>10}  {edit:>5}  {:>8.2}  {:>10}", r.time_ms / 1000.0, "-");
            continue;
        }
        match (&row.report, &row.error) {
            (Some(r), _) => println!(
                "{shown:width$}  {:>10}  {:>5}  {:>8.2}  {:>10}{peer_text}",
                status_name(r),
                r.cost.map_or("-".into(), |c| c.to_string()),
                r.time_ms / 1000.0,
                human_count(r.candidates)
            ),
            (None, Some(msg)) => println!("{shown:width$}  {:>10}  {msg}{peer_text}", "error"),
            (None, None) => {}
        }
    }
    let reports: Vec<&TaskReport> = rows.iter().filter_map(|r| r.report.as_ref()).collect();
    let answered = |r: &&&TaskReport| matches!(r.status, Status::Solved | Status::Infeasible);
    let times: Vec<f64> = reports.iter().filter(answered).map(|r| r.time_ms / 1000.0).collect();
    let errors = rows.iter().filter(|r| r.error.is_some()).count();
    let repairs: Vec<&RepairReport> = rows.iter().filter_map(|r| r.repair.as_ref()).collect();
    if !repairs.is_empty() {
        use crate::repair::RepairStatus;
        let fixed: Vec<&&RepairReport> = repairs.iter().filter(|r| r.status == RepairStatus::Repaired).collect();
        let sizes: Vec<f64> = fixed.iter().filter_map(|r| r.edit_size).map(f64::from).collect();
        let times: Vec<f64> = fixed.iter().map(|r| r.time_ms / 1000.0).collect();
        println!();
        println!(
            "repairs: {} of {} repaired ({} already correct), mean edit size {:.2}, median {:.3} s, max {:.3} s",
            fixed.len(),
            repairs.len(),
            repairs.iter().filter(|r| r.status == RepairStatus::AlreadyCorrect).count(),
            if sizes.is_empty() { 0.0 } else { sizes.iter().sum::<f64>() / sizes.len() as f64 },
            median(times.clone()).unwrap_or(0.0),
            times.iter().copied().fold(0.0, f64::max)
        );
    }
    if repairs.len() == rows.len() {
        return;
    }
    println!();
    println!(
        "synth: {} of {} answered ({} solved, {} infeasible{}), median {:.3} s, max {:.3} s",
        times.len(),
        rows.len() - repairs.len(),
        reports.iter().filter(|r| r.status == Status::Solved).count(),
        reports.iter().filter(|r| r.status == Status::Infeasible).count(),
        if errors > 0 { format!(", {errors} errors") } else { String::new() },
        median(times.clone()).unwrap_or(0.0),
        times.iter().copied().fold(0.0, f64::max)
    );
    if with_cvc5 {
        let peers: Vec<&Peer> = rows.iter().filter_map(|r| r.peer.as_ref()).collect();
        let ok: Vec<f64> =
            peers.iter().filter(|p| p.status == "solved" || p.status == "infeasible").map(|p| p.seconds).collect();
        println!(
            "cvc5:  {} of {} answered, median {:.3} s, max {:.3} s",
            ok.len(),
            peers.len(),
            median(ok.clone()).unwrap_or(0.0),
            ok.iter().copied().fold(0.0, f64::max)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_by_characters() {
        let name = "données/éléphant/problème-très-long.sl";
        let short = shorten(name, 12);
        assert_eq!(short.chars().count(), 12);
        assert!(short.starts_with('…') && short.ends_with("long.sl"));
        assert_eq!(shorten("a.sl", 12), "a.sl");
    }
}
