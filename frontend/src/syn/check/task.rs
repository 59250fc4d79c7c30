//! Checking a `synth` task: its clauses, the `equiv` function's signature, example arity and
//! values, opcode names in `using`, cost model, budgets.
//!
//! Invariant: a checked task's budgets are in range (`timeout` in 1 ms ..= [`MAX_TIMEOUT`],
//! `max_size` in 1 ..= [`MAX_SIZE_LIMIT`]), so no later arithmetic on them can overflow.

use std::time::Duration;

use ir::{CostModel, Opcode, SourceType};

use super::super::ast::{Clause, ClauseKind, Ident, IntLit, Span, SynthDef};
use super::super::diag::{ErrorKind, SynError, did_you_mean};
use super::super::typed::{CheckedExample, CheckedFn, CheckedTask};
use super::expr::BodyChecker;
use super::{Signatures, params, ret_type, spec_params};

fn signature_text(params: &[ir::SpecParam], ret: SourceType) -> String {
    let ps: Vec<String> = params.iter().map(|p| p.ty.to_string()).collect();
    format!("({}) -> {ret}", ps.join(", "))
}

fn ir_signature_text(params: &[ir::SpecParam], ret: SourceType) -> String {
    let ps: Vec<String> = params.iter().map(|p| p.ty.ty.to_string()).collect();
    format!("({}) -> {}", ps.join(", "), ret.ty)
}

/// Reports a second `equiv`/`using`/`cost`/`semantics`/`timeout`/`max_size` clause.
fn once(seen: &mut Option<Span>, clause: &Clause, keyword: &str, errors: &mut Vec<SynError>) -> bool {
    if let Some(first) = *seen {
        errors.push(
            SynError::new(ErrorKind::Duplicate, clause.span, format!("a task may have only one `{keyword}` clause"))
                .with_secondary(first, "first one here"),
        );
        return false;
    }
    *seen = Some(clause.span);
    true
}

fn plain_number(n: &IntLit, span: Span, what: &str, errors: &mut Vec<SynError>) -> Option<u128> {
    if let Some(s) = &n.suffix {
        errors.push(SynError::new(ErrorKind::Clause, span, format!("unexpected suffix `{s}` in {what}")));
        return None;
    }
    Some(n.value)
}

/// The longest `timeout` a task may ask for: one year (365 days). Longer budgets are surely
/// mistakes, and time arithmetic on them could overflow.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// The largest `max_size` a task may ask for. The search never gets near it; larger values
/// are refused as mistakes.
pub const MAX_SIZE_LIMIT: u32 = 1_000;

fn timeout(n: &IntLit, span: Span, errors: &mut Vec<SynError>) -> Option<Duration> {
    let too_long = |errors: &mut Vec<SynError>| {
        errors.push(
            SynError::new(ErrorKind::Clause, span, format!("timeout `{n}` is too long"))
                .with_label("at most 1 year")
                .with_note(format!("a timeout may be at most one year ({}s)", MAX_TIMEOUT.as_secs())),
        );
    };
    let Ok(value) = u64::try_from(n.value) else {
        too_long(errors);
        return None;
    };
    let d = match n.suffix.as_deref() {
        None | Some("s") => Duration::from_secs(value),
        Some("ms") => Duration::from_millis(value),
        Some(unit) => {
            errors.push(
                SynError::new(ErrorKind::Clause, span, format!("unknown time unit `{unit}`"))
                    .with_note("write seconds (`30s` or `30`) or milliseconds (`500ms`)"),
            );
            return None;
        }
    };
    if d.is_zero() {
        errors.push(SynError::new(ErrorKind::Clause, span, "timeout must be positive"));
        return None;
    }
    if d > MAX_TIMEOUT {
        too_long(errors);
        return None;
    }
    Some(d)
}

fn opcodes(names: &[Ident], errors: &mut Vec<SynError>) -> Vec<Opcode> {
    let mut ops = Vec::new();
    for name in names {
        match name.name.parse::<Opcode>() {
            Ok(op) if !ops.contains(&op) => ops.push(op),
            Ok(_) => {}
            Err(_) => {
                let all: Vec<&str> = Opcode::ALL.iter().map(|o| o.name()).collect();
                errors.push(
                    SynError::new(
                        ErrorKind::UnknownName,
                        name.span,
                        format!("unknown opcode `{}` in `using`", name.name),
                    )
                    .with_note(
                        did_you_mean(&name.name, all.iter().copied())
                            .unwrap_or_else(|| format!("the IR opcodes are {}", all.join(", "))),
                    ),
                );
            }
        }
    }
    ops
}

