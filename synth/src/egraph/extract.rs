//! Extraction: the cheapest term of an e-class, as a DAG whose shared sub-terms count once.
//!
//! Costs are the enumerator's (`synth::search::cost`): under [`CostModel::Size`] each
//! operation costs 1, under [`CostModel::Latency`] its latency; constants and parameters are
//! free. The cost of a term is the sum over its *distinct* operation nodes ([`dag_cost`]), so
//! `(x + y) * (x + y)` costs 2, not 3. Three extractors:
//!
//! - [`extract_tree`]: egg's bottom-up extractor with the tree cost (a shared sub-term counted
//!   at each use). Always succeeds; used as a fallback and a baseline.
//! - [`extract_greedy`]: the "faster greedy DAG" extractor of extraction-gym. Each class keeps
//!   the best node found so far together with the set of classes its term needs (with each
//!   one's node cost); a node's cost is the cost of the union of its children's sets plus its
//!   own, so sub-terms shared between operands are counted once. Nodes whose children's sets
//!   already contain their own class are skipped, which keeps the choice acyclic; the result
//!   is checked for cycles anyway and, if one ever shows up, or if the tree extractor's term
//!   is cheaper as a DAG, the tree term is returned instead.
//! - [`extract_ilp`]: the exact DAG optimum as a 0-1 integer linear program solved by the
//!   pure-Rust `microlp` solver, within a time limit and warm-started from the greedy answer:
//!   a binary per reachable class (in the term or not) and per node (chosen or not), exactly
//!   one chosen node per class in the term, a chosen node's children in the term, and an order
//!   variable per class in a cycle of the class graph (`t_parent >= t_child + 1` for chosen
//!   nodes inside a strongly connected component, by big-M) that rules out cycles; the
//!   objective sums chosen nodes' costs. When the time runs out the best solution found is
//!   used (never worse than the warm start).
//!
//! [`extract`] runs the greedy extractor and then, when asked and when the e-graph has at
//! most `max_nodes` reachable nodes ([`Extraction::Ilp`]), the ILP; it returns the cheapest.
//!
//! Invariant: every returned term is acyclic, its root is a node of the requested class, and
//! its cost is its [`dag_cost`].

use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;
use std::time::Duration;

use egg::{CostFunction, Extractor, Id, Language, RecExpr};
use ir::CostModel;

use super::analysis::IrEGraph;
use super::lang::IrNode;
use crate::search::cost::op_cost;

/// What a node costs by itself under `model` (0 for constants and parameters).
pub fn node_cost(model: CostModel, node: &IrNode) -> u32 {
    match node {
        IrNode::Op(op) => op_cost(model, op.opcode),
        IrNode::Param(..) | IrNode::Const(..) => 0,
    }
}

/// The cost of `expr`'s root as a DAG: each distinct node reachable from the root once.
pub fn dag_cost(expr: &RecExpr<IrNode>, model: CostModel) -> u32 {
    let nodes = expr.as_ref();
    let Some(root) = nodes.len().checked_sub(1) else { return 0 };
    // Canonical index of each node (structurally equal nodes share one), then the reachable set.
    let mut canon: Vec<usize> = Vec::with_capacity(nodes.len());
    let mut memo: HashMap<IrNode, usize> = HashMap::new();
    for (i, node) in nodes.iter().enumerate() {
        let renamed = node.map_children(|c| Id::from(canon[usize::from(c)]));
        canon.push(*memo.entry(renamed).or_insert(i));
    }
    let mut seen = HashSet::new();
    let mut stack = vec![canon[root]];
    let mut total = 0u32;
    while let Some(i) = stack.pop() {
        if seen.insert(i) {
            total = total.saturating_add(node_cost(model, &nodes[i]));
            stack.extend(nodes[i].children().iter().map(|&c| canon[usize::from(c)]));
        }
    }
    total
}

/// Which extractor [`extract`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extraction {
    /// Only the greedy DAG extractor.
    Greedy,
    /// The greedy extractor, then the exact ILP when the e-graph has at most `max_nodes`
    /// nodes reachable from the root, for at most `time_limit`.
    Ilp {
        /// The solver's time budget.
        time_limit: Duration,
        /// Larger e-graphs only get the greedy extractor.
        max_nodes: usize,
    },
}

