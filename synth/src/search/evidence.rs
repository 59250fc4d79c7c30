//! What the search knows about the spec: the test inputs, the evaluation points they induce,
//! and the check a candidate's column must pass.
//!
//! A *test* assigns a value to every problem variable. Each call of the target in a constraint,
//! at each test, evaluates the target at a *point* (an argument tuple); columns hold a term's
//! values at the distinct points. Constraints of the form `f(args) == e` (optionally guarded,
//! `!g || f(args) == e`) are *functional*: they fix the expected value at a point, so a
//! candidate is checked by comparing its column with the target column (a hash lookup when
//! every point is fixed). Any other constraint is *relational* and is evaluated per test with
//! the candidate's values substituted for the calls.

use rustc_hash::FxHashMap as HashMap;

use ir::{Formula, Node, NodeId, Opcode, Problem};

use super::SearchError;

/// A constraint of the form `g1 && g2 && ... => f(args) == expr`.
#[derive(Debug, Clone)]
struct Functional {
    constraint: usize,
    call: NodeId,
    expr: NodeId,
    guards: Vec<NodeId>,
}

/// How the constraints of a single-target problem are used.
#[derive(Debug, Clone)]
pub struct Analysis {
    functional: Vec<Functional>,
    relational: Vec<usize>,
    /// Per constraint: which nodes depend on a call of the target.
    depends: Vec<Vec<bool>>,
    /// All call nodes, as (constraint, node).
    call_sites: Vec<(usize, NodeId)>,
    /// Per constraint, per node: its index in `call_sites` (calls only).
    site_of: Vec<Vec<Option<usize>>>,
    /// The defined-behaviour discipline's exemption (`problem.safety`), ready to evaluate.
    exempt: Option<ir::Interpreter>,
}

impl Analysis {
    /// Classifies the constraints of `problem` (which must have exactly one target).
    pub fn new(problem: &Problem) -> Result<Analysis, SearchError> {
        let mut depends = Vec::new();
        let mut call_sites = Vec::new();
        for (ci, f) in problem.constraints.iter().enumerate() {
            let mut dep = vec![false; f.nodes.len()];
            for (id, node) in f.nodes.iter().enumerate() {
                dep[id] = match node {
                    Node::Call { args, .. } => {
                        if args.iter().any(|&a| dep[a]) {
                            return Err(SearchError::Unsupported(
                                "a constraint calls the function on a result of the function (nested calls)".into(),
                            ));
                        }
                        call_sites.push((ci, id));
                        true
                    }
                    Node::Op { args, .. } => args.iter().any(|&a| dep[a]),
                    _ => false,
                };
            }
            depends.push(dep);
        }
        let mut functional = Vec::new();
        let mut relational = Vec::new();
        for (ci, f) in problem.constraints.iter().enumerate() {
            let mut found = Vec::new();
            if classify(f, &depends[ci], f.root(), &[], &mut found) {
                functional.extend(found.into_iter().map(|(call, expr, guards)| Functional {
                    constraint: ci,
                    call,
                    expr,
                    guards,
                }));
            } else {
                relational.push(ci);
            }
        }
        let mut site_of: Vec<Vec<Option<usize>>> = depends.iter().map(|d| vec![None; d.len()]).collect();
        for (site, &(ci, node)) in call_sites.iter().enumerate() {
            site_of[ci][node] = Some(site);
        }
        let exempt = match &problem.safety {
            Some(safety) => Some(
                ir::Interpreter::new(&safety.exempt)
                    .map_err(|e| SearchError::Invalid(format!("the discipline's exemption: {e}")))?,
            ),
            None => None,
        };
        Ok(Analysis { functional, relational, depends, call_sites, site_of, exempt })
    }
}

/// Splits `node` into functional parts `guards => call == expr`; false if it is not of that form.
/// Guards accumulate through `!g || rest` (how `=>` lowers) and through `&&` of call-free terms.
fn classify(
    f: &Formula,
    dep: &[bool],
    node: NodeId,
    guards: &[NodeId],
    out: &mut Vec<(NodeId, NodeId, Vec<NodeId>)>,
) -> bool {
    let Node::Op { opcode, args, .. } = &f.nodes[node] else { return false };
    let is_call = |n: NodeId| matches!(f.nodes[n], Node::Call { .. });
    match opcode {
        Opcode::Eq if is_call(args[0]) && !dep[args[1]] => {
            out.push((args[0], args[1], guards.to_vec()));
            true
        }
        Opcode::Eq if is_call(args[1]) && !dep[args[0]] => {
            out.push((args[1], args[0], guards.to_vec()));
            true
        }
        Opcode::And => classify(f, dep, args[0], guards, out) && classify(f, dep, args[1], guards, out),
        Opcode::Or => {
            let negated = |n: NodeId| match &f.nodes[n] {
                Node::Op { opcode: Opcode::Not, args, .. } if !dep[args[0]] => Some(args[0]),
                _ => None,
            };
            let (guard, rest) = if let Some(g) = negated(args[0]) {
                (g, args[1])
            } else if let Some(g) = negated(args[1]) {
                (g, args[0])
            } else {
                return false;
            };
            let mut more = guards.to_vec();
            more.push(guard);
            classify(f, dep, rest, &more, out)
        }
        _ => false,
    }
}

/// Evaluates the call-free nodes of `f` at a test (call-dependent nodes are left 0).
fn eval_free_nodes(problem: &Problem, f: &Formula, dep: &[bool], vars: &[u64]) -> Vec<u64> {
    let mut values = vec![0u64; f.nodes.len()];
    for id in (0..f.nodes.len()).filter(|&id| !dep[id]) {
        values[id] = f.eval_node(problem, id, &values, vars);
    }
    values
}