/// Checks one task against the signatures and checked functions.
pub fn check_task(t: &SynthDef, sigs: &Signatures, fns: &[CheckedFn], errors: &mut Vec<SynError>) -> CheckedTask {
    let ps = params(&t.params, errors);
    for (p, (name, _)) in t.params.iter().zip(&ps) {
        if name == "result" {
            errors.push(
                SynError::new(ErrorKind::Duplicate, p.name.span, "a task parameter cannot be named `result`")
                    .with_note("`result` names the task's result in `ensures` clauses"),
            );
        }
    }
    let ret = ret_type(&t.ret, errors);
    let spec_ps = spec_params(&ps);
    let mut task = CheckedTask {
        name: t.name.name.clone(),
        span: t.name.span,
        params: spec_ps.clone(),
        ret: ret.unwrap_or(SourceType::BOOL),
        equiv: None,
        requires: Vec::new(),
        ensures: Vec::new(),
        examples: Vec::new(),
        allowed_ops: None,
        cost: CostModel::default(),
        semantics: ir::Semantics::Defined,
        timeout: None,
        max_size: None,
        calls: Vec::new(),
        constants: Vec::new(),
    };
    let (mut seen_equiv, mut seen_using, mut seen_cost, mut seen_timeout, mut seen_size) =
        (None, None, None, None, None);
    let mut seen_semantics = None;
    let mut says_something = false;
    for clause in &t.clauses {
        match &clause.kind {
            ClauseKind::Equiv(f) => {
                says_something = true;
                if !once(&mut seen_equiv, clause, "equiv", errors) {
                    continue;
                }
                let Some(&index) = sigs.index.get(&f.name) else {
                    errors.push(SynError::new(
                        ErrorKind::UnknownName,
                        f.span,
                        format!("unknown function `{}`", f.name),
                    ));
                    continue;
                };
                let g = &fns[index];
                // Types that had an error (None) on either side match anything.
                let sig = &sigs.fns[index];
                let fits = |a: Option<SourceType>, b: Option<SourceType>| match (a, b) {
                    (Some(a), Some(b)) => a.ty == b.ty,
                    _ => true,
                };
                let same = fits(sig.ret, ret)
                    && sig.params.len() == ps.len()
                    && sig.params.iter().zip(&ps).all(|(a, (_, b))| fits(*a, *b));
                if !same {
                    errors.push(
                        SynError::new(
                            ErrorKind::Clause,
                            f.span,
                            format!(
                                "`{}` has signature {} but task `{}` has {}",
                                f.name,
                                signature_text(&g.params, g.ret),
                                t.name.name,
                                signature_text(&spec_ps, task.ret)
                            ),
                        )
                        .with_secondary(g.span, "defined here")
                        .with_note(format!(
                            "`equiv` needs the same IR signature: {} vs {}",
                            ir_signature_text(&g.params, g.ret),
                            ir_signature_text(&spec_ps, task.ret)
                        )),
                    );
                    continue;
                }
                task.equiv = Some(index);
                task.calls.push(index);
            }
            ClauseKind::Requires(e) | ClauseKind::Ensures(e) => {
                let ensures = matches!(clause.kind, ClauseKind::Ensures(_));
                says_something |= ensures;
                let mut scope = ps.clone();
                if ensures {
                    scope.push(("result".to_string(), ret));
                }
                let mut checker = BodyChecker::new(sigs, errors, &scope);
                if !ensures {
                    checker.set_result_note("`result` is only defined in `ensures` clauses");
                }
                let keyword = if ensures { "ensures" } else { "requires" };
                let cond = checker
                    .expect(e, SourceType::BOOL, |ty| format!("`{keyword}` needs a `bool` condition, found `{ty}`"));
                task.calls.extend(checker.calls.iter().map(|c| c.0));
                task.constants.extend(checker.constants);
                if let Some(cond) = cond {
                    if ensures { task.ensures.push(cond) } else { task.requires.push(cond) }
                }
            }
            ClauseKind::Example { name, args, value } => {
                says_something = true;
                if name.name != t.name.name {
                    errors.push(SynError::new(
                        ErrorKind::Clause,
                        name.span,
                        format!("this example is for `{}`, but the task is `{}`", name.name, t.name.name),
                    ));
                    continue;
                }
                if args.len() != ps.len() {
                    let s = if ps.len() == 1 { "" } else { "s" };
                    errors.push(SynError::new(
                        ErrorKind::Arity,
                        clause.span,
                        format!(
                            "`{}` takes {} argument{s}, but the example gives {}",
                            t.name.name,
                            ps.len(),
                            args.len()
                        ),
                    ));
                    continue;
                }
                let mut checker = BodyChecker::new(sigs, errors, &[]);
                checker.set_variable_note("example arguments and results are constant expressions");
                let mut checked = Vec::new();
                for (i, (a, (_, want))) in args.iter().zip(&ps).enumerate() {
                    checked.push(match want {
                        Some(want) => checker.expect(a, *want, |ty| {
                            format!("argument {} of the example has type `{ty}`, but `{want}` is expected", i + 1)
                        }),
                        None => checker.expr(a, None),
                    });
                }
                let value = match ret {
                    Some(want) => checker.expect(value, want, |ty| {
                        format!("the example's result has type `{ty}`, but `{}` returns `{want}`", t.name.name)
                    }),
                    None => checker.expr(value, None),
                };
                task.calls.extend(checker.calls.iter().map(|c| c.0));
                let args: Option<Vec<_>> = checked.into_iter().collect();
                if let (Some(args), Some(value)) = (args, value) {
                    task.examples.push(CheckedExample { args, value });
                }
            }
            ClauseKind::Using(names) => {
                if once(&mut seen_using, clause, "using", errors) {
                    task.allowed_ops = Some(opcodes(names, errors));
                }
            }
            ClauseKind::Cost(model) => {
                if once(&mut seen_cost, clause, "cost", errors) {
                    task.cost = match model.name.as_str() {
                        "size" => CostModel::Size,
                        "latency" => CostModel::Latency,
                        other => {
                            errors.push(SynError::new(
                                ErrorKind::UnknownName,
                                model.span,
                                format!("unknown cost model `{other}`, expected `size` or `latency`"),
                            ));
                            CostModel::Size
                        }
                    };
                }
            }
            ClauseKind::Semantics(mode) => {
                if once(&mut seen_semantics, clause, "semantics", errors) {
                    task.semantics = match mode.name.as_str() {
                        "defined" => ir::Semantics::Defined,
                        "total" => ir::Semantics::Total,
                        other => {
                            errors.push(
                                SynError::new(
                                    ErrorKind::UnknownName,
                                    mode.span,
                                    format!("unknown semantics `{other}`, expected `defined` or `total`"),
                                )
                                .with_note(
                                    "`defined`: no division by zero, MIN / -1 or over-wide shift (as in Rust and C); \
                                     `total`: the IR's results for those cases are allowed",
                                ),
                            );
                            ir::Semantics::Defined
                        }
                    };
                }
            }
            ClauseKind::Timeout(n, span) => {
                if once(&mut seen_timeout, clause, "timeout", errors) {
                    task.timeout = timeout(n, *span, errors);
                }
            }
            ClauseKind::MaxSize(n, span) => {
                if once(&mut seen_size, clause, "max_size", errors) {
                    match plain_number(n, *span, "max_size", errors) {
                        Some(0) => errors.push(SynError::new(ErrorKind::Clause, *span, "max_size must be positive")),
                        Some(v) if v <= u128::from(MAX_SIZE_LIMIT) => task.max_size = u32::try_from(v).ok(),
                        Some(_) => errors.push(
                            SynError::new(ErrorKind::Clause, *span, format!("max_size `{n}` is too large"))
                                .with_label(format!("at most {MAX_SIZE_LIMIT}")),
                        ),
                        None => {}
                    }
                }
            }
            ClauseKind::Error => says_something = true,
        }
    }
    if !says_something {
        errors.push(
            SynError::new(
                ErrorKind::Clause,
                t.name.span,
                format!("task `{}` says nothing about its result", t.name.name),
            )
            .with_note("add an `equiv`, `ensures` or `example` clause"),
        );
    }
    task
}

#[cfg(test)]
mod tests {
    use crate::syn::parse_syn;

    fn first_error(text: &str) -> String {
        parse_syn(text).unwrap_err().errors()[0].message.clone()
    }

    #[test]
    fn budgets_are_bounded() {
        let task =
            |clause: &str| format!("fn r(x: u32) -> u32 {{ x }}\nsynth g(x: u32) -> u32 {{ equiv r; {clause} }}");
        assert_eq!(first_error(&task("timeout 18446744073709551615;")), "timeout `18446744073709551615` is too long");
        assert_eq!(first_error(&task("timeout 31536001;")), "timeout `31536001` is too long");
        assert_eq!(first_error(&task("timeout 31536000001ms;")), "timeout `31536000001ms` is too long");
        assert_eq!(first_error(&task("max_size 1001;")), "max_size `1001` is too large");
        let ok = parse_syn(&task("timeout 31536000; max_size 1000;")).unwrap();
        assert_eq!(ok.tasks[0].timeout, Some(super::MAX_TIMEOUT));
        assert_eq!(ok.tasks[0].max_size, Some(super::MAX_SIZE_LIMIT));
    }
}