impl Default for Extraction {
    /// The ILP for e-graphs of up to 250 reachable nodes, for at most half a second.
    ///
    /// Measured (`measure_ilp_extraction` in the tests, 1 s limit, saturated e-graphs of random
    /// 6- to 20-instruction functions): `microlp` proves the optimum of every e-graph of up to
    /// about 100 nodes within 0.1 s, of most of 100 to 200 nodes within 1 s, and of none
    /// larger; there it returns the warm start or a slightly cheaper term. The greedy
    /// extractor takes under 2 ms on all of them.
    fn default() -> Self {
        Extraction::Ilp { time_limit: Duration::from_millis(500), max_nodes: 250 }
    }
}

/// Which extractor produced a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtractMethod {
    /// The tree-cost extractor (the greedy one was not better).
    Tree,
    /// The greedy DAG extractor.
    Greedy,
    /// The ILP, proved optimal.
    IlpOptimal,
    /// The ILP's best solution when its time ran out (not proved optimal).
    IlpFeasible,
}

/// An extracted term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// The term; its last node is the root.
    pub expr: RecExpr<IrNode>,
    /// Its [`dag_cost`].
    pub cost: u32,
    /// The extractor that found it.
    pub method: ExtractMethod,
}

/// The cheapest term of `root`: the greedy DAG extractor's ([`extract_greedy`]), then, with
/// [`Extraction::Ilp`] and an e-graph of at most `max_nodes` nodes reachable from `root`, the
/// exact ILP's ([`extract_ilp`], warm-started from the greedy term, within `time_limit`) if
/// it is not dearer. Acyclic, and its cost is its [`dag_cost`].
pub fn extract(egraph: &IrEGraph, root: Id, model: CostModel, how: Extraction) -> Extracted {
    let greedy = extract_greedy(egraph, root, model);
    match how {
        Extraction::Greedy => greedy,
        Extraction::Ilp { time_limit, max_nodes } => {
            if reachable_node_count(egraph, root) > max_nodes || greedy.cost == 0 {
                return greedy;
            }
            match extract_ilp(egraph, root, model, time_limit, Some(&greedy)) {
                Some(ilp) if ilp.cost <= greedy.cost => ilp,
                _ => greedy,
            }
        }
    }
}

/// Tree cost for egg's extractor.
struct TreeCost(CostModel);

impl CostFunction<IrNode> for TreeCost {
    type Cost = u64;
    fn cost<C>(&mut self, enode: &IrNode, mut costs: C) -> u64
    where
        C: FnMut(Id) -> u64,
    {
        enode.children().iter().fold(u64::from(node_cost(self.0, enode)), |sum, &c| sum.saturating_add(costs(c)))
    }
}

/// The cheapest term of `root` by tree cost (shared sub-terms counted at each use), with its
/// DAG cost.
pub fn extract_tree(egraph: &IrEGraph, root: Id, model: CostModel) -> Extracted {
    let (_, expr) = Extractor::new(egraph, TreeCost(model)).find_best(root);
    let expr = share(&expr);
    Extracted { cost: dag_cost(&expr, model), expr, method: ExtractMethod::Tree }
}

/// `expr` with structurally equal nodes stored once (the root stays last).
fn share(expr: &RecExpr<IrNode>) -> RecExpr<IrNode> {
    let mut out = RecExpr::default();
    let mut memo: HashMap<IrNode, Id> = HashMap::new();
    let mut ids: Vec<Id> = Vec::new();
    for node in expr.as_ref() {
        let renamed = node.map_children(|c| ids[usize::from(c)]);
        let id = *memo.entry(renamed).or_insert_with(|| out.add(renamed));
        ids.push(id);
    }
    out
}

/// The classes of the e-graph with their nodes, densely numbered, and who uses each class.
struct Classes {
    index: HashMap<Id, usize>,
    /// The inverse of `index`.
    ids: Vec<Id>,
    nodes: Vec<Vec<IrNode>>,
    /// `parents[c]`: the `(class, node)` pairs with class `c` among the node's children.
    parents: Vec<Vec<(usize, usize)>>,
}

impl Classes {
    fn new(egraph: &IrEGraph) -> Classes {
        let mut index = HashMap::new();
        let mut ids = Vec::new();
        let mut nodes = Vec::new();
        for class in egraph.classes() {
            index.insert(class.id, nodes.len());
            ids.push(class.id);
            nodes.push(class.nodes.iter().map(|n| n.map_children(|c| egraph.find(c))).collect::<Vec<_>>());
        }
        let mut parents = vec![Vec::new(); nodes.len()];
        for (c, ns) in nodes.iter().enumerate() {
            for (n, node) in ns.iter().enumerate() {
                for child in node.children() {
                    parents[index[child]].push((c, n));
                }
            }
        }
        Classes { index, ids, nodes, parents }
    }

