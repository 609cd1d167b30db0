"""The sequence form of a two-player game tree with perfect recall.

Koller, Megiddo and von Stengel (1996, *Games and Economic Behavior* 14) replace a
player's pure strategies (exponentially many) by **sequences**: the empty sequence
and, for each own information set ``h`` and action ``a`` there, the sequence of own
moves that leads to ``h`` followed by ``a``. With perfect recall that sequence is
one and the same for every node of ``h``, so a sequence is named by its last move
``(h, a)``. A mixed strategy becomes a **realisation plan** ``x`` (the probability
that the player's own moves follow each sequence, as far as it is up to them),
characterised by linear constraints ``E x = e, x >= 0``: ``x[empty] = 1`` and, at
every information set, the sequences that extend it sum to the sequence leading to
it. Expected payoffs are bilinear, ``x^T A y`` and ``x^T B y``, with
``A[s, t]`` the sum over the leaves that sequences ``s`` and ``t`` lead to of the
chance probability times player 1's payoff. The sizes are linear in the tree.

:class:`SequenceForm` holds these matrices (sparse) and converts between
behaviour strategies and realisation plans; its best-response values are computed
by backward induction over the information sets, which is how the solvers
(:func:`~gametheory.solvers.sequence_lemke`, :func:`~gametheory.solvers.sequence_lp`)
verify what they return.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import GameTreeError, ProfileError

__all__ = ["SequenceForm", "sequence_form"]

EMPTY = "∅"


@dataclass(frozen=True, eq=False)
class SequenceForm:
    """The sequence form of a two-player tree (see the module docstring).

    Attributes
    ----------
    players : tuple of str
    infosets : tuple of two tuples of str
        Each player's information sets, in the order the tree reaches them first.
    actions : tuple of two tuples of tuples of str
        The actions at each information set.
    sequences : tuple of two tuples of str
        Each player's sequences: ``"∅"`` then ``"<infoset>:<action>"``.
    parent : tuple of two int arrays
        For each information set, the index of the sequence leading to it.
    first : tuple of two int arrays
        For each information set, the index of the sequence of its first action (the
        actions' sequences are consecutive).
    A, B : scipy.sparse.csr_matrix
        Payoff matrices over sequence pairs (rows: player 1's sequences).
    reach : scipy.sparse.csr_matrix
        Chance probability of the leaves each pair of sequences leads to
        (``x^T reach y = 1`` for any pair of realisation plans).

    Examples
    --------
    >>> from gametheory.games import GameTree
    >>> t = GameTree(players=("1", "2"))
    >>> t.decision("r", player="1", actions={"L": "a", "R": "b"})
    >>> t.decision("a", player="2", actions={"l": "al", "r": "ar"}, infoset="H")
    >>> t.decision("b", player="2", actions={"l": "bl", "r": "br"}, infoset="H")
    >>> for n, u in {"al": (1, -1), "ar": (-1, 1), "bl": (-1, 1), "br": (1, -1)}.items():
    ...     t.terminal(n, u)
    >>> sf = sequence_form(t)
    >>> sf.sequences
    (('∅', 'r:L', 'r:R'), ('∅', 'H:l', 'H:r'))
    >>> sf.A.toarray().tolist()
    [[0.0, 0.0, 0.0], [0.0, 1.0, -1.0], [0.0, -1.0, 1.0]]
    """

    players: tuple[str, str]
    infosets: tuple[tuple[str, ...], tuple[str, ...]]
    actions: tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]
    sequences: tuple[tuple[str, ...], tuple[str, ...]]
    parent: tuple[np.ndarray, np.ndarray]
    first: tuple[np.ndarray, np.ndarray]
    A: Any = field(repr=False)
    B: Any = field(repr=False)
    reach: Any = field(repr=False)

    # ------------------------------------------------------------ sizes
    @property
    def n_sequences(self) -> tuple[int, int]:
        return (len(self.sequences[0]), len(self.sequences[1]))

    def constraints(self, player: int):
        """``(E, e)``: the realisation-plan constraints ``E x = e`` of a player
        (row 0: the empty sequence; row ``1 + h``: information set ``h``), sparse."""
        from scipy import sparse

        n = len(self.sequences[player])
        rows, cols, vals = [0], [0], [1.0]
        for h, (par, fst) in enumerate(zip(self.parent[player], self.first[player],
                                           strict=True)):
            k = len(self.actions[player][h])
            rows += [1 + h] * (k + 1)
            cols += [int(par), *range(int(fst), int(fst) + k)]
            vals += [-1.0] + [1.0] * k
        m = 1 + len(self.infosets[player])
        E = sparse.csr_matrix((vals, (rows, cols)), shape=(m, n))
        e = np.zeros(m)
        e[0] = 1.0
        return E, e

    # ------------------------------------------------------------ conversions
    def plan(self, player: int, behaviour) -> np.ndarray:
        """The realisation plan of a behaviour strategy (one probability vector per
        information set, in :attr:`infosets` order; or a dict infoset -> {action: p})."""
        probs = self._behaviour_arrays(player, behaviour)
        x = np.zeros(len(self.sequences[player]))
        x[0] = 1.0
        for h, (par, fst) in enumerate(zip(self.parent[player], self.first[player],
                                           strict=True)):
            x[fst:fst + len(probs[h])] = x[par] * probs[h]
        return x

    def behaviour(self, player: int, plan: np.ndarray, *, tol: float = 1e-12
                  ) -> list[np.ndarray]:
        """The behaviour strategy of a realisation plan: at each information set the
        plan's sequences divided by the one leading there; uniform where the player's
        own earlier moves never lead (any behaviour there gives the same plan)."""
        x = np.asarray(plan, dtype=float)
        out = []
        for h, (par, fst) in enumerate(zip(self.parent[player], self.first[player],
                                           strict=True)):
            k = len(self.actions[player][h])
            seg = np.clip(x[fst:fst + k], 0.0, None)
            total = seg.sum()
            out.append(seg / total if x[par] > tol and total > 0 else np.full(k, 1.0 / k))
        return out

    def behaviour_dict(self, player: int, behaviour) -> dict[str, dict[str, float]]:
        """A behaviour strategy as ``{infoset: {action: probability}}``."""
        probs = self._behaviour_arrays(player, behaviour)
        return {h: {a: float(p) for a, p in zip(acts, pr, strict=True)}
                for h, acts, pr in zip(self.infosets[player], self.actions[player], probs,
                                       strict=True)}

    def _behaviour_arrays(self, player: int, behaviour) -> list[np.ndarray]:
        sets, acts = self.infosets[player], self.actions[player]
        if isinstance(behaviour, dict):
            missing = [h for h in sets if h not in behaviour]
            if missing:
                raise ProfileError(f"{self.players[player]}: no behaviour at information "
                                   f"set {missing[0]!r}")
            rows = []
            for h, a in zip(sets, acts, strict=True):
                b = behaviour[h]
                rows.append([b.get(x, 0.0) for x in a] if isinstance(b, dict) else b)
            behaviour = rows
        if len(behaviour) != len(sets):
            raise ProfileError(f"{self.players[player]}: {len(behaviour)} behaviour vectors "
                               f"for {len(sets)} information sets")
        out = []
        for h, (b, a) in enumerate(zip(behaviour, acts, strict=True)):
            p = np.asarray(b, dtype=float)
            if p.shape != (len(a),) or not np.all(np.isfinite(p)) or (p < -1e-9).any() \
                    or abs(p.sum() - 1.0) > 1e-6:
                raise ProfileError(f"{self.players[player]}: behaviour at information set "
                                   f"{sets[h]!r} must be {len(a)} probabilities summing to "
                                   f"1, got {np.asarray(b).tolist()!r}")
            out.append(p)
        return out

    # ------------------------------------------------------------ payoffs
    def payoffs(self, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        """Expected payoffs of a pair of realisation plans."""
        return float(x @ (self.A @ y)), float(x @ (self.B @ y))

    def best_response_value(self, player: int, contributions: np.ndarray
                            ) -> tuple[float, np.ndarray]:
        """The best a player can get, and a pure best-response realisation plan, when
        each of its sequences ``s`` earns ``contributions[s]`` (``A @ y`` for player 1,
        ``B.T @ x`` for player 2): backward induction over its information sets."""
        c = np.asarray(contributions, dtype=float)
        parent, first = self.parent[player], self.first[player]
        value = c.copy()                       # value of a sequence incl. what follows it
        best = np.zeros(len(parent), dtype=np.int64)
        for h in range(len(parent) - 1, -1, -1):   # children come after their parents
            k = len(self.actions[player][h])
            seg = value[first[h]:first[h] + k]
            best[h] = int(np.argmax(seg))
            value[parent[h]] += seg[best[h]]
        x = np.zeros(len(c))
        x[0] = 1.0
        for h in range(len(parent)):
            if x[parent[h]] > 0:
                x[first[h] + best[h]] = 1.0
        return float(value[0]), x

    def gains(self, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        """What each player could gain by deviating to a best response (>= 0; zero at
        a Nash equilibrium)."""
        u1, u2 = self.payoffs(x, y)
        v1, _ = self.best_response_value(0, self.A @ y)
        v2, _ = self.best_response_value(1, self.B.T @ x)
        return v1 - u1, v2 - u2

    def __repr__(self) -> str:
        n1, n2 = self.n_sequences
        return (f"SequenceForm({self.players[0]}: {n1} sequences, {len(self.infosets[0])} "
                f"information sets; {self.players[1]}: {n2} sequences, "
                f"{len(self.infosets[1])} information sets; {self.A.nnz} payoff entries)")

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<tr><td>{html.escape(p)}</td><td>{len(s)}</td><td>{len(h)}</td></tr>"
            for p, s, h in zip(self.players, self.sequences, self.infosets, strict=True))
        return ("<table><caption>Sequence form</caption><tr><th>player</th>"
                "<th>sequences</th><th>information sets</th></tr>" + rows
                + f"</table><p>{self.A.nnz} nonzero payoff entries</p>")


def sequence_form(tree) -> SequenceForm:
    """The sequence form of a two-player :class:`~gametheory.games.GameTree`.

    Chance nodes are allowed (their probabilities weight the payoff entries).

    Raises
    ------
    GameTreeError
        If the tree is invalid, does not have exactly two players, or a player does not
        have perfect recall (the nodes of an information set are reached by different
        sequences of the player's own moves, or one lies below another).
    """
    from scipy import sparse

    tree.validate()
    if len(tree.players) != 2:
        raise GameTreeError(f"the sequence form here is for two players; the tree has "
                            f"{len(tree.players)}")
    g = tree.graph
    sets: list[dict[str, int]] = [{}, {}]
    acts: list[list[tuple[str, ...]]] = [[], []]
    parent: list[list[int]] = [[], []]
    first: list[list[int]] = [[], []]
    where: list[list[str]] = [[], []]
    labels: list[list[str]] = [[EMPTY], [EMPTY]]
    entries: dict[tuple[int, int], list[float]] = {}
    stack = [(tree.root, 0, 0, 1.0)]
    while stack:
        n, s1, s2, prob = stack.pop()
        d = g.nodes[n]
        kind = d["kind"]
        if kind == "terminal":
            if prob > 0:
                u = d["payoffs"]
                acc = entries.setdefault((s1, s2), [0.0, 0.0, 0.0])
                acc[0] += prob * float(u[0])
                acc[1] += prob * float(u[1])
                acc[2] += prob
            continue
        kids = tree.children(n)
        if kind == "chance":
            for child in reversed(kids):
                stack.append((child, s1, s2, prob * float(g.edges[n, child]["prob"])))
            continue
        p, h = d["player"], d["infoset"]
        own = s1 if p == 0 else s2
        if h not in sets[p]:
            sets[p][h] = len(parent[p])
            parent[p].append(own)
            first[p].append(len(labels[p]))
            acts[p].append(d["actions"])
            where[p].append(n)
            labels[p] += [f"{h}:{a}" for a in d["actions"]]
        j = sets[p][h]
        if parent[p][j] != own:
            raise GameTreeError(
                f"player {tree.players[p]!r} does not have perfect recall: nodes "
                f"{where[p][j]!r} and {n!r} of information set {h!r} are reached by "
                f"different sequences of the player's own moves ({labels[p][parent[p][j]]!r}"
                f" and {labels[p][own]!r}); the sequence form needs perfect recall")
        for k in range(len(kids) - 1, -1, -1):
            seq = first[p][j] + k
            stack.append((kids[k], seq if p == 0 else s1, seq if p == 1 else s2, prob))
    n1, n2 = len(labels[0]), len(labels[1])
    keys = list(entries)
    rows = np.array([k[0] for k in keys], dtype=np.int64)
    cols = np.array([k[1] for k in keys], dtype=np.int64)
    vals = np.array([entries[k] for k in keys], dtype=float).reshape(-1, 3)

    def mat(col: int):
        return sparse.csr_matrix((vals[:, col], (rows, cols)), shape=(n1, n2))

    # the DFS visits an information set's parent sequence before the set itself, so
    # backward induction in reverse order of ``first`` sees children before parents
    return SequenceForm(
        players=(tree.players[0], tree.players[1]),
        infosets=(tuple(sets[0]), tuple(sets[1])),
        actions=(tuple(acts[0]), tuple(acts[1])),
        sequences=(tuple(labels[0]), tuple(labels[1])),
        parent=(np.array(parent[0], dtype=np.int64), np.array(parent[1], dtype=np.int64)),
        first=(np.array(first[0], dtype=np.int64), np.array(first[1], dtype=np.int64)),
        A=mat(0), B=mat(1), reach=mat(2))
