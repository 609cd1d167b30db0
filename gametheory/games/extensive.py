"""Game trees (extensive-form games) on networkx: building, checking, backward induction,
reduction to normal form, and drawing.

Nodes are decision nodes (a player moves), chance nodes (moves with given
probabilities) and terminal nodes (payoffs). Information sets group decision
nodes of one player with the same actions; by default every decision node is
its own information set (perfect information).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Mapping, Sequence
from fractions import Fraction
from math import prod
from typing import Any

import numpy as np

from .._numbers import as_fraction
from .._random import as_generator
from ..errors import GameTreeError
from .normal_form import Game

__all__ = ["BackwardInduction", "GameTree", "GameTreeError", "backward_induction",
           "negotiation_tree", "random_tree"]


#: Deepest tree accepted (moves from the root to a leaf); the tree algorithms recurse.
MAX_TREE_DEPTH = 400
#: Most pure strategies of one player in ``to_normal_form``.
MAX_STRATEGIES = 100_000
#: Most combinations of subtree outcomes one chance node may combine.
MAX_CHANCE_COMBINATIONS = 1_000_000




class BackwardInduction:
    """The subgame-perfect equilibria of a perfect-information tree, counted exactly and
    listed lazily.

    A tree with ties can have astronomically many subgame-perfect plans (Gambit's
    tic-tac-toe has about 1.9e14), so they are never all built: ``count`` is exact,
    ``equilibria`` holds the first ``max_listed`` plans (``truncated`` says whether
    there are more), :meth:`iter_plans` yields all of them one at a time, and
    :meth:`sample` draws plans uniformly at random.

    Attributes
    ----------
    count : int
        Number of subgame-perfect plans (a plan maps every decision node to an action).
    values : dict
        Root payoff vector (exact) -> number of plans with that outcome.
    equilibria : list of dict
        The first plans, each mapping every decision node to the chosen action label.
    payoffs : list of tuple of float
        Expected payoffs of each listed plan.
    paths : list of list of str
        The nodes each listed plan reaches (at chance nodes, the first child with
        positive probability, for display).
    truncated : bool
        True when ``count`` exceeds the plans listed.
    """

    def __init__(self, tree: GameTree, tables: dict, max_listed: int):
        self.tree = tree
        self._tables = tables
        self.values = dict(tables[tree.root])
        self.count = sum(self.values.values())
        self._max_listed = max_listed
        self._listed: tuple[list, list, list] | None = None
        self.truncated = self.count > max_listed

    def __len__(self) -> int:
        return self.count

    # the plans are listed on first use: on a wide tree listing them costs far more
    # than counting them, and a caller may only want the counts or the outcomes
    def _listing(self) -> tuple[list, list, list]:
        if self._listed is None:
            eqs: list[dict[str, str]] = []
            pays: list[tuple[float, ...]] = []
            paths: list[list[str]] = []
            for plan, value in itertools.islice(self._iter(), self._max_listed):
                eqs.append(self._labels(plan))
                pays.append(tuple(float(v) for v in value))
                paths.append(self._path(plan))
            self._listed = (eqs, pays, paths)
        return self._listed

    @property
    def equilibria(self) -> list[dict[str, str]]:
        return self._listing()[0]

    @property
    def payoffs(self) -> list[tuple[float, ...]]:
        return self._listing()[1]

    @property
    def paths(self) -> list[list[str]]:
        return self._listing()[2]

    def _labels(self, plan: dict[str, int]) -> dict[str, str]:
        g = self.tree.graph
        return {n: g.nodes[n]["actions"][plan[n]] for n in self.tree._decision_order()}

    def _path(self, plan: dict[str, int]) -> list[str]:
        g, n = self.tree.graph, self.tree.root
        path = [n]
        while g.nodes[n]["kind"] != "terminal":
            if g.nodes[n]["kind"] == "decision":
                n = self.tree._child(n, plan[n])
            else:
                n = next(k for k in self.tree.children(n) if g.edges[n, k]["prob"] > 0)
            path.append(n)
        return path

    # ------------------------------------------------------------------ enumeration
    def iter_plans(self):
        """Every subgame-perfect plan, one at a time (node -> action label)."""
        for plan, _ in self._iter():
            yield self._labels(plan)

    def _iter(self):
        root = self.tree.root
        for value in self.values:
            for plan in self._plans(root, value):
                yield plan, value

    def _plans(self, n: str, value):
        """Plans (node -> action position) of the subtree at ``n`` with root value ``value``."""
        t = self.tree
        d = t.graph.nodes[n]
        if d["kind"] == "terminal":
            yield {}
            return
        kids = t.children(n)
        if d["kind"] == "chance":
            for combo in self._chance_combos(n).get(value, ()):
                yield from self._product(list(zip(kids, combo, strict=True)))
            return
        i = d["player"]
        for a, child in enumerate(kids):
            if value not in self._tables[child]:
                continue
            others = [k for j, k in enumerate(kids) if j != a]
            options = [[v for v in self._tables[k] if v[i] <= value[i]] for k in others]
            for vals in itertools.product(*options):
                for sub in self._product([(child, value), *zip(others, vals, strict=True)]):
                    yield {**sub, n: a}

    def _product(self, assignments):
        """Plans of several subtrees, each with a given root value, combined."""
        if not assignments:
            yield {}
            return
        (node, value), rest = assignments[0], assignments[1:]
        for first in self._plans(node, value):
            for more in self._product(rest):
                yield {**first, **more}

    def _chance_combos(self, n: str) -> dict:
        cache = self._tables.setdefault(("combos", n), {})
        if not cache:
            for combo, value, _ in _chance_table(self.tree, n, self._tables):
                cache.setdefault(value, []).append(combo)
        return cache

    # ------------------------------------------------------------------ sampling
    def sample(self, k: int = 1, *, seed=None) -> list[dict[str, str]]:
        """``k`` subgame-perfect plans drawn uniformly at random (with replacement),
        without listing the others."""
        rng = as_generator(seed)
        out = []
        for _ in range(k):
            value = _weighted_choice(rng, list(self.values.items()))
            out.append(self._labels(self._sample(self.tree.root, value, rng)))
        return out

    def _sample(self, n: str, value, rng) -> dict[str, int]:
        t = self.tree
        d = t.graph.nodes[n]
        if d["kind"] == "terminal":
            return {}
        kids = t.children(n)
        if d["kind"] == "chance":
            combos = self._chance_combos(n)[value]
            weights = [(c, prod(self._tables[k][v] for k, v in zip(kids, c, strict=True)))
                       for c in combos]
            combo = _weighted_choice(rng, weights)
            plan: dict[str, int] = {}
            for k, v in zip(kids, combo, strict=True):
                plan.update(self._sample(k, v, rng))
            return plan
        i = d["player"]
        choices = []
        for a, child in enumerate(kids):
            c = self._tables[child].get(value, 0)
            if c:
                rest = prod(sum(cnt for v, cnt in self._tables[k].items() if v[i] <= value[i])
                            for j, k in enumerate(kids) if j != a)
                choices.append((a, c * rest))
        a = _weighted_choice(rng, choices)
        plan = {n: a, **self._sample(kids[a], value, rng)}
        for j, k in enumerate(kids):
            if j != a:
                ok = [(v, cnt) for v, cnt in self._tables[k].items() if v[i] <= value[i]]
                plan.update(self._sample(k, _weighted_choice(rng, ok), rng))
        return plan

    def __repr__(self) -> str:
        shown = "" if not self.truncated else f", {self._max_listed} listed"
        return (f"BackwardInduction({self.count:,} subgame-perfect plan"
                f"{'' if self.count == 1 else 's'}, {len(self.values)} outcome"
                f"{'' if len(self.values) == 1 else 's'}{shown})")

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html("Subgame-perfect equilibria (backward induction)",
                           [("plans", f"{self.count:,}"),
                            ("outcomes", [np.round(np.asarray(v, float), 4)
                                          for v in self.values]),
                            ("listed", len(self.equilibria)),
                            ("paths", self.paths[:5])])


def _weighted_choice(rng, items):
    """One item of ``[(item, integer weight), ...]`` with probability proportional to its
    weight (exact integers: the weights can exceed 2**64)."""
    total = sum(w for _, w in items)
    r = int(rng.integers(0, 2**62)) * total // 2**62  # uniform over 0..total-1, to 2**-62
    for item, w in items:
        if r < w:
            return item
        r -= w
    return items[-1][0]  # pragma: no cover


def _chance_table(tree: GameTree, n: str, tables: dict):
    """``(combo of child values, expected value, number of plans)`` for a chance node."""
    kids = tree.children(n)
    g = tree.graph
    probs = [g.edges[n, k]["prob"] for k in kids]
    size = prod(len(tables[k]) for k in kids)
    if size > MAX_CHANCE_COMBINATIONS:
        raise GameTreeError(f"chance node {n!r}: its subtrees have {size:,} combinations of "
                            f"outcomes, more than the limit of {MAX_CHANCE_COMBINATIONS:,}")
    for combo in itertools.product(*(list(tables[k]) for k in kids)):
        value = tuple(sum((p * v[i] for p, v in zip(probs, combo, strict=True)), Fraction(0))
                      for i in range(len(tree.players)))
        yield combo, value, prod(tables[k][v] for k, v in zip(kids, combo, strict=True))


class GameTree:
    """An extensive-form game.

    Examples
    --------
    Entry deterrence: the incumbent's threat to fight is not credible.

    >>> t = GameTree(players=("Entrant", "Incumbent"))
    >>> t.decision("root", player="Entrant", actions={"Out": "out", "In": "in"})
    >>> t.terminal("out", (0, 2))
    >>> t.decision("in", player="Incumbent", actions={"Fight": "fight", "Accommodate": "acc"})
    >>> t.terminal("fight", (-1, -1))
    >>> t.terminal("acc", (1, 1))
    >>> backward_induction(t).equilibria
    [{'root': 'In', 'in': 'Accommodate'}]
    """

    def __init__(self, players: Sequence[str], *, title: str = ""):
        import networkx as nx

        if len(players) < 1 or len(set(players)) != len(players):
            raise GameTreeError(f"players must be distinct labels, got {list(players)!r}")
        self.players = tuple(players)
        self.title = title
        self.graph = nx.DiGraph()
        self.root: str | None = None
        self._children: dict[str, list[str]] = {}   # children in action order

    # ---------------------------------------------------------------- building
    def _add(self, node: str, **attrs: Any) -> None:
        if node in self.graph and self.graph.nodes[node].get("kind"):
            raise GameTreeError(f"node {node!r} is defined twice")
        self.graph.add_node(node, **attrs)
        if self.root is None:
            self.root = node

    def _player(self, player: int | str) -> int:
        if isinstance(player, str):
            if player not in self.players:
                raise GameTreeError(f"unknown player {player!r}; players: {self.players}")
            return self.players.index(player)
        if not 0 <= int(player) < len(self.players):
            raise GameTreeError(f"player index {player} out of range")
        return int(player)

    def decision(self, node: str, *, player: int | str,
                 actions: Mapping[str, str] | Sequence[tuple[str, str]],
                 infoset: str | None = None) -> None:
        """Add a decision node: ``actions`` maps action labels to child nodes, or is a
        sequence of ``(label, child)`` pairs (actions are kept by position, so two
        actions may share a label, as Gambit allows)."""
        pairs = list(actions.items()) if isinstance(actions, Mapping) else \
            [tuple(a) for a in actions]
        if not pairs:
            raise GameTreeError(f"decision node {node!r} has no actions")
        if any(len(a) != 2 for a in pairs):
            raise GameTreeError(f"decision node {node!r}: actions must be (label, child) pairs")
        p = self._player(player)
        self._add(node, kind="decision", player=p, infoset=infoset or node,
                  actions=tuple(str(label) for label, _ in pairs))
        for k, (action, child) in enumerate(pairs):
            self._edge(node, child, str(action), None, k)

    def chance(self, node: str, *,
               outcomes: Mapping[str, tuple[str, Any]] | Sequence[tuple[str, str, Any]]
               ) -> None:
        """Add a chance node: ``outcomes`` maps labels to ``(child, probability)``, or is
        a sequence of ``(label, child, probability)`` triples (labels may repeat)."""
        triples = ([(label, child, prob) for label, (child, prob) in outcomes.items()]
                   if isinstance(outcomes, Mapping) else [tuple(o) for o in outcomes])
        if not triples or any(len(t) != 3 for t in triples):
            raise GameTreeError(f"chance node {node!r} needs (label, child, probability) "
                                "outcomes")
        probs = []
        for label, _child, prob in triples:
            try:
                probs.append(as_fraction(prob))
            except (TypeError, ValueError, ZeroDivisionError):
                raise GameTreeError(f"chance node {node!r}: probability of {label!r} is not a "
                                    f"number: {prob!r}") from None
        if any(p < 0 for p in probs) or sum(probs) != 1:
            raise GameTreeError(f"chance node {node!r}: probabilities must be >= 0 and sum to "
                                f"1, got {[str(p) for p in probs]}")
        self._add(node, kind="chance", actions=tuple(str(t[0]) for t in triples))
        for k, ((label, child, _), prob) in enumerate(zip(triples, probs, strict=True)):
            self._edge(node, child, str(label), prob, k)

    def terminal(self, node: str, payoffs: Sequence[Any]) -> None:
        """Add a terminal node with one payoff per player."""
        if len(payoffs) != len(self.players):
            raise GameTreeError(f"terminal {node!r} has {len(payoffs)} payoffs for "
                                f"{len(self.players)} players")
        try:
            exact = tuple(as_fraction(v) for v in payoffs)
        except (TypeError, ValueError, ZeroDivisionError):
            raise GameTreeError(f"terminal {node!r}: payoffs must be finite numbers, got "
                                f"{list(payoffs)!r}") from None
        self._add(node, kind="terminal", payoffs=exact)

    def _edge(self, parent: str, child: str, action: str, prob, index: int) -> None:
        if child == parent or (self.graph.has_node(child) and self.graph.in_degree(child) > 0):
            other = parent if child == parent else next(iter(self.graph.predecessors(child)))
            raise GameTreeError(f"node {child!r} has two parents ({parent!r} and {other!r}); "
                                "a tree node has one")
        self.graph.add_edge(parent, child, action=action, prob=prob, index=index)
        self._children.setdefault(parent, []).append(child)

    # ---------------------------------------------------------------- checks
    def validate(self) -> None:
        """Raise GameTreeError unless this is a finite tree with consistent information sets."""
        import networkx as nx

        g = self.graph
        if self.root is None:
            raise GameTreeError("the tree is empty")
        undefined = [n for n in g.nodes if not g.nodes[n].get("kind")]
        if undefined:
            raise GameTreeError(f"node {undefined[0]!r} is reached by a move but never defined")
        try:
            cycle = nx.find_cycle(g)
        except nx.NetworkXNoCycle:
            cycle = None
        if cycle:
            raise GameTreeError(f"the tree has a cycle through node {cycle[0][0]!r}")
        roots = [n for n in g.nodes if g.in_degree(n) == 0]
        if roots != [self.root]:
            raise GameTreeError(f"a tree has one root; found {roots}")
        depth = nx.dag_longest_path_length(g)
        if depth > MAX_TREE_DEPTH:
            raise GameTreeError(f"the tree is {depth} moves deep, more than the limit of "
                                f"{MAX_TREE_DEPTH}")
        sets: dict[str, tuple[int, tuple[str, ...], str]] = {}
        for n, d in g.nodes(data=True):
            if d["kind"] != "decision":
                continue
            key = d["infoset"]
            if key in sets:
                player, actions, first = sets[key]
                if player != d["player"]:
                    raise GameTreeError(f"information set {key!r} mixes players: nodes "
                                        f"{first!r} and {n!r}")
                if actions != d["actions"]:
                    raise GameTreeError(f"information set {key!r}: nodes {first!r} and {n!r} "
                                        f"have different actions")
            else:
                sets[key] = (d["player"], d["actions"], n)

    @property
    def perfect_information(self) -> bool:
        """True when every information set is a single node."""
        infosets = [d["infoset"] for _, d in self.graph.nodes(data=True)
                    if d.get("kind") == "decision"]
        return len(infosets) == len(set(infosets))

    def infosets(self, player: int) -> dict[str, tuple[str, ...]]:
        """Information sets of a player, in tree order, with their actions."""
        import networkx as nx

        out: dict[str, tuple[str, ...]] = {}
        for n in nx.dfs_preorder_nodes(self.graph, self.root):
            d = self.graph.nodes[n]
            if d["kind"] == "decision" and d["player"] == player:
                out.setdefault(d["infoset"], d["actions"])
        return out

    def _decision_order(self) -> list[str]:
        """Decision nodes in tree (preorder) order."""
        import networkx as nx

        return [n for n in nx.dfs_preorder_nodes(self.graph, self.root)
                if self.graph.nodes[n]["kind"] == "decision"]

    def children(self, node: str) -> list[str]:
        """The children of ``node`` in the order of its actions."""
        return list(self._children.get(node, ()))

    def _child(self, node: str, action: int | str) -> str:
        """The child reached by ``action``: its position, or a label that is unique at
        this node."""
        kids = self._children.get(node, [])
        if isinstance(action, int | np.integer) and not isinstance(action, bool):
            if 0 <= action < len(kids):
                return kids[int(action)]
            raise GameTreeError(f"node {node!r} has no action number {action}")
        labels = self.graph.nodes[node]["actions"]
        hits = [k for k, lab in enumerate(labels) if lab == action]
        if len(hits) == 1:
            return kids[hits[0]]
        if hits:
            raise GameTreeError(f"node {node!r} has {len(hits)} actions labelled {action!r}; "
                                f"give the action's position (0..{len(labels) - 1})")
        raise GameTreeError(f"node {node!r} has no action {action!r}")

    def outcome(self, choices: Mapping[str, int | str]) -> tuple[Fraction, ...]:
        """Expected payoffs when every information set plays ``choices[infoset]`` (an
        action's position, or its label when that is unique)."""
        def value(n: str) -> tuple[Fraction, ...]:
            d = self.graph.nodes[n]
            if d["kind"] == "terminal":
                return d["payoffs"]
            if d["kind"] == "chance":
                total = [Fraction(0)] * len(self.players)
                for child in self.graph.successors(n):
                    p = self.graph.edges[n, child]["prob"]
                    total = [t + p * v for t, v in zip(total, value(child), strict=True)]
                return tuple(total)
            return value(self._child(n, choices[d["infoset"]]))

        return value(self.root)

    # ---------------------------------------------------------------- normal form
    def to_normal_form(self, *, reduced: bool = False) -> Game:
        """The strategic form: a pure strategy picks an action at each information set.

        With ``reduced`` strategies that differ only at information sets their own
        earlier choices rule out are merged (the reduced normal form); merged
        strategies are labelled with ``*`` for the irrelevant choices.
        """
        self.validate()
        per_player = []
        for i in range(len(self.players)):
            sets = self.infosets(i)
            keys = list(sets)
            size = prod(len(v) for v in sets.values())
            if size > MAX_STRATEGIES:
                raise GameTreeError(f"{self.players[i]} has {size:,} pure strategies, more "
                                    f"than the limit of {MAX_STRATEGIES:,} for the normal "
                                    "form; use backward_induction for perfect information")
            # choices by position: two actions of one node may share a label
            combos = [dict(zip(keys, c, strict=True))
                      for c in itertools.product(*(range(len(v)) for v in sets.values()))
                      ] or [{}]

            if reduced:
                seen: dict[tuple, dict] = {}
                for c in combos:
                    sig = tuple(c[k] if self._reachable_by(i, k, c) else "*" for k in keys)
                    seen.setdefault(sig, c)
                labels = ["/".join("*" if v == "*" else sets[k][v]
                                   for k, v in zip(keys, sig, strict=True)) for sig in seen]
                per_player.append((list(seen.values()), labels))
            else:
                labels = [("/".join(sets[k][c[k]] for k in keys) or "-") for c in combos]
                per_player.append((combos, labels))
        shape = tuple(len(c) for c, _ in per_player)
        payoffs = np.empty((*shape, len(self.players)), dtype=object)
        for idx in itertools.product(*(range(n) for n in shape)):
            choices: dict[str, str] = {}
            for i, k in enumerate(idx):
                choices.update(per_player[i][0][k])
            # a reduced strategy keeps a full representative, so every choice is defined
            payoffs[idx] = self.outcome(choices)
        return Game(payoffs, players=self.players,
                    actions=[_unique_labels(lab) for _, lab in per_player],
                    title=self.title or "normal form of a game tree")

    def _reachable_by(self, player: int, infoset: str, choices: Mapping[str, str]) -> bool:
        """Can ``infoset`` be reached when ``player`` follows ``choices`` (others free)?"""
        def walk(n: str) -> bool:
            d = self.graph.nodes[n]
            if d["kind"] == "terminal":
                return False
            if d["kind"] == "decision" and d["infoset"] == infoset:
                return True
            children = list(self.graph.successors(n))
            if d["kind"] == "decision" and d["player"] == player:
                children = [self._child(n, choices[d["infoset"]])]
            return any(walk(c) for c in children)

        return walk(self.root)

    def _repr_html_(self) -> str:
        from .._format import fields_html

        kinds = [d.get("kind") for _, d in self.graph.nodes(data=True)]
        return fields_html(f"Game tree {self.title!r}" if self.title else "Game tree",
                           [("players", self.players),
                            ("decision nodes", kinds.count("decision")),
                            ("chance nodes", kinds.count("chance")),
                            ("terminal nodes", kinds.count("terminal")),
                            ("information sets", sum(len(self.infosets(i))
                                                     for i in range(len(self.players))))])

    # ---------------------------------------------------------------- drawing
    def draw(self, ax=None):
        """Tree drawing: root on top, actions on the edges, payoffs under the leaves."""
        import matplotlib.pyplot as plt
        import networkx as nx

        from .._format import PALETTE

        if ax is None:
            _, ax = plt.subplots(figsize=(8, 5))
        self.validate()
        leaves = [n for n in nx.dfs_preorder_nodes(self.graph, self.root)
                  if self.graph.out_degree(n) == 0]
        pos: dict[str, tuple[float, float]] = {}

        def place(n: str, depth: int) -> float:
            kids = list(self.graph.successors(n))
            x = float(leaves.index(n)) if not kids else float(np.mean([place(k, depth + 1)
                                                                       for k in kids]))
            pos[n] = (x, -depth)
            return x

        place(self.root, 0)
        for u, v, d in self.graph.edges(data=True):
            (x0, y0), (x1, y1) = pos[u], pos[v]
            ax.plot([x0, x1], [y0, y1], "k-", lw=0.8)
            label = d["action"] + (f" ({d['prob']})" if d["prob"] is not None else "")
            ax.annotate(label, ((x0 + x1) / 2, (y0 + y1) / 2), fontsize=8, ha="center",
                        va="bottom", color="0.25")
        for n, (x, y) in pos.items():
            d = self.graph.nodes[n]
            if d["kind"] == "terminal":
                ax.annotate(", ".join(str(v) for v in d["payoffs"]), (x, y), fontsize=8,
                            ha="center", va="top", xytext=(0, -4), textcoords="offset points")
            else:
                who = self.players[d["player"]] if d["kind"] == "decision" else "chance"
                ax.plot([x], [y], "o", color=PALETTE[0] if d["kind"] == "decision" else "0.5")
                ax.annotate(who, (x, y), fontsize=8, ha="center", va="bottom",
                            xytext=(0, 5), textcoords="offset points")
        ax.set_axis_off()
        ax.set_title(self.title)
        return ax


def _unique_labels(labels: list[str]) -> list[str]:
    out: list[str] = []
    for lab in labels:
        name = lab
        while name in out:
            name += "'"
        out.append(name)
    return out


def backward_induction(tree: GameTree, *, max_listed: int = 1_000) -> BackwardInduction:
    """Every subgame-perfect equilibrium of a finite perfect-information game (ties kept),
    counted exactly and listed lazily.

    At each decision node every action maximising the mover's payoff is kept, so
    ties produce several equilibria (Zermelo; Kuhn 1953; Selten 1965). Chance nodes
    take expectations; payoffs are exact rationals. The work is a dynamic program
    over the distinct outcome vectors of each subtree and the number of plans
    reaching each: a node whose mover chooses child ``a`` with value ``w`` counts
    ``c_a(w)`` times the plans of every other child whose value is no better for the
    mover than ``w``, so the count of a tree with 1e14 plans costs no more than one
    with a single plan. Plans are listed only up to ``max_listed``
    (:meth:`BackwardInduction.iter_plans` yields all, :meth:`~BackwardInduction.sample`
    draws at random).

    Raises
    ------
    GameTreeError
        If the tree has imperfect information (use ``to_normal_form`` and a solver).

    Examples
    --------
    >>> t = GameTree(players=("A", "B"))
    >>> t.decision("root", player="A", actions={"l": "x", "r": "y"})
    >>> t.decision("x", player="B", actions={"u": "xu", "d": "xd"})
    >>> t.decision("y", player="B", actions={"u": "yu", "d": "yd"})
    >>> for leaf in ("xu", "xd", "yu", "yd"):
    ...     t.terminal(leaf, (1, 0))
    >>> res = backward_induction(t)        # everything ties: 2 * 2 * 2 plans
    >>> res.count, len(res.equilibria), res.values
    (8, 8, {(Fraction(1, 1), Fraction(0, 1)): 8})
    """
    import networkx as nx

    tree.validate()
    if not tree.perfect_information:
        raise GameTreeError("backward induction needs perfect information; this tree has "
                            "information sets with several nodes (reduce it to normal form)")
    g = tree.graph
    # tables[n]: root value of the subtree at n (exact tuple) -> number of SPE plans
    tables: dict = {}
    for n in reversed(list(nx.topological_sort(g))):
        d = g.nodes[n]
        if d["kind"] == "terminal":
            tables[n] = {tuple(d["payoffs"]): 1}
        elif d["kind"] == "chance":
            table: dict = {}
            for _, value, count in _chance_table(tree, n, tables):
                table[value] = table.get(value, 0) + count
            tables[n] = table
        else:
            i = d["player"]
            kids = tree.children(n)
            # plans of each child whose value gives the mover at most x: sorted prefix sums
            at_most = []
            for k in kids:
                items = sorted(tables[k].items(), key=lambda kv: kv[0][i])
                keys = [v[i] for v, _ in items]
                sums = list(itertools.accumulate(c for _, c in items))
                at_most.append((keys, sums))

            def upto(j, x, at_most=at_most):
                keys, sums = at_most[j]
                pos = bisect.bisect_right(keys, x)
                return sums[pos - 1] if pos else 0

            table = {}
            for a, k in enumerate(kids):
                for value, count in tables[k].items():
                    rest = 1
                    for j in range(len(kids)):
                        if j != a:
                            rest *= upto(j, value[i])
                            if not rest:
                                break
                    if rest:
                        table[value] = table.get(value, 0) + count * rest
            tables[n] = table
    return BackwardInduction(tree, tables, max_listed)


def negotiation_tree(*, lifted: tuple[int, int] = (3, 2), parity: tuple[int, int] = (2, 1),
                     spiral: tuple[int, int] = (-2, -1)) -> GameTree:
    """An illustrative negotiation tree of the embassy dispute (payoffs ``(US, Russia)``).

    Russia proposes to "zero all" restrictions or to restore "parity"; the US
    accepts, counters with the other proposal, or retaliates; after a counter
    Russia accepts it or retaliates. ``lifted`` is the payoff when everything is
    lifted, ``parity`` when staffing is equalised, ``spiral`` when someone
    retaliates. The defaults are illustrative (the US gains most from a full
    lifting; Russia prefers lifting to parity), not calibrated.

    Examples
    --------
    >>> res = backward_induction(negotiation_tree())
    >>> res.paths[0], res.payoffs[0]
    (['Russia proposes', 'zero all offered', 'zero all accepted'], (3.0, 2.0))
    """
    t = GameTree(players=("US", "Russia"), title="Negotiation over the missions (illustrative)")
    t.decision("Russia proposes", player="Russia",
               actions={"Zero all": "zero all offered", "Parity": "parity offered"})
    t.decision("zero all offered", player="US",
               actions={"Accept": "zero all accepted", "Counter with parity": "US counters",
                        "Retaliate": "US retaliates after zero all"})
    t.decision("parity offered", player="US",
               actions={"Accept": "parity accepted", "Counter with zero all": "US asks more",
                        "Retaliate": "US retaliates after parity"})
    t.decision("US counters", player="Russia",
               actions={"Accept": "parity agreed", "Retaliate": "Russia retaliates"})
    t.decision("US asks more", player="Russia",
               actions={"Accept": "zero all agreed", "Retaliate": "Russia retaliates again"})
    t.terminal("zero all accepted", lifted)
    t.terminal("parity accepted", parity)
    t.terminal("parity agreed", parity)
    t.terminal("zero all agreed", lifted)
    for leaf in ("US retaliates after zero all", "US retaliates after parity",
                 "Russia retaliates", "Russia retaliates again"):
        t.terminal(leaf, spiral)
    return t


#: Most nodes :func:`random_tree` builds.
MAX_RANDOM_TREE_NODES = 2_000_000


def random_tree(depth: int, *, branching: int = 2, infoset_size: int = 2,
                chance_root: bool = False, payoffs: tuple[int, int] = (0, 99),
                seed=None) -> GameTree:
    """A random two-player tree with perfect recall and imperfect information.

    The players move in turn (player 1 at the root, or after a chance move with
    ``chance_root``), each with ``branching`` actions, for ``depth`` moves; every
    leaf gets integer payoffs drawn uniformly from ``payoffs``. At each level, the
    mover's nodes that its own earlier moves cannot tell apart (same own sequence)
    are grouped at random into information sets of up to ``infoset_size`` nodes - so
    the tree has perfect recall and, with ``infoset_size > 1``, imperfect
    information (as the binary trees of von Stengel, van den Elzen & Talman 2002).

    Examples
    --------
    >>> t = random_tree(4, seed=1)
    >>> len([n for n, d in t.graph.nodes(data=True) if d["kind"] == "terminal"])
    16
    >>> t.perfect_information
    False
    """
    for name, v, lo in (("depth", depth, 1), ("branching", branching, 2),
                        ("infoset_size", infoset_size, 1)):
        if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < lo:
            raise GameTreeError(f"{name} must be an integer >= {lo}, got {v!r}")
    lo_pay, hi_pay = (int(v) for v in payoffs)
    if hi_pay < lo_pay:
        raise GameTreeError(f"payoffs must be (low, high) with low <= high, got {payoffs!r}")
    if depth > MAX_TREE_DEPTH:
        raise GameTreeError(f"depth {depth} is more than the limit of {MAX_TREE_DEPTH}")
    size = sum(branching ** k for k in range(depth + 1)) * (2 if chance_root else 1)
    if size > MAX_RANDOM_TREE_NODES:
        raise GameTreeError(f"a tree of depth {depth} with {branching} actions has {size:,} "
                            f"nodes, more than the limit of {MAX_RANDOM_TREE_NODES:,}")
    rng = as_generator(seed)
    t = GameTree(players=("1", "2"), title=f"random tree (depth {depth})")
    if chance_root:
        t.chance("root", outcomes={"a": ("c0", Fraction(1, 2)), "b": ("c1", Fraction(1, 2))})
        level = [("c0", ("", "")), ("c1", ("", ""))]
    else:
        level = [("root", ("", ""))]
    for k in range(depth):
        p = k % 2
        groups: dict[str, list[tuple[str, tuple[str, str]]]] = {}
        for item in level:
            groups.setdefault(item[1][p], []).append(item)
        nxt = []
        for g, (own, items) in enumerate(groups.items()):
            order = rng.permutation(len(items))
            for j in range(0, len(items), infoset_size):
                h = f"{'AB'[p]}{k}.{g}.{j // infoset_size}"
                for idx in order[j:j + infoset_size]:
                    node, hist = items[int(idx)]
                    kids = [f"{node}.{a}" for a in range(branching)]
                    t.decision(node, player=p, infoset=h,
                               actions=[(f"a{a}", kid) for a, kid in enumerate(kids)])
                    for a, kid in enumerate(kids):
                        new = list(hist)
                        new[p] = f"{h}:{a}"
                        nxt.append((kid, (new[0], new[1])))
            del own
        level = nxt
    pay = rng.integers(lo_pay, hi_pay + 1, size=(len(level), 2))
    for (node, _), u in zip(level, pay, strict=True):
        t.terminal(node, (int(u[0]), int(u[1])))
    return t