    fn child_classes<'a>(&'a self, node: &'a IrNode) -> impl Iterator<Item = usize> + 'a {
        node.children().iter().map(|c| self.index[c])
    }

    /// Builds the term of `root` following one chosen node per class; `None` on a cycle or a
    /// class without a choice.
    fn build(&self, root: usize, choice: &dyn Fn(usize) -> Option<usize>) -> Option<RecExpr<IrNode>> {
        enum Visit {
            Enter(usize),
            Exit(usize),
        }
        let mut expr = RecExpr::default();
        let mut done: HashMap<usize, Id> = HashMap::new();
        let mut on_stack: HashSet<usize> = HashSet::new();
        let mut stack = vec![Visit::Enter(root)];
        while let Some(visit) = stack.pop() {
            match visit {
                Visit::Enter(c) => {
                    if done.contains_key(&c) {
                        continue;
                    }
                    if !on_stack.insert(c) {
                        return None; // a cycle
                    }
                    let node = &self.nodes[c][choice(c)?];
                    stack.push(Visit::Exit(c));
                    for k in self.child_classes(node) {
                        if !done.contains_key(&k) {
                            stack.push(Visit::Enter(k));
                        }
                    }
                }
                Visit::Exit(c) => {
                    let node = self.nodes[c][choice(c)?].map_children(|k| done[&self.index[&k]]);
                    on_stack.remove(&c);
                    done.insert(c, expr.add(node));
                }
            }
        }
        let root_id = done.get(&root)?;
        // The root was finished last, so it is the last node.
        (usize::from(*root_id) + 1 == expr.len()).then_some(expr)
    }
}

/// The number of nodes in classes reachable from `root`.
fn reachable_node_count(egraph: &IrEGraph, root: Id) -> usize {
    let mut seen = HashSet::new();
    let mut stack = vec![egraph.find(root)];
    let mut count = 0;
    while let Some(c) = stack.pop() {
        if seen.insert(c) {
            count += egraph[c].nodes.len();
            stack.extend(egraph[c].nodes.iter().flat_map(|n| n.children().iter().map(|&k| egraph.find(k))));
        }
    }
    count
}

/// The best node of a class for the greedy extractor: its index, the classes its term needs
/// with each one's node cost, and the total.
#[derive(Clone)]
struct Best {
    node: usize,
    set: Rc<HashMap<usize, u32>>,
    total: u32,
}

/// The "faster greedy DAG" extractor of extraction-gym; never worse than [`extract_tree`].
///
/// Each class keeps its best node so far with the set of classes its term needs (each with
/// its node's cost); a node's cost is the cost of the union of its children's sets plus its
/// own, so a sub-term shared by two operands counts once. A node whose children's sets already
/// contain its own class is skipped, which keeps the choice acyclic; the result is checked
/// for cycles anyway and, if one shows up or the tree extractor's term is cheaper as a DAG,
/// the tree term is returned.
pub fn extract_greedy(egraph: &IrEGraph, root: Id, model: CostModel) -> Extracted {
    let tree = extract_tree(egraph, root, model);
    let classes = Classes::new(egraph);
    let mut best: Vec<Option<Best>> = vec![None; classes.nodes.len()];
    let mut queue: VecDeque<(usize, usize)> = VecDeque::new();
    let mut queued: HashSet<(usize, usize)> = HashSet::new();
    for (c, ns) in classes.nodes.iter().enumerate() {
        for (n, node) in ns.iter().enumerate() {
            if node.is_leaf() {
                queue.push_back((c, n));
                queued.insert((c, n));
            }
        }
    }
    while let Some((c, n)) = queue.pop_front() {
        queued.remove(&(c, n));
        let node = &classes.nodes[c][n];
        let kids: Vec<usize> = classes.child_classes(node).collect();
        if kids.iter().any(|&k| k == c || best[k].is_none()) {
            continue;
        }
        // Start from the largest child set and add the others.
        let largest = kids.iter().copied().max_by_key(|&k| best[k].as_ref().map_or(0, |b| b.set.len()));
        let mut set: HashMap<usize, u32> = match largest {
            Some(k) => best[k].as_ref().map(|b| (*b.set).clone()).unwrap_or_default(),
            None => HashMap::new(),
        };
        for &k in &kids {
            if Some(k) != largest
                && let Some(b) = &best[k]
            {
                set.extend(b.set.iter().map(|(&a, &v)| (a, v)));
            }
        }
        if set.contains_key(&c) {
            continue; // choosing this node would make the term cyclic
        }
        set.insert(c, node_cost(model, node));
        let total = set.values().fold(0u32, |s, &v| s.saturating_add(v));
        if best[c].as_ref().is_none_or(|b| total < b.total) {
            best[c] = Some(Best { node: n, set: Rc::new(set), total });
            for &p in &classes.parents[c] {
                if queued.insert(p) {
                    queue.push_back(p);
                }
            }
        }
    }
    let root_class = classes.index[&egraph.find(root)];
    let greedy = classes.build(root_class, &|c| best[c].as_ref().map(|b| b.node));
    match greedy {
        Some(expr) => {
            let cost = dag_cost(&expr, model);
            if cost <= tree.cost { Extracted { expr, cost, method: ExtractMethod::Greedy } } else { tree }
        }
        None => tree,
    }
}

