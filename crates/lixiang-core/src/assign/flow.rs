//! The min-cost-flow engine under the assignment solver: a primal network simplex with block-search
//! pricing, and a max-flow (Dinic) whose residual graph yields the minimum cut that explains an
//! infeasible input.
//!
//! It owns only graphs of integers (nodes with supplies, arcs with capacities and costs); it knows
//! nothing of items, experts or rules — [`super`] builds the network and reads the flow back.
//!
//! The simplex keeps its spanning tree in the thread/successor-count representation of LEMON's
//! `NetworkSimplex` (Kovács, "Minimum-cost flow algorithms: an experimental evaluation", 2015):
//! parent, predecessor arc and its direction, preorder thread with its reverse, subtree size and
//! last successor. Each pivot then costs time proportional to the moved subtree and the cycle, not
//! to the whole graph, which is what makes millions of arcs tractable.

/// A directed graph with integer node supplies, arc capacities (lower bound 0) and arc costs.
///
/// Invariant: supplies sum to zero (the builder gives the sink the negated total).
#[derive(Debug, Default, Clone)]
pub(crate) struct Network {
    pub supply: Vec<i64>,
    pub source: Vec<u32>,
    pub target: Vec<u32>,
    pub cap: Vec<i64>,
    pub cost: Vec<i64>,
}

impl Network {
    pub fn with_capacity(nodes: usize, arcs: usize) -> Network {
        Network {
            supply: Vec::with_capacity(nodes),
            source: Vec::with_capacity(arcs),
            target: Vec::with_capacity(arcs),
            cap: Vec::with_capacity(arcs),
            cost: Vec::with_capacity(arcs),
        }
    }

    pub fn node_count(&self) -> usize {
        self.supply.len()
    }

    pub fn arc_count(&self) -> usize {
        self.source.len()
    }

    /// Adds a node and returns its index.
    pub fn add_node(&mut self, supply: i64) -> u32 {
        self.supply.push(supply);
        (self.supply.len() - 1) as u32
    }

    /// Adds an arc `from → to` with capacity `cap` (≥ 0) and unit cost `cost`; returns its index.
    pub fn add_arc(&mut self, from: u32, to: u32, cap: i64, cost: i64) -> usize {
        self.source.push(from);
        self.target.push(to);
        self.cap.push(cap);
        self.cost.push(cost);
        self.source.len() - 1
    }
}

/// The outcome of [`min_cost_flow`].
#[derive(Debug)]
pub(crate) struct FlowSolution {
    /// Whether every supply reached the demands; when false, `flow` is a maximum flow of least cost,
    /// not a feasible one, and the caller explains the shortage with [`min_cut_source_side`].
    pub feasible: bool,
    /// Flow per arc, in the arcs' order.
    pub flow: Vec<i64>,
    /// Σ cost · flow over the network's arcs.
    pub cost: i64,
    /// Optimal node potentials (duals): every arc's reduced cost `cost + pi[from] − pi[to]` is ≥ 0
    /// at flow 0, ≤ 0 at capacity, and 0 in between.
    pub pi: Vec<i64>,
}

const STATE_UPPER: i8 = -1;
const STATE_TREE: i8 = 0;
const STATE_LOWER: i8 = 1;
const DIR_UP: i8 = 1;
const DIR_DOWN: i8 = -1;
const NONE: usize = usize::MAX;

/// Solves the min-cost flow problem on `net` exactly (all data are integers, so the optimum is
/// integral). Deterministic: the same network in the same arc order gives the same flow.
///
/// `art_cost` is the cost of the artificial arcs of the first basis; it must exceed the absolute
/// cost of any simple path of the network the answer has to be valid for (see
/// [`artificial_cost`]) — possibly a larger network than `net`, when the caller prices arcs left
/// out of `net` against the returned potentials.
pub(crate) fn min_cost_flow(net: &Network, art_cost: i64) -> FlowSolution {
    let mut s = Simplex::new(net, art_cost);
    s.run();
    let n = s.n;
    let feasible = s.flow[..n].iter().all(|&f| f == 0);
    let flow: Vec<i64> = s.flow[n..].to_vec();
    let cost = flow.iter().zip(&net.cost).map(|(f, c)| f * c).sum();
    s.pi.truncate(n);
    FlowSolution { feasible, flow, cost, pi: s.pi }
}

