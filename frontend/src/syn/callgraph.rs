//! The call graph of the source functions (`petgraph`): recursion is an error, because the IR
//! has no calls and every call is inlined; without recursion the graph gives the order in
//! which functions are lowered (callees first).

use std::collections::{HashMap, HashSet, VecDeque};

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use super::diag::{ErrorKind, SynError};
use super::typed::CheckedFn;

fn graph(fns: &[CheckedFn]) -> DiGraph<usize, ()> {
    let mut g = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..fns.len()).map(|i| g.add_node(i)).collect();
    let mut edges: HashSet<(usize, usize)> = HashSet::new();
    for (caller, f) in fns.iter().enumerate() {
        for &(callee, _) in &f.calls {
            if edges.insert((caller, callee)) {
                g.add_edge(nodes[caller], nodes[callee], ());
            }
        }
    }
    g
}

/// Reports one error per cycle of calls, naming the functions on it in call order.
pub fn report_recursion(fns: &[CheckedFn], errors: &mut Vec<SynError>) {
    let g = graph(fns);
    let mut components = tarjan_scc(&g);
    components.sort_by_key(|c| c.iter().map(|n| n.index()).min());
    for component in components {
        let members: Vec<usize> = component.iter().map(|n| n.index()).collect();
        let Some(&start) = members.iter().min() else { continue };
        let self_call = fns[start].calls.iter().any(|&(c, _)| c == start);
        if members.len() == 1 && !self_call {
            continue;
        }
        let cycle = if self_call { vec![start] } else { find_cycle(fns, &members, start) };
        let mut names: Vec<String> = cycle.iter().map(|&i| format!("`{}`", fns[i].name)).collect();
        names.push(format!("`{}`", fns[start].name));
        let message = if cycle.len() == 1 {
            format!("fn `{}` calls itself; recursion is not supported", fns[start].name)
        } else {
            format!("recursive functions: {}; recursion is not supported", names.join(" -> "))
        };
        let mut err = SynError::new(ErrorKind::Recursion, fns[start].span, message)
            .with_note("calls are inlined into the loop-free IR, so a function cannot reach itself");
        for (k, &caller) in cycle.iter().enumerate() {
            let callee = cycle[(k + 1) % cycle.len()];
            if let Some(&(_, span)) = fns[caller].calls.iter().find(|&&(c, _)| c == callee) {
                err = err.with_secondary(span, format!("`{}` calls `{}` here", fns[caller].name, fns[callee].name));
            }
        }
        errors.push(err);
    }
}

/// The shortest cycle through `start` within one strongly connected component, as the list of
/// functions from `start` to the last one before returning to `start`. Takes time proportional
/// to the component's calls.
fn find_cycle(fns: &[CheckedFn], members: &[usize], start: usize) -> Vec<usize> {
    let member: HashSet<usize> = members.iter().copied().collect();
    let mut parent: HashMap<usize, usize> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    let mut seen: HashSet<usize> = HashSet::from([start]);
    while let Some(f) = queue.pop_front() {
        for &(callee, _) in &fns[f].calls {
            if callee == start {
                let mut path = vec![f];
                while let Some(&p) = parent.get(path.last().unwrap_or(&start)) {
                    path.push(p);
                }
                path.reverse();
                return path;
            }
            if member.contains(&callee) && seen.insert(callee) {
                parent.insert(callee, f);
                queue.push_back(callee);
            }
        }
    }
    vec![start]
}

/// Function indices with every callee before its callers (the graph must have no cycle).
pub fn lowering_order(fns: &[CheckedFn]) -> Vec<usize> {
    // Tarjan's algorithm lists components in reverse topological order: callees first.
    tarjan_scc(&graph(fns)).into_iter().flatten().map(|n| n.index()).collect()
}
