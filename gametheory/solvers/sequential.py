"""Pure sequential equilibria of small game trees: consistent beliefs, decided exactly.

An assessment - a pure profile ``b`` and a belief at every information set - is
*consistent* (Kreps & Wilson 1982) when its beliefs are the limit of Bayes' rule along
completely mixed profiles that converge to ``b``; a *sequential equilibrium* is a
consistent assessment at which every player's continuation is a best reply at every
information set. It refines the weak perfect Bayesian equilibrium of
:func:`~gametheory.solvers.perfect_bayesian_equilibria`, where a belief at an
unreached set may be anything: consistency ties the beliefs at unreached sets to one
another and to the trembles that lead there.

**Consistency made finite.** By the curve selection lemma a converging sequence can be
taken along a curve on which every action ``a`` that ``b`` does not take has
probability ``c_a eps**q_a (1 + o(1))`` with an *order* ``q_a > 0`` and a *weight*
``c_a > 0``; conversely any orders and weights give such a sequence (the action ``b``
takes gets the rest). The probability of reaching node ``x`` is then
``pi(x) prod c_a eps**R(x)`` (``pi`` the chance probabilities on its path, the
product and ``R(x) = sum q_a`` over the untaken actions on it), so the limit belief
at a set puts all its mass on the nodes with the smallest ``R`` and shares it among
them in proportion to ``pi(x) prod c_a``. A belief system is consistent exactly when
some orders and weights produce it (a known characterisation, e.g. Kohlberg & Reny
1997; Perea, Jansen & Peters 1997).

**The decision.** A pure profile is a sequential equilibrium exactly when it is a
weak perfect Bayesian equilibrium and some orders ``q > 0`` and weights ``c > 0`` make
the mover's continuation a best reply at every unreached set with two or more
nodes: which nodes carry the belief is linear in ``q``; the gain of each
continuation, weighted by ``pi(x) prod c_a`` over those nodes, is a polynomial in
``c``. The existence of such ``q`` and ``c`` is a sentence of real arithmetic, decided
exactly by z3's nonlinear real arithmetic (NLSAT; de Moura & Jovanovic 2012): "sat"
comes with orders and weights, from which the beliefs are rebuilt and the best
replies checked again in floating point before the equilibrium is returned;
"unsat" proves that no consistent belief supports the profile; a solver that runs
out of time (``timeout``) leaves the profile undetermined, and the result says so.
Gains are compared with the same tolerance as the weak equilibria (``tol`` times
the player's payoff range).

Nodes reached under ``b`` have ``R = 0``, so on the path the beliefs are Bayes' rule
and nothing is left to decide; sets of one node have nothing to believe.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import GameTooLargeError, SolverError
from .tree_pbe import TreeEquilibrium, _Indexed, _profiles, _tolerances, _weak_pbe

__all__ = ["MAX_SEQUENTIAL_SUPPORTS", "SEQUENTIAL_TIMEOUT", "MixedSequentialEquilibrium",
           "SequentialEquilibrium", "SequentialResult", "sequential_equilibria"]

#: Seconds z3 may spend deciding one profile before it is reported undetermined.
SEQUENTIAL_TIMEOUT = 20.0
#: Largest number of support patterns (a non-empty set of actions at every information
#: set) tried by ``sequential_equilibria(tree, mixed=True)``.
MAX_SEQUENTIAL_SUPPORTS = 4096


@dataclass(frozen=True)
class SequentialEquilibrium:
    """One pure sequential equilibrium of a tree (:func:`sequential_equilibria`).

    Attributes
    ----------
    choices, beliefs, payoffs, outcome
        As in :class:`~gametheory.solvers.TreeEquilibrium` (``beliefs``: the sets
        reached with positive probability, by Bayes' rule).
    consistent_beliefs : dict
        Unreached information set of two or more nodes -> node -> probability: one
        consistent belief system that makes every continuation a best reply (others
        may exist).
    trembles : dict
        ``(information set, action)`` -> ``(order, weight)`` for each action not taken
        that leads to such a set: the action is played with probability about
        ``weight * eps**order``, and as ``eps -> 0`` Bayes' rule gives
        ``consistent_beliefs``.
    weak : TreeEquilibrium
        The same profile as a weak perfect Bayesian equilibrium (with the ranges of
        its unrestricted off-path beliefs).
    """

    choices: dict
    beliefs: dict
    consistent_beliefs: dict
    trembles: dict
    payoffs: dict
    outcome: dict
    weak: TreeEquilibrium = field(repr=False)

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html("A sequential equilibrium",
                           [("choices", self.choices), ("beliefs on the path", self.beliefs),
                            ("consistent off-path beliefs", self.consistent_beliefs or "none"),
                            ("trembles (order, weight)", self.trembles or "none"),
                            ("payoffs", self.payoffs), ("outcome", self.outcome)])


@dataclass(frozen=True)
class MixedSequentialEquilibrium:
    """One support pattern of sequential equilibria in behaviour strategies
    (``sequential_equilibria(tree, mixed=True)``): one point of the set of sequential
    equilibria whose behaviour strategy puts positive probability exactly on these
    actions (the set need not be a point).

    Attributes
    ----------
    behaviour : dict
        Information set -> action -> probability.
    beliefs : dict
        Information set of two or more nodes -> node -> probability: Bayes' rule where
        the set is reached, the consistent limit belief of ``trembles`` where it is not.
    trembles : dict
        ``(information set, action)`` -> ``(order, weight)`` for the actions outside
        the support that lead to an unreached set (probability about
        ``weight * eps**order``).
    support : dict
        Information set -> the actions played with positive probability.
    payoffs : dict
        Player -> expected payoff.
    pure : bool
    """

    behaviour: dict
    beliefs: dict
    trembles: dict
    support: dict
    payoffs: dict
    pure: bool

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html("A sequential equilibrium in behaviour strategies",
                           [("behaviour", self.behaviour), ("beliefs", self.beliefs or "none"),
                            ("trembles (order, weight)", self.trembles or "none"),
                            ("payoffs", self.payoffs)])


@dataclass(frozen=True, eq=False)
class SequentialResult:
    """Every pure sequential equilibrium of a tree (:func:`sequential_equilibria`).

    ``details``: ``"weak_pbe"`` (how many pure weak PBE were examined),
    ``"not_sequential"`` (the choices of those that no consistent belief supports),
    ``"undetermined"`` (those z3 could not decide in time) and ``"guarantee"``
    (``"all"`` when none is undetermined, else ``"some"``). With ``mixed=True``:
    ``"patterns"`` (how many were decided), ``"without_equilibrium"``,
    ``"undetermined"`` (their supports) and ``"guarantee"``.
    """

    equilibria: list
    tree: Any = field(repr=False)
    details: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.equilibria)

    def __getitem__(self, k: int) -> SequentialEquilibrium:
        return self.equilibria[k]

    def to_frame(self):
        """One row per equilibrium: the action at every information set, the payoffs
        and the consistent off-path beliefs found."""
        import pandas as pd

        rows = []
        for k, e in enumerate(self.equilibria):
            row: dict[str, Any] = {"equilibrium": k}
            if isinstance(e, MixedSequentialEquilibrium):
                row.update({f"at {h}": ", ".join(f"{a} {p:.3g}" for a, p in d.items())
                            for h, d in e.behaviour.items()})
                row.update({f"payoff {p}": v for p, v in e.payoffs.items()})
                row["beliefs"] = "; ".join(
                    f"at {h}: " + ", ".join(f"P({n}) = {v:.3g}" for n, v in b.items())
                    for h, b in e.beliefs.items())
                rows.append(row)
                continue
            row.update({f"at {h}": a for h, a in e.choices.items()})
            row.update({f"payoff {p}": v for p, v in e.payoffs.items()})
            row["consistent off-path beliefs"] = "; ".join(
                f"at {h}: " + ", ".join(f"P({n}) = {v:.3g}" for n, v in b.items())
                for h, b in e.consistent_beliefs.items())
            rows.append(row)
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        from .._format import frame_html

        n = len(self)
        if self.equilibria and isinstance(self.equilibria[0], MixedSequentialEquilibrium):
            return frame_html(self.to_frame(), f"{n} support pattern"
                              f"{'' if n == 1 else 's'} of sequential equilibria of "
                              f"{self.tree.title or 'the tree'}")
        extra = ""
        if self.details.get("undetermined"):
            extra = f" ({len(self.details['undetermined'])} undetermined)"
        return frame_html(self.to_frame(), f"{n} pure sequential equilibri"
                          f"{'um' if n == 1 else 'a'} of {self.tree.title or 'the tree'}"
                          + extra)


def _paths(tree, ix: _Indexed):
    """Per node: the decisions on its path ``[(set, action index), ...]`` and the exact
    probability of the chance moves on it."""
    g = tree.graph
    steps: list[list[tuple[int, int]]] = [[] for _ in ix.names]
    chance: list[Fraction] = [Fraction(1)] * len(ix.names)
    for k, name in enumerate(ix.names):
        for j, c in enumerate(ix.kids[k]):
            if ix.kind[k] == "decision":
                steps[c] = [*steps[k], (int(ix.iset[k]), j)]
                chance[c] = chance[k]
            else:
                steps[c] = list(steps[k])
                chance[c] = chance[k] * Fraction(g.edges[name, ix.names[c]]["prob"])
    return steps, chance


def _exact(v: float) -> Fraction:
    """A gain as a rational: the nearest with a small denominator when one is within
    rounding (payoffs and probabilities are usually such), else the float exactly."""
    f = Fraction(v)
    near = f.limit_denominator(10**6)
    return near if abs(float(near) - v) <= 1e-12 * max(1.0, abs(v)) else f


def _value(z3, v) -> Fraction:
    """A z3 model value (rational or algebraic) as a Fraction."""
    if z3.is_rational_value(v):
        return Fraction(v.numerator_as_long(), v.denominator_as_long())
    return Fraction(v.approx(30).as_fraction())


def _decide(ix: _Indexed, choice: np.ndarray, sets: dict, steps, chance, tols,
            timeout: float):
    """z3 on one profile: ('sat', orders, weights) / ('unsat', ...) / ('unknown', ...)."""
    import z3

    q: dict[tuple[int, int], Any] = {}
    c: dict[tuple[int, int], Any] = {}
    solver = z3.Solver()
    solver.set("timeout", int(timeout * 1000))

    def untaken(k):
        return [st for st in steps[k] if st[1] != choice[st[0]]]

    for h, D in sets.items():
        s = ix.sets[h]
        tol = _exact(float(tols[s["player"]]))
        order, weight = {}, {}
        for v in s["nodes"]:
            off = untaken(v)
            for st in off:
                if st not in q:
                    q[st] = z3.Real(f"q_{st[0]}_{st[1]}")
                    c[st] = z3.Real(f"c_{st[0]}_{st[1]}")
                    solver.add(q[st] > 0, c[st] > 0)
            order[v] = z3.Sum([q[st] for st in off]) if off else z3.RealVal(0)
            w = z3.RealVal(chance[v])
            for st in off:
                w = w * c[st]
            weight[v] = w
        low = z3.Real(f"R_{h}")
        solver.add(*[order[v] >= low for v in s["nodes"]])
        solver.add(z3.Or(*[order[v] == low for v in s["nodes"]]))
        # continuations that gain nowhere cannot fail; identical columns once
        cols = {tuple(_exact(float(x)) - tol for x in D[:, j]) for j in range(D.shape[1])
                if D[:, j].max() > tols[s["player"]]}
        for col in cols:
            solver.add(z3.Sum([z3.If(order[v] == low, weight[v] * z3.RealVal(g), 0)
                               for v, g in zip(s["nodes"], col, strict=True)]) <= 0)
    verdict = solver.check()
    if verdict == z3.unsat:
        return "unsat", None, None
    if verdict != z3.sat:
        return "unknown", None, None
    model = solver.model()
    orders = {st: _value(z3, model.eval(var, model_completion=True)) for st, var in q.items()}
    weights = {st: _value(z3, model.eval(var, model_completion=True)) for st, var in c.items()}
    return "sat", orders, weights


def _beliefs(ix: _Indexed, choice: np.ndarray, h: int, steps, chance, orders, weights):
    """The limit belief at set ``h`` given orders and weights (exact support, float
    shares)."""
    s = ix.sets[h]
    R, W = [], []
    for v in s["nodes"]:
        off = [st for st in steps[v] if st[1] != choice[st[0]]]
        R.append(sum((orders[st] for st in off), Fraction(0)))
        W.append(float(chance[v]) * float(np.prod([float(weights[st]) for st in off])))
    low = min(R)
    W = np.array([w if r == low else 0.0 for r, w in zip(R, W, strict=True)])
    return W / W.sum()


def _subsets(k: int) -> list[tuple[int, ...]]:
    return [c for r in range(1, k + 1) for c in itertools.combinations(range(k), r)]


def _payoff_table(tree, ix: _Indexed) -> dict[int, list[Fraction]]:
    g = tree.graph
    return {k: [_exact(float(v)) for v in g.nodes[name]["payoffs"]]
            for k, name in enumerate(ix.names) if ix.kind[k] == "terminal"}


def _decide_mixed(ix: _Indexed, pattern, steps, chance, pay, tols, timeout: float):
    """z3 on one support pattern: ('sat', behaviour, orders, weights), ('unsat', ...) or
    ('unknown', ...). Behaviour probabilities are positive exactly on the pattern; the
    actions outside it tremble with orders and weights; at every information set the
    limit belief makes each action of the support a best reply (one-shot deviations:
    enough for consistent assessments, Hendon, Jacobsen & Sloth 1996)."""
    import z3

    solver = z3.Solver()
    solver.set("timeout", int(timeout * 1000))
    b: dict[tuple[int, int], Any] = {}
    for h, S in enumerate(pattern):
        if len(S) == 1:
            b[(h, S[0])] = z3.RealVal(1)
            continue
        for j in S:
            b[(h, j)] = z3.Real(f"b_{h}_{j}")
            solver.add(b[(h, j)] > 0)
        solver.add(z3.Sum([b[(h, j)] for j in S]) == 1)
    q: dict[tuple[int, int], Any] = {}
    c: dict[tuple[int, int], Any] = {}
    players = len(next(iter(pay.values())))
    value: list[Any] = [None] * len(ix.names)
    for k in reversed(range(len(ix.names))):
        if ix.kind[k] == "terminal":
            value[k] = [z3.RealVal(v) for v in pay[k]]
        elif ix.kind[k] == "chance":
            probs = [_exact(pr) for pr in ix.prob[k]]
            value[k] = [z3.Sum([z3.RealVal(pr) * value[kid][i]
                                for pr, kid in zip(probs, ix.kids[k], strict=True)])
                        for i in range(players)]
        else:
            h = int(ix.iset[k])
            value[k] = [z3.Sum([b[(h, j)] * value[ix.kids[k][j]][i] for j in pattern[h]])
                        for i in range(players)]
    for h, s in enumerate(ix.sets):
        p = s["player"]
        S = pattern[h]
        order, weight = {}, {}
        for v in s["nodes"]:
            w = z3.RealVal(chance[v])
            terms = []
            for st in steps[v]:
                if st[1] in pattern[st[0]]:
                    w = w * b[st]
                else:
                    if st not in q:
                        q[st] = z3.Real(f"q_{st[0]}_{st[1]}")
                        c[st] = z3.Real(f"c_{st[0]}_{st[1]}")
                        solver.add(q[st] > 0, c[st] > 0)
                    w = w * c[st]
                    terms.append(q[st])
            order[v] = z3.Sum(terms) if terms else z3.RealVal(0)
            weight[v] = w
        if len(s["nodes"]) > 1:
            low = z3.Real(f"R_{h}")
            solver.add(*[order[v] >= low for v in s["nodes"]])
            solver.add(z3.Or(*[order[v] == low for v in s["nodes"]]))
            mass = [z3.If(order[v] == low, weight[v], 0) for v in s["nodes"]]
        else:
            mass = [z3.RealVal(1)]

        def Q(a, mass=mass, s=s, p=p):
            return z3.Sum([m * value[ix.kids[v][a]][p]
                           for m, v in zip(mass, s["nodes"], strict=True)])

        first = Q(S[0])
        for a in S[1:]:
            solver.add(Q(a) == first)
        # exact, without the tolerance: a slack would let a support keep an action
        # at a probability of the order of the slack where the equilibrium has none
        for a in range(len(s["actions"])):
            if a not in S:
                solver.add(Q(a) <= first)
    verdict = solver.check()
    if verdict == z3.unsat:
        return "unsat", None, None, None
    if verdict != z3.sat:
        return "unknown", None, None, None
    model = solver.model()

    def val(e):
        return _value(z3, model.eval(e, model_completion=True))

    behaviour = {st: float(val(e)) for st, e in b.items()}
    return ("sat", behaviour, {st: val(e) for st, e in q.items()},
            {st: float(val(e)) for st, e in c.items()})


def _check_mixed(ix: _Indexed, pattern, behaviour, orders, weights, steps, chance, tols):
    """Float re-check of a mixed certificate: beliefs and every one-shot deviation.
    Returns the beliefs and each player's payoff, or raises SolverError."""
    players = ix.pay.shape[1]
    V = np.zeros((len(ix.names), players))
    for k in reversed(range(len(ix.names))):
        if ix.kind[k] == "terminal":
            V[k] = ix.pay[k]
        elif ix.kind[k] == "chance":
            V[k] = sum(pr * V[kid] for pr, kid in zip(ix.prob[k], ix.kids[k], strict=True))
        else:
            h = int(ix.iset[k])
            V[k] = sum(behaviour[(h, j)] * V[ix.kids[k][j]] for j in pattern[h])
    beliefs = {}
    for h, s in enumerate(ix.sets):
        R, W = [], []
        for v in s["nodes"]:
            r, w = Fraction(0), float(chance[v])
            for st in steps[v]:
                if st[1] in pattern[st[0]]:
                    w *= behaviour[st]
                else:
                    r += orders[st]
                    w *= weights[st]
            R.append(r)
            W.append(w)
        low = min(R)
        mu = np.array([w if r == low else 0.0 for r, w in zip(R, W, strict=True)])
        mu /= mu.sum()
        p = s["player"]
        gains = [mu @ V[[ix.kids[v][a] for v in s["nodes"]], p]
                 for a in range(len(s["actions"]))]
        best = max(gains)
        scale = tols[p] * (1 + 1e-6) + 1e-9 * max(1.0, abs(best))
        if any(best - gains[a] > scale for a in pattern[h]):
            raise SolverError(f"z3's certificate at {s['key']!r} leaves an action of the "
                              f"support short of the best reply by "
                              f"{max(best - gains[a] for a in pattern[h]):.3g}; please "
                              f"report this tree")
        if len(s["nodes"]) > 1:
            beliefs[s["key"]] = {ix.names[v]: float(m)
                                 for v, m in zip(s["nodes"], mu, strict=True)}
    return beliefs, V[0]


def _mixed_equilibria(tree, ix: _Indexed, steps, chance, tols, timeout: float):
    sizes = [len(s["actions"]) for s in ix.sets]
    total = float(np.prod([2.0 ** k - 1 for k in sizes])) if sizes else 1.0
    if total > MAX_SEQUENTIAL_SUPPORTS:
        raise GameTooLargeError(f"{total:,.0f} support patterns over {len(sizes)} "
                                f"information sets; the limit is {MAX_SEQUENTIAL_SUPPORTS:,}")
    pay = _payoff_table(tree, ix)
    out, empty, undetermined = [], 0, []
    for pattern in itertools.product(*(_subsets(k) for k in sizes)):
        support = {s["key"]: [s["actions"][j] for j in pattern[h]]
                   for h, s in enumerate(ix.sets)}
        verdict, behaviour, orders, weights = _decide_mixed(ix, pattern, steps, chance, pay,
                                                            tols, timeout)
        if verdict == "unsat":
            empty += 1
            continue
        if verdict == "unknown":
            undetermined.append(support)
            continue
        beliefs, v0 = _check_mixed(ix, pattern, behaviour, orders, weights, steps, chance,
                                   tols)
        out.append(MixedSequentialEquilibrium(
            behaviour={s["key"]: {s["actions"][j]: behaviour[(h, j)] for j in pattern[h]}
                       for h, s in enumerate(ix.sets)},
            beliefs=beliefs,
            trembles={(ix.sets[st[0]]["key"], ix.sets[st[0]]["actions"][st[1]]):
                      (float(orders[st]), float(weights[st])) for st in orders},
            support=support,
            payoffs={tree.players[p]: float(v0[p]) for p in range(len(tree.players))},
            pure=all(len(S) == 1 for S in pattern)))
    return out, {"patterns": int(total), "without_equilibrium": empty,
                 "undetermined": undetermined,
                 "guarantee": "some" if undetermined else "all"}


def sequential_equilibria(tree, *, mixed: bool = False, tol: float = 1e-9,
                          timeout: float = SEQUENTIAL_TIMEOUT) -> SequentialResult:
    """Every pure sequential equilibrium of a small tree with perfect recall, or every
    support pattern of sequential equilibria in behaviour strategies.

    Parameters
    ----------
    tree : GameTree
        Any number of players, chance moves allowed, perfect recall.
    mixed : bool
        Every support pattern - a non-empty set of actions at every information set -
        is decided by z3 at once (behaviour probabilities positive exactly on it,
        orders and weights for the other actions, each action of the support a best
        reply at its set under the limit beliefs: one-shot deviations suffice for
        consistent assessments, Hendon, Jacobsen & Sloth 1996); each pattern that has
        a sequential equilibrium gives one :class:`MixedSequentialEquilibrium` (a
        point of its set, which need not be a point). At most
        :data:`MAX_SEQUENTIAL_SUPPORTS` patterns.
    tol : float
        Best-reply tolerance, relative to each player's payoff range (of the weak PBE
        and of every float re-check; the mixed patterns are decided exactly, payoffs
        and probabilities taken as the rationals they are).
    timeout : float
        Seconds z3 may spend on one profile (or pattern); a profile it cannot decide in time is
        listed in ``details["undetermined"]`` and the guarantee becomes "some".

    Returns
    -------
    SequentialResult

    Raises
    ------
    GameTreeError, GameTooLargeError
        As :func:`~gametheory.solvers.perfect_bayesian_equilibria`.
    SolverError
        A certificate from z3 whose beliefs do not support the profile when checked
        again (a bug, never expected).

    Examples
    --------
    Player 1 stays out (2 each) or enters left or right; player 2, who cannot see
    which, answers up or down; after "down", player 3 - who sees neither - answers u
    or d. Player 2's "up" needs P(left) >= 2/3 when player 3 plays u; player 3's u
    needs P(left) <= 1/3. With player 1 out, both sets are unreached and the weak PBE
    lets the two players believe different things; consistency does not (the same
    tremble of player 1 leads to both), so (out, up, u) is not sequential:

    >>> from gametheory.games import GameTree
    >>> t = GameTree(players=("1", "2", "3"), title="tied beliefs")
    >>> t.decision("r", player="1", actions={"out": "o", "left": "a", "right": "b"})
    >>> t.terminal("o", (2, 2, 2))
    >>> t.decision("a", player="2", infoset="h2", actions={"up": "au", "down": "ad"})
    >>> t.decision("b", player="2", infoset="h2", actions={"up": "bu", "down": "bd"})
    >>> t.terminal("au", (0, 1, 0))
    >>> t.terminal("bu", (0, 0, 0))
    >>> t.decision("ad", player="3", infoset="h3", actions={"u": "adu", "d": "add"})
    >>> t.decision("bd", player="3", infoset="h3", actions={"u": "bdu", "d": "bdd"})
    >>> for node, pay in {"adu": (1, 0, 0), "add": (1, 0, 2), "bdu": (1, 2, 1),
    ...                   "bdd": (1, 0, 0)}.items():
    ...     t.terminal(node, pay)
    >>> res = sequential_equilibria(t)
    >>> [tuple(e.choices.values()) for e in res]
    [('out', 'up', 'd'), ('out', 'down', 'u')]
    >>> [tuple(c.values()) for c in res.details["not_sequential"]], res.details["guarantee"]
    ([('out', 'up', 'u'), ('out', 'down', 'd')], 'all')
    """
    ix = _Indexed(tree)
    steps, chance = _paths(tree, ix)
    tols = _tolerances(ix, tol)
    if mixed:
        found, details = _mixed_equilibria(tree, ix, steps, chance, tols, timeout)
        return SequentialResult(equilibria=found, tree=tree, details=details)
    out, rejected, undetermined = [], [], []
    examined = 0
    for choice, pending, weak in _weak_pbe(tree, ix, tol):
        examined += 1
        sets = {h: D for h, D in pending.items() if len(ix.sets[h]["nodes"]) > 1}
        orders: dict = {}
        weights: dict = {}
        if sets:
            verdict, orders, weights = _decide(ix, choice, sets, steps, chance, tols,
                                               timeout)
            if verdict == "unsat":
                rejected.append(weak.choices)
                continue
            if verdict == "unknown":
                undetermined.append(weak.choices)
                continue
        consistent = {}
        for h, D in sets.items():
            s = ix.sets[h]
            mu = _beliefs(ix, choice, h, steps, chance, orders, weights)
            if (mu @ D).max() > tols[s["player"]] * (1 + 1e-6) + 1e-12:
                raise SolverError(f"z3's consistent beliefs at {s['key']!r} do not make "
                                  f"the continuation a best reply (gain "
                                  f"{(mu @ D).max():.3g}); please report this tree")
            consistent[s["key"]] = {ix.names[v]: float(p)
                                    for v, p in zip(s["nodes"], mu, strict=True)}
        trembles = {(ix.sets[st[0]]["key"], ix.sets[st[0]]["actions"][st[1]]):
                    (float(orders[st]), float(weights[st])) for st in orders}
        out.append(SequentialEquilibrium(
            choices=weak.choices, beliefs=weak.beliefs, consistent_beliefs=consistent,
            trembles=trembles, payoffs=weak.payoffs, outcome=weak.outcome, weak=weak))
    return SequentialResult(
        equilibria=out, tree=tree,
        details={"profiles": _profiles(ix), "weak_pbe": examined,
                 "not_sequential": rejected, "undetermined": undetermined,
                 "guarantee": "some" if undetermined else "all"})