/// An artificial-arc cost safe for any network with at most `nodes` nodes and arc costs of absolute
/// value at most `max_abs_cost`: more than the cost of any simple path.
pub(crate) fn artificial_cost(nodes: usize, max_abs_cost: i64) -> i64 {
    (max_abs_cost + 1).saturating_mul(nodes as i64 + 1)
}

/// Network simplex state. Arc `u < n` is the artificial arc that ties node u to the artificial root
/// `n` (together they form the first basis); arc `n + a` is the network's arc `a`.
struct Simplex {
    n: usize,
    source: Vec<u32>,
    target: Vec<u32>,
    cap: Vec<i64>,
    cost: Vec<i64>,
    flow: Vec<i64>,
    state: Vec<i8>,
    pi: Vec<i64>,
    parent: Vec<usize>,
    pred: Vec<usize>,
    pred_dir: Vec<i8>,
    thread: Vec<usize>,
    rev_thread: Vec<usize>,
    succ_num: Vec<usize>,
    last_succ: Vec<usize>,
    dirty_revs: Vec<usize>,
    // The current pivot.
    in_arc: usize,
    join: usize,
    u_in: usize,
    v_in: usize,
    u_out: usize,
    delta: i64,
    // Block-search pricing over arcs `n..`.
    block: usize,
    next_arc: usize,
}

impl Simplex {
    fn new(net: &Network, art_cost: i64) -> Simplex {
        let n = net.node_count();
        let m = net.arc_count();
        let all = n + m;
        let mut source = Vec::with_capacity(all);
        let mut target = Vec::with_capacity(all);
        let mut cap = Vec::with_capacity(all);
        let mut cost = Vec::with_capacity(all);
        let mut flow = Vec::with_capacity(all);
        let mut state = Vec::with_capacity(all);
        let inf: i64 = net.supply.iter().map(|s| s.abs()).sum::<i64>() + 1;

        let root = n;
        let mut pi = vec![0i64; n + 1];
        let mut parent = vec![NONE; n + 1];
        let mut pred = vec![NONE; n + 1];
        let mut pred_dir = vec![DIR_UP; n + 1];
        let mut thread = vec![0usize; n + 1];
        let mut rev_thread = vec![0usize; n + 1];
        let mut succ_num = vec![1usize; n + 1];
        let mut last_succ = vec![0usize; n + 1];
        // The thread (preorder) is the cycle root, 0, 1, …, n − 1, root.
        thread[root] = if n == 0 { root } else { 0 };
        rev_thread[if n == 0 { root } else { 0 }] = root;
        succ_num[root] = n + 1;
        last_succ[root] = if n == 0 { root } else { root - 1 };
        for u in 0..n {
            parent[u] = root;
            pred[u] = u;
            thread[u] = u + 1;
            rev_thread[u + 1] = u;
            succ_num[u] = 1;
            last_succ[u] = u;
            cap.push(inf);
            state.push(STATE_TREE);
            let b = net.supply[u];
            if b >= 0 {
                pred_dir[u] = DIR_UP;
                source.push(u as u32);
                target.push(root as u32);
                flow.push(b);
                cost.push(0);
            } else {
                pred_dir[u] = DIR_DOWN;
                pi[u] = art_cost;
                source.push(root as u32);
                target.push(u as u32);
                flow.push(-b);
                cost.push(art_cost);
            }
        }
        source.extend_from_slice(&net.source);
        target.extend_from_slice(&net.target);
        cap.extend_from_slice(&net.cap);
        cost.extend_from_slice(&net.cost);
        flow.resize(all, 0);
        state.resize(all, STATE_LOWER);
        Simplex {
            n,
            source,
            target,
            cap,
            cost,
            flow,
            state,
            pi,
            parent,
            pred,
            pred_dir,
            thread,
            rev_thread,
            succ_num,
            last_succ,
            dirty_revs: Vec::new(),
            in_arc: 0,
            join: 0,
            u_in: 0,
            v_in: 0,
            u_out: 0,
            delta: 0,
            block: ((m as f64).sqrt() as usize).max(10),
            next_arc: n,
        }
    }