/// The exact DAG extractor: a 0-1 integer linear program solved by the pure-Rust `microlp`
/// solver within `time_limit`; `None` if the solver fails or finds no solution in time.
///
/// One binary per class reachable from `root` (in the term or not) and per node (chosen or
/// not, with the node's cost in the objective), exactly one chosen node per class in the term,
/// a chosen node's children in the term, and an order variable per class with
/// `order(parent) >= order(child) + 1` for every chosen node (big-M), which rules out cycles.
/// `warm`, a known term of `root` (the greedy one), seeds the search, so a solve stopped by
/// the time limit returns a term at most as dear ([`ExtractMethod::IlpFeasible`]); a finished
/// one is optimal ([`ExtractMethod::IlpOptimal`]).
pub fn extract_ilp(
    egraph: &IrEGraph,
    root: Id,
    model: CostModel,
    time_limit: Duration,
    warm: Option<&Extracted>,
) -> Option<Extracted> {
    use microlp::{ComparisonOp, OptimizationDirection, Problem, SolutionStatus, SolveOptions, Variable};

    let classes = Classes::new(egraph);
    let root_class = classes.index[&egraph.find(root)];
    // The classes reachable from the root, in discovery order.
    let mut reachable: Vec<usize> = Vec::new();
    let mut position: HashMap<usize, usize> = HashMap::new();
    let mut stack = vec![root_class];
    while let Some(c) = stack.pop() {
        if position.contains_key(&c) {
            continue;
        }
        position.insert(c, reachable.len());
        reachable.push(c);
        for node in &classes.nodes[c] {
            stack.extend(classes.child_classes(node));
        }
    }
    // Only edges inside a strongly connected component of the class graph can close a cycle,
    // so only those get order constraints (with a big-M of the component's size).
    let component = components(&classes, &reachable, &position);
    let mut component_size: HashMap<usize, usize> = HashMap::new();
    for &k in &component {
        *component_size.entry(k).or_insert(0) += 1;
    }
    let mut p = Problem::new(OptimizationDirection::Minimize);
    let active: Vec<Variable> = reachable.iter().map(|_| p.add_binary_var(0.0)).collect();
    let order: Vec<Option<Variable>> = component
        .iter()
        .map(|k| (component_size[k] > 1).then(|| p.add_var(0.0, (0.0, component_size[k] as f64))))
        .collect();
    // One variable per node that could be chosen (a node using its own class never can).
    let mut chosen: HashMap<(usize, usize), Variable> = HashMap::new();
    for (i, &c) in reachable.iter().enumerate() {
        let mut row: Vec<(Variable, f64)> = vec![(active[i], -1.0)];
        for (n, node) in classes.nodes[c].iter().enumerate() {
            if classes.child_classes(node).any(|k| k == c) {
                continue;
            }
            let x = p.add_binary_var(f64::from(node_cost(model, node)));
            chosen.insert((c, n), x);
            row.push((x, 1.0));
            let mut kids: Vec<usize> = classes.child_classes(node).map(|k| position[&k]).collect();
            kids.sort_unstable();
            kids.dedup();
            for j in kids {
                p.add_constraint([(x, 1.0), (active[j], -1.0)], ComparisonOp::Le, 0.0);
                if let (Some(oi), Some(oj)) = (order[i], order[j])
                    && component[i] == component[j]
                {
                    // x => order[i] >= order[j] + 1
                    let big_m = component_size[&component[i]] as f64 + 1.0;
                    p.add_constraint([(oi, 1.0), (oj, -1.0), (x, -big_m)], ComparisonOp::Ge, 1.0 - big_m);
                }
            }
        }
        p.add_constraint(row, ComparisonOp::Eq, 0.0);
    }
    p.add_constraint([(active[0], 1.0)], ComparisonOp::Eq, 1.0);

    let mut options = SolveOptions::default();
    options.time_limit = Some(time_limit);
    if let Some(warm) = warm {
        options.warm_start = warm_start(&classes, &position, &active, &order, &component, &chosen, warm);
    }
    let outcome = p.solve_with(options).ok()?;
    let solution = outcome.solution()?;
    let choice: HashMap<usize, usize> =
        chosen.iter().filter(|(_, x)| solution.var_value(**x) > 0.5).map(|(&(c, n), _)| (c, n)).collect();
    let expr = classes.build(root_class, &|c| choice.get(&c).copied())?;
    let method = if solution.status() == SolutionStatus::Optimal {
        ExtractMethod::IlpOptimal
    } else {
        ExtractMethod::IlpFeasible
    };
    Some(Extracted { cost: dag_cost(&expr, model), expr, method })
}

