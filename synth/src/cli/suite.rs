//! `synth suite PATH...`: run every task of many files, print a table (or JSON lines).
//!
//! Entries are the tasks of `.syn` files and the problems of `.sl` files found under the given
//! paths (recursively, sorted), or listed in `--list FILE`. `--shard i/n` runs the entries whose
//! index is `i` modulo `n`, so a batch system can split a suite across machines and the JSON
//! lines of the shards merge by concatenation. `--cvc5` also runs cvc5 on each SyGuS problem
//! with the same time limit, for a side-by-side comparison.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::solve::{SolveOptions, Status, TaskReport, solve_problem, solve_spec};

use super::report::{human_count, json};
use super::solve::sygus_answer;
use super::{EXIT_BAD_INPUT, EXIT_OK, input};

/// Arguments of `synth suite`.
#[derive(Debug, clap::Args)]
pub struct SuiteArgs {
    /// Files or directories (searched recursively for .syn and .sl files).
    pub paths: Vec<PathBuf>,
    /// A text file listing problem paths, one per line, relative to the list's directory.
    #[arg(long, value_name = "FILE")]
    pub list: Option<PathBuf>,
    /// Time budget per entry in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 60.0)]
    pub timeout: f64,
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
    /// Worker threads per entry (default: all cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Random inputs for the native check of each answer.
    #[arg(long, default_value_t = 100_000, value_name = "N")]
    pub native_checks: usize,
}

/// One entry of a suite.
#[derive(Debug, Clone)]
struct Entry {
    file: PathBuf,
    /// The task name for `.syn` files.
    task: Option<String>,
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
            let f = input::load_syn(&file).map_err(|_| format!("{}: does not parse", file.display()))?;
            out.extend(f.tasks.iter().map(|t| Entry { file: file.clone(), task: Some(t.name.clone()) }));
        } else {
            out.push(Entry { file, task: None });
        }
    }
    Ok(out)
}

/// The outcome of cvc5 on one problem.
#[derive(Debug, Clone)]
struct Peer {
    status: &'static str,
    seconds: f64,
}

fn run_cvc5(file: &Path, timeout: Duration) -> Peer {
    let start = Instant::now();
    let child =
        Command::new("cvc5").arg("--lang=sygus2").arg(file).stdout(Stdio::piped()).stderr(Stdio::null()).spawn();
    let Ok(mut child) = child else { return Peer { status: "missing", seconds: 0.0 } };
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Peer { status: "timeout", seconds: start.elapsed().as_secs_f64() };
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => return Peer { status: "error", seconds: start.elapsed().as_secs_f64() },
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let mut out = String::new();
    if let Some(mut s) = child.stdout.take() {
        use std::io::Read;
        let _ = s.read_to_string(&mut out);
    }
    let status = if out.contains("define-fun") {
        "solved"
    } else if out.trim() == "infeasible" {
        "infeasible"
    } else {
        "fail"
    };
    Peer { status, seconds }
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Solved => "solved",
        Status::NoSolution => "unsolved",
        Status::Infeasible => "infeasible",
        Status::Unknown => "unknown",
    }
}