    fn run(&mut self) {
        while self.find_entering_arc() {
            self.find_join_node();
            let change = self.find_leaving_arc();
            self.change_flow(change);
            if change {
                self.update_tree_structure();
                self.update_potential();
            }
        }
    }

    #[inline]
    fn reduced(&self, e: usize) -> i64 {
        self.state[e] as i64 * (self.cost[e] + self.pi[self.source[e] as usize] - self.pi[self.target[e] as usize])
    }

    /// Block search: scan blocks of √m arcs from where the last search stopped and take the most
    /// violating arc of the first block that has one. Returns false at optimality.
    fn find_entering_arc(&mut self) -> bool {
        let (lo, hi) = (self.n, self.source.len());
        if lo == hi {
            return false;
        }
        let mut min = 0i64;
        let mut cnt = self.block;
        let mut best = NONE;
        let mut e = self.next_arc;
        for _ in lo..hi {
            let c = self.reduced(e);
            if c < min {
                min = c;
                best = e;
            }
            e += 1;
            if e == hi {
                e = lo;
            }
            cnt -= 1;
            if cnt == 0 {
                if min < 0 {
                    break;
                }
                cnt = self.block;
            }
        }
        if best == NONE {
            return false;
        }
        self.in_arc = best;
        self.next_arc = e;
        true
    }

    fn find_join_node(&mut self) {
        let mut u = self.source[self.in_arc] as usize;
        let mut v = self.target[self.in_arc] as usize;
        while u != v {
            if self.succ_num[u] < self.succ_num[v] {
                u = self.parent[u];
            } else {
                v = self.parent[v];
            }
        }
        self.join = u;
    }

    /// Finds the blocking arc of the cycle closed by the entering arc; returns false when the
    /// entering arc itself blocks (it then only moves between its bounds).
    fn find_leaving_arc(&mut self) -> bool {
        let e_in = self.in_arc;
        let (first, second) = if self.state[e_in] == STATE_LOWER {
            (self.source[e_in] as usize, self.target[e_in] as usize)
        } else {
            (self.target[e_in] as usize, self.source[e_in] as usize)
        };
        self.delta = self.cap[e_in];
        let mut result = 0;
        let mut u = first;
        while u != self.join {
            let e = self.pred[u];
            let d = if self.pred_dir[u] == DIR_DOWN { self.cap[e] - self.flow[e] } else { self.flow[e] };
            if d < self.delta {
                self.delta = d;
                self.u_out = u;
                result = 1;
            }
            u = self.parent[u];
        }
        let mut u = second;
        while u != self.join {
            let e = self.pred[u];
            let d = if self.pred_dir[u] == DIR_UP { self.cap[e] - self.flow[e] } else { self.flow[e] };
            // `<=` on this side keeps the basis strongly feasible (the last blocking arc leaves).
            if d <= self.delta {
                self.delta = d;
                self.u_out = u;
                result = 2;
            }
            u = self.parent[u];
        }
        if result == 1 {
            self.u_in = first;
            self.v_in = second;
        } else {
            self.u_in = second;
            self.v_in = first;
        }
        result != 0
    }

    fn change_flow(&mut self, change: bool) {
        let e_in = self.in_arc;
        if self.delta > 0 {
            let val = self.state[e_in] as i64 * self.delta;
            self.flow[e_in] += val;
            let mut u = self.source[e_in] as usize;
            while u != self.join {
                let e = self.pred[u];
                self.flow[e] -= self.pred_dir[u] as i64 * val;
                u = self.parent[u];
            }
            let mut u = self.target[e_in] as usize;
            while u != self.join {
                let e = self.pred[u];
                self.flow[e] += self.pred_dir[u] as i64 * val;
                u = self.parent[u];
            }
        }
        if change {
            self.state[e_in] = STATE_TREE;
            let e_out = self.pred[self.u_out];
            self.state[e_out] = if self.flow[e_out] == 0 { STATE_LOWER } else { STATE_UPPER };
        } else {
            self.state[e_in] = -self.state[e_in];
        }
    }

