"""Game trees (extensive-form games) on networkx: building, checking, backward induction,
reduction to normal form, and drawing.

Nodes are decision nodes (a player moves), chance nodes (moves with given
probabilities) and terminal nodes (payoffs). Information sets group decision
nodes of one player with the same actions; by default every decision node is
its own information set (perfect information).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from .._numbers import as_fraction
from ..errors import GameError
from .normal_form import Game

__all__ = ["BackwardInduction", "GameTree", "GameTreeError", "backward_induction",
           "negotiation_tree"]


class GameTreeError(GameError, ValueError):
    """A game tree is malformed (cycle, missing payoffs, inconsistent information set, ...).

    The message names the node or information set.
    """


@dataclass(frozen=True)
class BackwardInduction:
    """All subgame-perfect equilibria of a perfect-information tree.

    Attributes
    ----------
    equilibria : list of dict
        Each maps every decision node to the action chosen there.
    payoffs : list of tuple of float
        Expected payoffs of each equilibrium (from the root).
    paths : list of list of str
        The nodes reached in each equilibrium (chance moves branch: the path
        follows the first child with positive probability only for display).
    """

    equilibria: list[dict[str, str]]
    payoffs: list[tuple[float, ...]]
    paths: list[list[str]]

    def __len__(self) -> int:
        return len(self.equilibria)

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html("Subgame-perfect equilibria (backward induction)",
                           [("equilibria", len(self.equilibria)),
                            ("payoffs", [np.round(np.asarray(p, float), 4)
                                         for p in self.payoffs]),
                            ("paths", self.paths)])


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

    def decision(self, node: str, *, player: int | str, actions: Mapping[str, str],
                 infoset: str | None = None) -> None:
        """Add a decision node: ``actions`` maps action labels to child nodes."""
        if not actions:
            raise GameTreeError(f"decision node {node!r} has no actions")
        p = self._player(player)
        self._add(node, kind="decision", player=p, infoset=infoset or node,
                  actions=tuple(actions))
        for action, child in actions.items():
            self._edge(node, child, action, None)

    def chance(self, node: str, *, outcomes: Mapping[str, tuple[str, Any]]) -> None:
        """Add a chance node: ``outcomes`` maps labels to ``(child, probability)``."""
        probs = {}
        for label, (_child, prob) in outcomes.items():
            try:
                probs[label] = as_fraction(prob)
            except (TypeError, ValueError, ZeroDivisionError):
                raise GameTreeError(f"chance node {node!r}: probability of {label!r} is not a "
                                    f"number: {prob!r}") from None
        if any(p < 0 for p in probs.values()) or sum(probs.values()) != 1:
            raise GameTreeError(f"chance node {node!r}: probabilities must be >= 0 and sum to "
                                f"1, got {[str(p) for p in probs.values()]}")
        self._add(node, kind="chance", actions=tuple(outcomes))
        for label, (child, _) in outcomes.items():
            self._edge(node, child, label, probs[label])

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

    def _edge(self, parent: str, child: str, action: str, prob) -> None:
        if self.graph.has_node(child) and self.graph.in_degree(child) > 0:
            raise GameTreeError(f"node {child!r} has two parents ({parent!r} and "
                                f"{next(iter(self.graph.predecessors(child)))!r}); a tree "
                                "node has one")
        self.graph.add_edge(parent, child, action=action, prob=prob)

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

    def _child(self, node: str, action: str) -> str:
        for child in self.graph.successors(node):
            if self.graph.edges[node, child]["action"] == action:
                return child
        raise GameTreeError(f"node {node!r} has no action {action!r}")  # pragma: no cover

    def outcome(self, choices: Mapping[str, str]) -> tuple[Fraction, ...]:
        """Expected payoffs when every information set plays ``choices[infoset]``."""
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
            combos = [dict(zip(keys, c, strict=True))
                      for c in itertools.product(*sets.values())] or [{}]
            if reduced:
                seen: dict[tuple, dict] = {}
                for c in combos:
                    sig = tuple(c[k] if self._reachable_by(i, k, c) else "*" for k in keys)
                    seen.setdefault(sig, c)
                labels = ["/".join(sig) for sig in seen]
                per_player.append((list(seen.values()), labels))
            else:
                labels = [("/".join(c[k] for k in keys) or "-") for c in combos]
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
                ax.plot([x], [y], "o", color="tab:blue" if d["kind"] == "decision" else "0.5")
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


def backward_induction(tree: GameTree) -> BackwardInduction:
    """Every subgame-perfect equilibrium of a finite perfect-information game (ties kept).

    At each decision node every action maximising the mover's payoff is kept,
    so ties produce several equilibria (Zermelo; Kuhn 1953; Selten 1965).
    Chance nodes take expectations. Payoffs are exact rationals.

    Raises
    ------
    GameTreeError
        If the tree has imperfect information (use ``to_normal_form`` and a solver).
    """
    import networkx as nx

    tree.validate()
    if not tree.perfect_information:
        raise GameTreeError("backward induction needs perfect information; this tree has "
                            "information sets with several nodes (reduce it to normal form)")
    g = tree.graph
    # solutions[n]: list of (value, {node: action}) for the subtree at n
    solutions: dict[str, list[tuple[tuple[Fraction, ...], dict[str, str]]]] = {}
    for n in reversed(list(nx.topological_sort(g))):
        d = g.nodes[n]
        if d["kind"] == "terminal":
            solutions[n] = [(d["payoffs"], {})]
        elif d["kind"] == "chance":
            kids = list(g.successors(n))
            combos = []
            for parts in itertools.product(*(solutions[k] for k in kids)):
                total = [Fraction(0)] * len(tree.players)
                plan: dict[str, str] = {}
                for k, (val, sub) in zip(kids, parts, strict=True):
                    p = g.edges[n, k]["prob"]
                    total = [t + p * v for t, v in zip(total, val, strict=True)]
                    plan.update(sub)
                combos.append((tuple(total), plan))
            solutions[n] = combos
        else:
            i = d["player"]
            kids = [(g.edges[n, k]["action"], k) for k in g.successors(n)]
            # the mover's best value, given each combination of subgame solutions
            out = []
            for parts in itertools.product(*(solutions[k] for _, k in kids)):
                best = max(val[i] for val, _ in parts)
                shared: dict[str, str] = {}
                for _, sub in parts:
                    shared.update(sub)
                for (action, _), (val, _) in zip(kids, parts, strict=True):
                    if val[i] == best:
                        out.append((val, {**shared, n: action}))
            solutions[n] = out
    root = solutions[tree.root]
    order = [n for n in nx.dfs_preorder_nodes(g, tree.root) if g.nodes[n]["kind"] == "decision"]
    equilibria, payoffs, paths = [], [], []
    for val, plan in root:
        equilibria.append({n: plan[n] for n in order})
        payoffs.append(tuple(float(v) for v in val))
        path, n = [tree.root], tree.root
        while g.nodes[n]["kind"] != "terminal":
            if g.nodes[n]["kind"] == "decision":
                n = tree._child(n, plan[n])
            else:
                n = next(k for k in g.successors(n) if g.edges[n, k]["prob"] > 0)
            path.append(n)
        paths.append(path)
    return BackwardInduction(equilibria, payoffs, paths)


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