/// The strongly connected component of each reachable class (indexed like `reachable`) in
/// the graph with an edge from a class to each child class of each of its nodes (Tarjan's
/// algorithm, iterative).
fn components(classes: &Classes, reachable: &[usize], position: &HashMap<usize, usize>) -> Vec<usize> {
    let n = reachable.len();
    let succ: Vec<Vec<usize>> = reachable
        .iter()
        .map(|&c| {
            let mut s: Vec<usize> =
                classes.nodes[c].iter().flat_map(|node| classes.child_classes(node)).map(|k| position[&k]).collect();
            s.sort_unstable();
            s.dedup();
            s
        })
        .collect();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        // (node, next successor to visit)
        let mut work = vec![(start, 0usize)];
        while let Some(&mut (v, ref mut i)) = work.last_mut() {
            if *i == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = succ[v].get(*i) {
                *i += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// The ILP variables' values for a known term: its nodes chosen, its classes active, and
/// each class ordered by its height in the term.
fn warm_start(
    classes: &Classes,
    position: &HashMap<usize, usize>,
    active: &[microlp::Variable],
    order: &[Option<microlp::Variable>],
    component: &[usize],
    chosen: &HashMap<(usize, usize), microlp::Variable>,
    warm: &Extracted,
) -> Option<Vec<(microlp::Variable, f64)>> {
    // Map each term node to a class and node index by looking the node up class by class.
    let nodes = warm.expr.as_ref();
    let mut class_of: Vec<usize> = Vec::with_capacity(nodes.len());
    let mut height: Vec<u32> = Vec::with_capacity(nodes.len());
    let mut values: Vec<(microlp::Variable, f64)> = Vec::new();
    let mut picked: HashMap<usize, usize> = HashMap::new();
    let lookup: HashMap<&IrNode, (usize, usize)> = classes
        .nodes
        .iter()
        .enumerate()
        .flat_map(|(c, ns)| ns.iter().enumerate().map(move |(n, node)| (node, (c, n))))
        .collect();
    for node in nodes {
        let canonical = node.map_children(|k| classes.ids[class_of[usize::from(k)]]);
        let &(c, n) = lookup.get(&canonical)?;
        if *picked.entry(c).or_insert(n) != n {
            return None; // one class, two nodes: not a valid choice
        }
        let h = node.children().iter().map(|&k| height[usize::from(k)] + 1).max().unwrap_or(0);
        class_of.push(c);
        height.push(h);
    }
    let mut class_height: HashMap<usize, u32> = HashMap::new();
    for (i, &c) in class_of.iter().enumerate() {
        let h = class_height.entry(c).or_insert(0);
        *h = (*h).max(height[i]);
    }
    // Order values: the rank by height among the term's classes of the same component (a
    // parent is higher than its children, and ranks stay within the variables' bounds).
    let mut by_component: HashMap<usize, Vec<(u32, usize)>> = HashMap::new();
    for (&c, &h) in &class_height {
        let i = *position.get(&c)?;
        by_component.entry(component[i]).or_default().push((h, i));
    }
    for members in by_component.values_mut() {
        members.sort_unstable();
        let mut rank = 0.0;
        let mut last = None;
        for &(h, i) in members.iter() {
            if last.is_some_and(|l| l < h) {
                rank += 1.0;
            }
            last = Some(h);
            values.extend(order[i].map(|o| (o, rank)));
        }
    }
    for (&c, &n) in &picked {
        values.push((active[*position.get(&c)?], 1.0));
        values.push((*chosen.get(&(c, n))?, 1.0));
    }
    for (&(c, n), &x) in chosen {
        if picked.get(&c) != Some(&n) {
            values.push((x, 0.0));
        }
    }
    for (&c, &i) in position {
        if !picked.contains_key(&c) {
            values.push((active[i], 0.0));
            values.extend(order[i].map(|o| (o, 0.0)));
        }
    }
    Some(values)
}