    /// Re-hangs the subtree cut off by the leaving arc below `v_in` through the entering arc,
    /// reversing the stem from `u_in` to `u_out`, and repairs thread, subtree sizes and last
    /// successors along the way.
    fn update_tree_structure(&mut self) {
        let (u_in, v_in, u_out, join) = (self.u_in, self.v_in, self.u_out, self.join);
        let old_rev_thread = self.rev_thread[u_out];
        let old_succ_num = self.succ_num[u_out];
        let old_last_succ = self.last_succ[u_out];
        let v_out = self.parent[u_out];

        if u_in == u_out {
            self.parent[u_in] = v_in;
            self.pred[u_in] = self.in_arc;
            self.pred_dir[u_in] = if u_in == self.source[self.in_arc] as usize { DIR_UP } else { DIR_DOWN };
            if self.thread[v_in] != u_out {
                let mut after = self.thread[old_last_succ];
                self.thread[old_rev_thread] = after;
                self.rev_thread[after] = old_rev_thread;
                after = self.thread[v_in];
                self.thread[v_in] = u_out;
                self.rev_thread[u_out] = v_in;
                self.thread[old_last_succ] = after;
                self.rev_thread[after] = old_last_succ;
            }
        } else {
            // When the subtree sits right after v_in in the thread, v_out is the join node.
            let thread_continue = if old_rev_thread == v_in { self.thread[old_last_succ] } else { self.thread[v_in] };
            let mut stem = u_in;
            let mut par_stem = v_in;
            let mut last = self.last_succ[u_in];
            let mut after = self.thread[last];
            self.thread[v_in] = u_in;
            self.dirty_revs.clear();
            self.dirty_revs.push(v_in);
            while stem != u_out {
                let next_stem = self.parent[stem];
                self.thread[last] = next_stem;
                self.dirty_revs.push(last);
                // Cut the stem node's subtree out of the thread.
                let before = self.rev_thread[stem];
                self.thread[before] = after;
                self.rev_thread[after] = before;
                self.parent[stem] = par_stem;
                par_stem = stem;
                stem = next_stem;
                last = if self.last_succ[stem] == self.last_succ[par_stem] {
                    self.rev_thread[par_stem]
                } else {
                    self.last_succ[stem]
                };
                after = self.thread[last];
            }
            self.parent[u_out] = par_stem;
            self.thread[last] = thread_continue;
            self.rev_thread[thread_continue] = last;
            self.last_succ[u_out] = last;
            if old_rev_thread != v_in {
                self.thread[old_rev_thread] = after;
                self.rev_thread[after] = old_rev_thread;
            }
            for i in 0..self.dirty_revs.len() {
                let u = self.dirty_revs[i];
                let t = self.thread[u];
                self.rev_thread[t] = u;
            }
            // Walk the stem from u_out back to u_in: each node takes its old parent's tree arc.
            let mut tmp_sc = 0usize;
            let tmp_ls = self.last_succ[u_out];
            let mut u = u_out;
            while u != u_in {
                let p = self.parent[u];
                self.pred[u] = self.pred[p];
                self.pred_dir[u] = -self.pred_dir[p];
                tmp_sc = tmp_sc + self.succ_num[u] - self.succ_num[p];
                self.succ_num[u] = tmp_sc;
                self.last_succ[p] = tmp_ls;
                u = p;
            }
            self.pred[u_in] = self.in_arc;
            self.pred_dir[u_in] = if u_in == self.source[self.in_arc] as usize { DIR_UP } else { DIR_DOWN };
            self.succ_num[u_in] = old_succ_num;
        }

        let up_limit_out = if self.last_succ[join] == v_in { join } else { NONE };
        let last_succ_out = self.last_succ[u_out];
        let mut u = v_in;
        while u != NONE && self.last_succ[u] == v_in {
            self.last_succ[u] = last_succ_out;
            u = self.parent[u];
        }
        if join != old_rev_thread && v_in != old_rev_thread {
            let mut u = v_out;
            while u != up_limit_out && self.last_succ[u] == old_last_succ {
                self.last_succ[u] = old_rev_thread;
                u = self.parent[u];
            }
        } else if last_succ_out != old_last_succ {
            let mut u = v_out;
            while u != up_limit_out && self.last_succ[u] == old_last_succ {
                self.last_succ[u] = last_succ_out;
                u = self.parent[u];
            }
        }
        let mut u = v_in;
        while u != join {
            self.succ_num[u] += old_succ_num;
            u = self.parent[u];
        }
        let mut u = v_out;
        while u != join {
            self.succ_num[u] -= old_succ_num;
            u = self.parent[u];
        }
    }

