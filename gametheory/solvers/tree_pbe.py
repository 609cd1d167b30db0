"""Pure perfect Bayesian equilibria of small game trees with perfect recall.

An *assessment* is a pure strategy profile (an action at every information set) and a
belief at every information set (a distribution over its nodes). It is a (weak)
perfect Bayesian equilibrium (Mas-Colell, Whinston & Green 1995, Definition 9.C.3)
when

* **beliefs on the path** follow Bayes' rule: at an information set reached with
  positive probability (chance moves included) the belief is each node's share of
  the probability of reaching the set;
* **off the path** the rule is the same as for signalling games
  (:func:`~gametheory.solvers.signalling_equilibria`): any belief may be held, so
  the player's continuation must be a best reply to *some* belief over the set's
  nodes. Whether one exists is a linear feasibility problem (HiGHS), and the result
  gives each node's smallest and largest probability among the supporting beliefs;
* **sequential rationality** at every information set: given its belief and the
  others' strategies, no continuation strategy of the mover from that set on (its
  actions there and at its later sets) does better. The continuations are
  enumerated (their number is bounded before the search starts).

The definition is the weak one: a belief at an unreached information set is not
tied to the beliefs at earlier unreached sets, so an equilibrium need not be
subgame perfect when an unreached set lies inside a proper subgame, and the
consistency of sequential equilibrium (Kreps & Wilson 1982) is not checked. On a
tree with perfect information the equilibria are exactly the subgame-perfect plans
of :func:`~gametheory.games.backward_induction`; on a signalling game written as a
tree they are exactly the pure equilibria of ``signalling_equilibria`` (both tested).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import GameTooLargeError, GameTreeError

__all__ = ["MAX_TREE_PBE_CONTINUATIONS", "MAX_TREE_PBE_PROFILES", "TreeEquilibrium",
           "TreeEquilibriumResult", "perfect_bayesian_equilibria"]

#: Largest number of pure strategy profiles enumerated.
MAX_TREE_PBE_PROFILES = 200_000
#: Largest number of continuation strategies compared at one information set.
MAX_TREE_PBE_CONTINUATIONS = 50_000


@dataclass(frozen=True)
class TreeEquilibrium:
    """One pure perfect Bayesian equilibrium of a tree.

    Attributes
    ----------
    choices : dict
        Information set -> action label.
    beliefs : dict
        Information set with two or more nodes, reached with positive probability ->
        node -> probability (Bayes' rule).
    off_path : dict
        Unreached information set with two or more nodes -> node -> (smallest,
        largest) probability among the beliefs that make the mover's continuation a
        best reply.
    payoffs : dict
        Player -> expected payoff.
    outcome : dict
        Terminal node -> probability of ending there.
    """

    choices: dict
    beliefs: dict
    off_path: dict
    payoffs: dict
    outcome: dict

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html("A perfect Bayesian equilibrium",
                           [("choices", self.choices), ("beliefs on the path", self.beliefs),
                            ("off-path beliefs (ranges)", self.off_path or "none"),
                            ("payoffs", self.payoffs), ("outcome", self.outcome)])


@dataclass(frozen=True, eq=False)
class TreeEquilibriumResult:
    """Every pure perfect Bayesian equilibrium (:func:`perfect_bayesian_equilibria`)."""

    equilibria: list
    tree: Any = field(repr=False)
    details: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.equilibria)

    def __getitem__(self, k: int) -> TreeEquilibrium:
        return self.equilibria[k]

    def to_frame(self):
        """One row per equilibrium: the action at every information set, the payoffs
        and the off-path beliefs."""
        import pandas as pd

        rows = []
        for k, e in enumerate(self.equilibria):
            row: dict[str, Any] = {"equilibrium": k}
            row.update({f"at {h}": a for h, a in e.choices.items()})
            row.update({f"payoff {p}": v for p, v in e.payoffs.items()})
            row["off-path beliefs"] = "; ".join(
                f"at {h}: " + ", ".join(f"P({n}) in [{lo:.3g}, {hi:.3g}]"
                                        for n, (lo, hi) in b.items())
                for h, b in e.off_path.items())
            rows.append(row)
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        from .._format import frame_html

        n = len(self)
        return frame_html(self.to_frame(), f"{n} pure perfect Bayesian equilibri"
                          f"{'um' if n == 1 else 'a'} of {self.tree.title or 'the tree'}")


class _Indexed:
    """The tree as arrays: nodes in preorder, information sets, their later sets."""

    def __init__(self, tree):
        import networkx as nx

        tree.validate()
        g = tree.graph
        self.names = list(nx.dfs_preorder_nodes(g, tree.root))
        pos = {n: k for k, n in enumerate(self.names)}
        N = len(self.names)
        P = len(tree.players)
        self.kind = [g.nodes[n]["kind"] for n in self.names]
        self.kids = [[pos[c] for c in tree.children(n)] for n in self.names]
        self.prob = [[float(g.edges[n, c]["prob"]) for c in tree.children(n)]
                     if self.kind[k] == "chance" else [] for k, n in enumerate(self.names)]
        self.pay = np.zeros((N, P))
        for k, n in enumerate(self.names):
            if self.kind[k] == "terminal":
                self.pay[k] = [float(v) for v in g.nodes[n]["payoffs"]]
        keys: dict[str, int] = {}
        self.iset = np.full(N, -1)
        self.sets: list[dict] = []
        for k, n in enumerate(self.names):
            if self.kind[k] != "decision":
                continue
            d = g.nodes[n]
            if d["infoset"] not in keys:
                keys[d["infoset"]] = len(self.sets)
                self.sets.append({"key": d["infoset"], "player": d["player"], "nodes": [],
                                  "actions": d["actions"]})
            self.iset[k] = keys[d["infoset"]]
            self.sets[keys[d["infoset"]]]["nodes"].append(k)
        # perfect recall: the nodes of a set share the mover's own earlier moves
        own: list[tuple] = [()] * N
        for k in range(N):
            for j, c in enumerate(self.kids[k]):
                step = ((int(self.iset[k]), j),) if (
                    self.kind[k] == "decision") else ()
                own[c] = own[k] + step
        for s in self.sets:
            p = s["player"]
            seqs = [tuple(x for x in own[v] if self.sets[x[0]]["player"] == p)
                    for v in s["nodes"]]
            odd = [v for v, q in zip(s["nodes"], seqs, strict=True) if q != seqs[0]]
            if odd:
                raise GameTreeError(f"player {tree.players[p]!r} does not have perfect "
                                    f"recall: nodes {self.names[s['nodes'][0]]!r} and "
                                    f"{self.names[odd[0]]!r} of information set "
                                    f"{s['key']!r} follow different moves of its own")
        # descendants of each node (preorder: a contiguous block)
        size = np.ones(N, dtype=int)
        for k in reversed(range(N)):
            for c in self.kids[k]:
                size[k] += size[c]
        self.end = np.arange(N) + size
        for h, s in enumerate(self.sets):
            later = set()
            for v in s["nodes"]:
                for u in range(v + 1, self.end[v]):
                    if self.kind[u] == "decision" and self.sets[self.iset[u]]["player"] == \
                            s["player"]:
                        later.add(int(self.iset[u]))
            s["later"] = sorted(later - {h})
            s["controls"] = [h, *s["later"]]

    def values(self, choice: np.ndarray, lo: int = 0, hi: int | None = None) -> np.ndarray:
        """Expected payoffs of every node in [lo, hi) under the pure ``choice``."""
        hi = len(self.names) if hi is None else hi
        V = np.zeros((hi - lo, self.pay.shape[1]))
        for k in reversed(range(lo, hi)):
            kind = self.kind[k]
            if kind == "terminal":
                V[k - lo] = self.pay[k]
            elif kind == "chance":
                V[k - lo] = sum(p * V[c - lo] for p, c in zip(self.prob[k], self.kids[k],
                                                             strict=True))
            else:
                V[k - lo] = V[self.kids[k][choice[self.iset[k]]] - lo]
        return V

    def reach(self, choice: np.ndarray) -> np.ndarray:
        r = np.zeros(len(self.names))
        r[0] = 1.0
        for k in range(len(self.names)):
            if r[k] == 0 or self.kind[k] == "terminal":
                continue
            if self.kind[k] == "chance":
                for p, c in zip(self.prob[k], self.kids[k], strict=True):
                    r[c] = r[k] * p
            else:
                r[self.kids[k][choice[self.iset[k]]]] = r[k]
        return r


def _belief_lp(D: np.ndarray, tol: float, ranges: bool):
    """Whether some belief mu (over the rows of D: nodes x continuations, the gain of
    each continuation at each node) makes every gain <= tol; with ``ranges`` the
    smallest and largest probability of each node among those beliefs."""
    from scipy.optimize import linprog

    n = D.shape[0]
    if n == 1:
        ok = bool(D.max() <= tol)
        return ok, (np.ones(1), np.ones(1)) if ok else None
    A_ub, b_ub = D.T, np.full(D.shape[1], tol)
    A_eq, b_eq = np.ones((1, n)), [1.0]
    first = linprog(np.zeros(n), A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq,
                    bounds=[(0, 1)] * n, method="highs")
    if first.status != 0:
        return False, None
    if not ranges:
        return True, None
    # the ranges at zero slack when the beliefs exist without it (exact boundaries)
    exact = linprog(np.zeros(n), A_ub=A_ub, b_ub=np.zeros_like(b_ub), A_eq=A_eq, b_eq=b_eq,
                    bounds=[(0, 1)] * n, method="highs")
    if exact.status == 0:
        b_ub = np.zeros_like(b_ub)
    lo, hi = np.zeros(n), np.zeros(n)
    for j in range(n):
        c = np.zeros(n)
        c[j] = 1.0
        a = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=[(0, 1)] * n,
                    method="highs")
        b = linprog(-c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=[(0, 1)] * n,
                    method="highs")
        lo[j], hi[j] = float(a.x[j]) + 0.0, float(b.x[j]) + 0.0
    return True, (lo, hi)


def _tolerances(ix: _Indexed, tol: float) -> np.ndarray:
    """Each player's best-reply tolerance: ``tol`` times its payoff range (at least 1)."""
    scale = np.ptp(ix.pay[[k for k in range(len(ix.names)) if ix.kind[k] == "terminal"]],
                   axis=0)
    return tol * np.maximum(scale, 1.0)


def _profiles(ix) -> int:
    return int(np.prod([len(s["actions"]) for s in ix.sets], dtype=float))


def _weak_pbe(tree, ix: _Indexed, tol: float):
    """The pure weak PBE of ``tree`` one by one: ``(choice, gains, equilibrium)`` with
    ``choice`` the action index at every information set and ``gains`` the gain of every
    continuation at every node (nodes x continuations) of each unreached set (after
    the size checks of :func:`perfect_bayesian_equilibria`)."""
    sizes = [len(s["actions"]) for s in ix.sets]
    total = float(np.prod(sizes, dtype=float)) if sizes else 1.0
    if total > MAX_TREE_PBE_PROFILES:
        raise GameTooLargeError(f"{total:,.0f} pure strategy profiles over {len(sizes)} "
                                f"information sets; the limit is {MAX_TREE_PBE_PROFILES:,}")
    for s in ix.sets:
        n_cont = float(np.prod([sizes[h] for h in s["controls"]], dtype=float))
        if n_cont > MAX_TREE_PBE_CONTINUATIONS:
            raise GameTooLargeError(
                f"{n_cont:,.0f} continuation strategies at information set {s['key']!r}; "
                f"the limit is {MAX_TREE_PBE_CONTINUATIONS:,}")
        s["conts"] = np.array(list(itertools.product(*(range(sizes[h])
                                                      for h in s["controls"]))), dtype=int)
    P = len(tree.players)
    tols = _tolerances(ix, tol)

    def gains(h: int, choice: np.ndarray, V: np.ndarray) -> np.ndarray:
        """Gain of every continuation at every node of set h (nodes x continuations)."""
        s = ix.sets[h]
        p = s["player"]
        D = np.zeros((len(s["nodes"]), len(s["conts"])))
        alt = choice.copy()
        for j, cont in enumerate(s["conts"]):
            alt[s["controls"]] = cont
            for i, v in enumerate(s["nodes"]):
                D[i, j] = ix.values(alt, v, ix.end[v])[0, p] - V[v, p]
        return D

    for profile in itertools.product(*(range(n) for n in sizes)):
        choice = np.array(profile, dtype=int)
        V = ix.values(choice)
        r = ix.reach(choice)
        ok = True
        pending = []
        for h, s in enumerate(ix.sets):
            mass = r[s["nodes"]].sum()
            if mass > 0:
                mu = r[s["nodes"]] / mass
                if (mu @ gains(h, choice, V)).max() > tols[s["player"]]:
                    ok = False
                    break
            else:
                pending.append(h)
        if not ok:
            continue
        off = {}
        pending_gains = {}
        for h in pending:
            s = ix.sets[h]
            D = gains(h, choice, V)
            pending_gains[h] = D
            good, rng = _belief_lp(D, tols[s["player"]], len(s["nodes"]) > 1)
            if not good:
                ok = False
                break
            if len(s["nodes"]) > 1:
                off[s["key"]] = {ix.names[v]: (float(lo), float(hi)) for v, lo, hi in
                                 zip(s["nodes"], *rng, strict=True)}
        if not ok:
            continue
        beliefs = {}
        for s in ix.sets:
            mass = r[s["nodes"]].sum()
            if mass > 0 and len(s["nodes"]) > 1:
                beliefs[s["key"]] = {ix.names[v]: float(r[v] / mass) for v in s["nodes"]}
        yield choice, pending_gains, TreeEquilibrium(
            choices={s["key"]: s["actions"][choice[h]] for h, s in enumerate(ix.sets)},
            beliefs=beliefs, off_path=off,
            payoffs={tree.players[p]: float(V[0, p]) for p in range(P)},
            outcome={ix.names[k]: float(r[k]) for k in range(len(ix.names))
                     if ix.kind[k] == "terminal" and r[k] > 0})


def perfect_bayesian_equilibria(tree, *, tol: float = 1e-9) -> TreeEquilibriumResult:
    """Every pure (weak) perfect Bayesian equilibrium of a small tree with perfect recall.

    Parameters
    ----------
    tree : GameTree
        Any number of players, chance moves allowed, perfect recall.
    tol : float
        Best-reply tolerance, relative to each player's payoff range.

    Returns
    -------
    TreeEquilibriumResult

    Raises
    ------
    GameTreeError
        A malformed tree, or a player without perfect recall (naming two nodes).
    GameTooLargeError
        More than :data:`MAX_TREE_PBE_PROFILES` pure profiles, or more than
        :data:`MAX_TREE_PBE_CONTINUATIONS` continuation strategies at one set.

    Examples
    --------
    Selten's horse: player 3 cannot tell whether player 1 went down or player 2 did.
    Only the equilibria where player 1 continues survive; when player 2 ends the game,
    player 3's "R" is held by believing that player 1 went down with probability at
    most 1/3.

    >>> from gametheory.games import GameTree
    >>> t = GameTree(players=("1", "2", "3"), title="Selten's horse")
    >>> t.decision("r", player="1", actions={"C": "n2", "D": "x"})
    >>> t.decision("n2", player="2", actions={"c": "end", "d": "y"})
    >>> t.terminal("end", (1, 1, 1))
    >>> t.decision("x", player="3", infoset="h3", actions={"L": "xL", "R": "xR"})
    >>> t.decision("y", player="3", infoset="h3", actions={"L": "yL", "R": "yR"})
    >>> for node, pay in {"xL": (3, 3, 2), "xR": (0, 0, 0), "yL": (4, 4, 0),
    ...                   "yR": (1, 1, 1)}.items():
    ...     t.terminal(node, pay)
    >>> res = perfect_bayesian_equilibria(t)
    >>> [e.choices for e in res]
    [{'r': 'C', 'n2': 'c', 'h3': 'R'}, {'r': 'C', 'n2': 'd', 'h3': 'R'}]
    >>> res[0].off_path["h3"]["x"]
    (0.0, 0.3333333333333333)
    """
    ix = _Indexed(tree)
    out = [e for _, _, e in _weak_pbe(tree, ix, tol)]
    return TreeEquilibriumResult(equilibria=out, tree=tree,
                                 details={"profiles": _profiles(ix), "off_path_rule":
                                          "any belief that makes the continuation a best "
                                          "reply (weak PBE)"})