fn solve_entry(e: &Entry, opts: &SolveOptions) -> Result<(TaskReport, Option<String>), String> {
    if let Some(task) = &e.task {
        let f = input::load_syn(&e.file).map_err(|_| "does not parse".to_string())?;
        let spec = f.tasks.iter().find(|t| &t.name == task).ok_or("task vanished")?;
        let r = solve_spec(spec, opts, &mut |_| {}).map_err(|e| e.to_string())?;
        let sig =
            frontend::syn::SourceSignature { name: spec.name.clone(), params: spec.params.clone(), ret: spec.ret };
        let text = r.function.as_ref().map(|f| frontend::syn::print_function(f, &sig));
        Ok((r, text))
    } else {
        let text = std::fs::read_to_string(&e.file).map_err(|err| err.to_string())?;
        let file = frontend::sygus::parse_sygus(&text).map_err(|err| err.to_string())?;
        let mut problem = file.problem.clone();
        problem.name = e.file.file_stem().map_or(problem.name, |s| s.to_string_lossy().into_owned());
        let mut sygus_opts = opts.clone();
        sygus_opts.prove_optimal = false;
        let r = solve_problem(&problem, &sygus_opts, &mut |_| {}).map_err(|e| e.to_string())?;
        let answer = sygus_answer(&r, &file.problem);
        Ok((r, Some(answer)))
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

pub fn run(args: &SuiteArgs) -> u8 {
    let fail = |msg: String| {
        eprintln!("synth suite: {msg}");
        EXIT_BAD_INPUT
    };
    if args.paths.is_empty() && args.list.is_none() {
        return fail("give files, directories or --list FILE".into());
    }
    if !(args.timeout > 0.0 && args.timeout.is_finite()) {
        return fail(format!("--timeout must be positive, got {}", args.timeout));
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
    let timeout = Duration::from_secs_f64(args.timeout);
    let mut opts = SolveOptions {
        timeout: Some(timeout),
        seed: args.seed,
        native_checks: args.native_checks,
        ..SolveOptions::default()
    };
    if let Some(t) = args.threads {
        opts.threads = t.max(1);
    }
    let bar =
        if args.json { indicatif::ProgressBar::hidden() } else { indicatif::ProgressBar::new(selected.len() as u64) };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {elapsed} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut rows = Vec::new();
    for e in &selected {
        let name = match &e.task {
            Some(t) => format!("{}:{t}", e.file.display()),
            None => e.file.display().to_string(),
        };
        bar.set_message(name.clone());
        let result = solve_entry(e, &opts);
        let peer = (args.cvc5 && e.task.is_none()).then(|| run_cvc5(&e.file, timeout));
        bar.inc(1);
        match result {
            Ok((report, text)) => {
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
                rows.push((name, Some(report), peer, None));
            }
            Err(msg) => {
                if args.json {
                    println!(
                        "{}",
                        serde_json::json!({"file": e.file.display().to_string(), "task": e.task, "status": "error", "reason": msg})
                    );
                }
                rows.push((name, None, peer, Some(msg)));
            }
        }
    }
    bar.finish_and_clear();
    if args.json {
        return EXIT_OK;
    }
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(10).min(70);
    println!(
        "{:width$}  {:>10}  {:>5}  {:>8}  {:>10}{}",
        "entry",
        "status",
        "cost",
        "time s",
        "candidates",
        if args.cvc5 { "  cvc5 status  cvc5 s" } else { "" }
    );
    for (name, report, peer, err) in &rows {
        let shown: String =
            if name.len() > width { format!("…{}", &name[name.len() - width + 1..]) } else { name.clone() };
        let peer_text = peer.as_ref().map_or(String::new(), |p| format!("  {:>11}  {:>6.2}", p.status, p.seconds));
        match (report, err) {
            (Some(r), _) => println!(
                "{shown:width$}  {:>10}  {:>5}  {:>8.2}  {:>10}{peer_text}",
                status_name(r.status),
                r.cost.map_or("-".into(), |c| c.to_string()),
                r.time_ms / 1000.0,
                human_count(r.candidates)
            ),
            (None, Some(msg)) => println!("{shown:width$}  {:>10}  {msg}{peer_text}", "error"),
            (None, None) => {}
        }
    }
    let reports: Vec<&TaskReport> = rows.iter().filter_map(|r| r.1.as_ref()).collect();
    let answered = |r: &&&TaskReport| matches!(r.status, Status::Solved | Status::Infeasible);
    let times: Vec<f64> = reports.iter().filter(answered).map(|r| r.time_ms / 1000.0).collect();
    println!();
    println!(
        "synth: {} of {} answered ({} solved, {} infeasible), median {:.3} s, max {:.3} s",
        times.len(),
        rows.len(),
        reports.iter().filter(|r| r.status == Status::Solved).count(),
        reports.iter().filter(|r| r.status == Status::Infeasible).count(),
        median(times.clone()).unwrap_or(0.0),
        times.iter().copied().fold(0.0, f64::max)
    );
    if args.cvc5 {
        let peers: Vec<&Peer> = rows.iter().filter_map(|r| r.2.as_ref()).collect();
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
    EXIT_OK
}