    /// Shifts the potentials of the moved subtree so the entering arc's reduced cost becomes zero.
    fn update_potential(&mut self) {
        let (u_in, v_in) = (self.u_in, self.v_in);
        let sigma = self.pi[v_in] - self.pi[u_in] - self.pred_dir[u_in] as i64 * self.cost[self.in_arc];
        let end = self.thread[self.last_succ[u_in]];
        let mut u = u_in;
        while u != end {
            self.pi[u] += sigma;
            u = self.thread[u];
        }
    }
}

/// The nodes on the source side of a minimum cut between the nodes with positive supply and those
/// with negative supply: exactly the nodes reachable in the residual graph of a maximum flow (the
/// smallest such side). Returns `None` when every supply can be routed (no deficient set exists).
pub(crate) fn min_cut_source_side(net: &Network) -> Option<Vec<bool>> {
    let n = net.node_count();
    let s = n;
    let t = n + 1;
    let mut d = Dinic::new(n + 2);
    for ((&a, &b), &c) in net.source.iter().zip(&net.target).zip(&net.cap) {
        d.add_edge(a as usize, b as usize, c);
    }
    let mut total = 0;
    for (u, &b) in net.supply.iter().enumerate() {
        if b > 0 {
            d.add_edge(s, u, b);
            total += b;
        } else if b < 0 {
            d.add_edge(u, t, -b);
        }
    }
    let f = d.max_flow(s, t);
    if f >= total {
        return None;
    }
    let reach = d.residual_reachable(s);
    Some(reach[..n].to_vec())
}

/// Dinic's max-flow on a compressed adjacency. Used only on infeasible inputs, so it favours
/// simplicity over speed; the DFS is iterative so deep level graphs cannot overflow the stack.
struct Dinic {
    n: usize,
    from: Vec<usize>,
    to: Vec<usize>,
    res: Vec<i64>,
}

impl Dinic {
    fn new(n: usize) -> Dinic {
        Dinic { n, from: Vec::new(), to: Vec::new(), res: Vec::new() }
    }

    fn add_edge(&mut self, a: usize, b: usize, cap: i64) {
        self.from.push(a);
        self.to.push(b);
        self.res.push(cap);
        self.from.push(b);
        self.to.push(a);
        self.res.push(0);
    }

    /// Compressed adjacency: `start[u]..start[u+1]` indexes `edges`, the edge ids leaving `u`.
    fn adjacency(&self) -> (Vec<usize>, Vec<usize>) {
        let mut start = vec![0usize; self.n + 1];
        for &a in &self.from {
            start[a + 1] += 1;
        }
        for u in 0..self.n {
            start[u + 1] += start[u];
        }
        let mut fill = start.clone();
        let mut edges = vec![0usize; self.from.len()];
        for (e, &a) in self.from.iter().enumerate() {
            edges[fill[a]] = e;
            fill[a] += 1;
        }
        (start, edges)
    }