/// Tests, points, the target column and the per-test data relational checks need.
#[derive(Debug, Clone)]
pub struct Evidence {
    /// The test inputs (one value per problem variable).
    pub tests: Vec<Vec<u64>>,
    /// The distinct argument tuples the target is evaluated at.
    pub points: Vec<Vec<u64>>,
    point_index: HashMap<Vec<u64>, u32>,
    /// Expected value per point (meaningful where `care`).
    pub target: Vec<u64>,
    /// Whether a functional constraint fixes the value at each point.
    pub care: Vec<bool>,
    /// Per point, with a defined-behaviour discipline: true if a candidate may not reach a
    /// guarded case there (empty without a discipline).
    pub forbidden: Vec<bool>,
    /// Per test, per call site: the point index.
    site_points: Vec<Vec<u32>>,
    /// Per test, per relational constraint: the call-free node values.
    cache: Vec<Vec<Vec<u64>>>,
    /// Set when two tests demand different values at one point: the spec is unsatisfiable.
    pub conflict: Option<String>,
}

impl Evidence {
    /// Empty evidence.
    pub fn new() -> Self {
        Evidence {
            tests: Vec::new(),
            points: Vec::new(),
            point_index: HashMap::default(),
            target: Vec::new(),
            care: Vec::new(),
            forbidden: Vec::new(),
            site_points: Vec::new(),
            cache: Vec::new(),
            conflict: None,
        }
    }

    /// Number of points.
    pub fn n_points(&self) -> usize {
        self.points.len()
    }

    /// True if only functional constraints exist: a candidate is right on the tests iff it
    /// matches the target column on the points that are cared for.
    pub fn is_functional(&self, analysis: &Analysis) -> bool {
        analysis.relational.is_empty()
    }

    /// True if every point's value is fixed and nothing else is checked: a candidate is right
    /// on the tests iff its column equals the target column.
    pub fn is_exact(&self, analysis: &Analysis) -> bool {
        analysis.relational.is_empty() && self.care.iter().all(|&c| c)
    }

    /// Adds a test; new points are appended at the end. Returns the number of points added.
    pub fn add_test(&mut self, problem: &Problem, analysis: &Analysis, vars: Vec<u64>) -> usize {
        let before = self.points.len();
        let mut free: Vec<Vec<u64>> = Vec::with_capacity(problem.constraints.len());
        for (ci, f) in problem.constraints.iter().enumerate() {
            free.push(eval_free_nodes(problem, f, &analysis.depends[ci], &vars));
        }
        let mut sites = Vec::with_capacity(analysis.call_sites.len());
        for &(ci, node) in &analysis.call_sites {
            let Node::Call { args, .. } = &problem.constraints[ci].nodes[node] else { unreachable!() };
            let point: Vec<u64> = args.iter().map(|&a| free[ci][a]).collect();
            let next = self.points.len() as u32;
            let idx = *self.point_index.entry(point.clone()).or_insert_with(|| {
                if let Some(exempt) = &analysis.exempt {
                    self.forbidden.push(exempt.eval(&point) & 1 == 0);
                }
                self.points.push(point);
                self.target.push(0);
                self.care.push(false);
                next
            });
            sites.push(idx);
        }
        for func in &analysis.functional {
            let values = &free[func.constraint];
            if func.guards.iter().any(|&g| values[g] & 1 == 0) {
                continue;
            }
            let site =
                analysis.site_of[func.constraint][func.call].expect("a functional constraint's call is a call site");
            let p = sites[site] as usize;
            let expected = values[func.expr];
            if self.care[p] && self.target[p] != expected && self.conflict.is_none() {
                self.conflict = Some(format!(
                    "the spec demands two different results ({} and {}) for the arguments {:?}",
                    self.target[p], expected, self.points[p]
                ));
            }
            self.care[p] = true;
            self.target[p] = expected;
        }
        self.cache.push(analysis.relational.iter().map(|&ci| free[ci].clone()).collect());
        self.site_points.push(sites);
        self.tests.push(vars);
        self.points.len() - before
    }

    /// True if a candidate whose values at the points are `col` meets the spec on every test.
    pub fn check(&self, problem: &Problem, analysis: &Analysis, col: &[u64]) -> bool {
        if col.iter().zip(&self.target).zip(&self.care).any(|((&v, &t), &care)| care && v != t) {
            return false;
        }
        if analysis.relational.is_empty() {
            return true;
        }
        let mut scratch = Vec::new();
        for (t, test) in self.tests.iter().enumerate() {
            for (k, &ci) in analysis.relational.iter().enumerate() {
                let f = &problem.constraints[ci];
                let dep = &analysis.depends[ci];
                scratch.clear();
                scratch.extend_from_slice(&self.cache[t][k]);
                for (id, node) in f.nodes.iter().enumerate() {
                    if !dep[id] {
                        continue;
                    }
                    scratch[id] = match node {
                        Node::Call { .. } => {
                            let site = analysis.site_of[ci][id].expect("every call node is a call site");
                            col[self.site_points[t][site] as usize]
                        }
                        _ => f.eval_node(problem, id, &scratch, test),
                    };
                }
                if scratch[f.root()] & 1 == 0 {
                    return false;
                }
            }
        }
        true
    }
}

impl Default for Evidence {
    fn default() -> Self {
        Self::new()
    }
}