    fn max_flow(&mut self, s: usize, t: usize) -> i64 {
        let (start, edges) = self.adjacency();
        let mut total = 0i64;
        let mut level = vec![-1i64; self.n];
        let mut it = vec![0usize; self.n];
        let mut queue = Vec::with_capacity(self.n);
        loop {
            level.iter_mut().for_each(|l| *l = -1);
            level[s] = 0;
            queue.clear();
            queue.push(s);
            let mut qi = 0;
            while qi < queue.len() {
                let u = queue[qi];
                qi += 1;
                for &e in &edges[start[u]..start[u + 1]] {
                    let v = self.to[e];
                    if self.res[e] > 0 && level[v] < 0 {
                        level[v] = level[u] + 1;
                        queue.push(v);
                    }
                }
            }
            if level[t] < 0 {
                return total;
            }
            it.copy_from_slice(&start[..self.n]);
            // Iterative blocking flow: `path` holds the edges from s to the current node.
            let mut path: Vec<usize> = Vec::new();
            loop {
                let u = match path.last() {
                    Some(&e) => self.to[e],
                    None => s,
                };
                if u == t {
                    let push = path.iter().map(|&e| self.res[e]).min().unwrap_or(0);
                    let mut cut_at = path.len();
                    for (i, &e) in path.iter().enumerate() {
                        self.res[e] -= push;
                        self.res[e ^ 1] += push;
                        if self.res[e] == 0 && cut_at == path.len() {
                            cut_at = i;
                        }
                    }
                    total += push;
                    path.truncate(cut_at);
                    continue;
                }
                let mut advanced = false;
                while it[u] < start[u + 1] {
                    let e = edges[it[u]];
                    let v = self.to[e];
                    if self.res[e] > 0 && level[v] == level[u] + 1 {
                        path.push(e);
                        advanced = true;
                        break;
                    }
                    it[u] += 1;
                }
                if !advanced {
                    if u == s {
                        break;
                    }
                    // Dead end: no augmenting path continues through u in this phase.
                    level[u] = -1;
                    path.pop();
                }
            }
        }
    }

    fn residual_reachable(&self, s: usize) -> Vec<bool> {
        let (start, edges) = self.adjacency();
        let mut seen = vec![false; self.n];
        seen[s] = true;
        let mut stack = vec![s];
        while let Some(u) = stack.pop() {
            for &e in &edges[start[u]..start[u + 1]] {
                let v = self.to[e];
                if self.res[e] > 0 && !seen[v] {
                    seen[v] = true;
                    stack.push(v);
                }
            }
        }
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Textbook instance: two sources, two sinks, a cheap arc with small capacity.
    #[test]
    fn small_transport_problem_is_solved_to_its_known_optimum() {
        let mut net = Network::default();
        let a = net.add_node(4);
        let b = net.add_node(2);
        let c = net.add_node(-3);
        let d = net.add_node(-3);
        net.add_arc(a, c, 2, 1);
        net.add_arc(a, d, 5, 3);
        net.add_arc(b, c, 5, 2);
        net.add_arc(b, d, 5, 5);
        let sol = min_cost_flow(&net, artificial_cost(net.node_count(), 5));
        assert!(sol.feasible);
        // With x on a→c the cost is x + 3(4 − x) + 2(3 − x) + 5(x − 1) = x + 13, and b→d ≥ 0 needs x ≥ 1.
        assert_eq!(sol.cost, 14);
        assert_eq!(sol.flow, vec![1, 3, 2, 0]);
    }

    #[test]
    fn shortage_is_reported_infeasible_with_its_cut() {
        let mut net = Network::default();
        let a = net.add_node(3);
        let t = net.add_node(-3);
        net.add_arc(a, t, 2, -1);
        let sol = min_cost_flow(&net, artificial_cost(net.node_count(), 5));
        assert!(!sol.feasible);
        assert_eq!(sol.flow, vec![2]);
        assert_eq!(min_cut_source_side(&net), Some(vec![true, false]));
    }

    #[test]
    fn feasible_network_has_no_deficient_cut() {
        let mut net = Network::default();
        let a = net.add_node(2);
        let t = net.add_node(-2);
        net.add_arc(a, t, 2, 0);
        assert_eq!(min_cut_source_side(&net), None);
    }
}
