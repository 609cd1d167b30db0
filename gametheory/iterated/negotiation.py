"""Alternating-offers negotiation: one negotiation, and tournaments of negotiators.

The protocol is the bilateral stacked alternating offers protocol (Rubinstein 1982 as
a procedure; NegMAS's SAOP, the ANAC rules): the first negotiator proposes a deal; from
then on the negotiator to move either accepts the offer on the table or proposes
another. After ``deadline`` offers without acceptance there is no agreement and each
side gets its reservation value. Optionally each rejection ends the talks with
probability ``breakdown`` (Binmore, Rubinstein & Wolinsky 1986) and utilities are
discounted by ``discount`` per offer made before agreement.

Negotiators know only their own utilities (:mod:`gametheory.strategies.negotiators`).
Randomness (stochastic negotiators, breakdown) comes from one ``seed``; the same seed
gives the same negotiation.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._random import as_generator
from .._validate import check_count
from ..errors import ProfileError, ShapeError, StrategyError
from ..games.bargaining import BargainingProblem
from ..strategies.negotiators import ACCEPT, END, NegotiationState, Negotiator, get_negotiator

__all__ = ["NegotiationResult", "NegotiationTournament", "negotiate",
           "negotiation_tournament"]


@dataclass(frozen=True, eq=False)
class NegotiationResult:
    """One negotiation.

    Attributes
    ----------
    agreement : int or None
        Index of the agreed deal, None without agreement.
    label : str or None
    turn : int
        Offers made before the end (the agreed offer included).
    utilities : ndarray, shape (2,)
        What each negotiator got (discounted; the reservation values without agreement).
    offers : list of (negotiator, deal)
        The offers in order (negotiator 0 or 1).
    ended_by : {"agreement", "deadline", "breakdown", "walked away"}
    names : pair of str
    """

    agreement: int | None
    label: str | None
    turn: int
    utilities: np.ndarray
    offers: list[tuple[int, int]]
    ended_by: str
    names: tuple[str, str]
    problem: BargainingProblem = field(repr=False)

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([{"offer": k, "by": self.names[who], "deal": deal,
                              "label": self.problem.labels[deal],
                              f"utility {self.problem.players[0]}":
                                  float(self.problem.utilities[deal, 0]),
                              f"utility {self.problem.players[1]}":
                                  float(self.problem.utilities[deal, 1])}
                             for k, (who, deal) in enumerate(self.offers)])

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html(f"Negotiation: {self.names[0]} vs {self.names[1]}", [
            ("ended by", self.ended_by), ("agreement", self.label or "none"),
            ("offers", self.turn), ("utilities", self.utilities)])


def _check_problem(problem: BargainingProblem) -> None:
    if not isinstance(problem, BargainingProblem):
        raise ShapeError(f"negotiate needs a BargainingProblem, got {type(problem).__name__}")
    if problem.convex:
        raise ShapeError("negotiators propose deals: give a problem over deals "
                         "(convex=False; a continuous space: bargaining_problem(..., steps=))")


def negotiate(first: Negotiator | str, second: Negotiator | str, problem: BargainingProblem,
              *, deadline: int = 20, discount: float = 1.0, breakdown: float = 0.0,
              seed: Any = None) -> NegotiationResult:
    """Run one negotiation over the deals of ``problem`` (``first`` is the problem's
    first party and opens).

    Examples
    --------
    Two linear concession strategies over a pie cut in 100ths meet near the middle (the
    second accepts the first's fifth offer):

    >>> import numpy as np
    >>> from gametheory.games import BargainingProblem
    >>> x = np.linspace(0, 1, 101)
    >>> pie = BargainingProblem(np.stack([x, 1 - x], axis=1), [0, 0])
    >>> r = negotiate("Linear", "Linear", pie)
    >>> r.utilities.round(2).tolist(), r.ended_by
    ([0.48, 0.52], 'agreement')
    """
    _check_problem(problem)
    deadline = check_count("deadline", deadline, minimum=1, maximum=1_000_000)
    disc = float(discount)
    p_break = float(breakdown)
    if not 0.0 < disc <= 1.0:
        raise ProfileError(f"discount must be in (0, 1], got {discount!r}")
    if not 0.0 <= p_break <= 1.0:
        raise ProfileError(f"breakdown must be a probability, got {breakdown!r}")
    # a negotiator passed as an instance is cloned: its state stays out of the caller's
    agents = [x.clone() if isinstance(x, Negotiator) else get_negotiator(x)
              for x in (first, second)]
    names = (agents[0].name, agents[1].name)
    rng = as_generator(seed)
    U = problem.utilities
    d = problem.disagreement
    states = [NegotiationState(U[:, i].copy(), d[i], deadline) for i in (0, 1)]
    for s in states:
        s.utilities.setflags(write=False)
    for agent, s in zip(agents, states, strict=True):
        try:
            agent.reset(s)
        except StrategyError:
            raise
        except Exception as exc:        # a user's negotiator: name it
            raise StrategyError(f"{agent.name} failed in setup: {exc!r}") from exc
    offers: list[tuple[int, int]] = []
    on_table: int | None = None
    n = problem.n_deals
    ended_by = "deadline"
    agreement = None
    turn = 0
    while turn < deadline:
        who = turn % 2
        s = states[who]
        s.turn = turn
        s.offer = on_table
        s._u = float(rng.random())
        try:
            move = agents[who].decide(s)
        except Exception as exc:
            raise StrategyError(f"{agents[who].name} raised {exc!r} at offer {turn}") from exc
        if isinstance(move, bool) or not isinstance(move, int | np.integer):
            raise StrategyError(f"{agents[who].name} returned {move!r} at offer {turn}; "
                                "decide() returns ACCEPT or a deal index")
        move = int(move)
        if move == END:
            ended_by = "walked away"
            break
        if move == ACCEPT:
            if on_table is None:
                raise StrategyError(f"{agents[who].name} accepted at the opening, with no "
                                    "offer on the table")
            agreement = on_table
            ended_by = "agreement"
            break
        if not 0 <= move < n:
            raise StrategyError(f"{agents[who].name} proposed deal {move}; the problem has "
                                f"{n} deals (0..{n - 1})")
        if on_table is not None and p_break > 0 and rng.random() < p_break:
            ended_by = "breakdown"
            break
        offers.append((who, move))
        states[who].own_offers.append(move)
        states[1 - who].opponent_offers.append(move)
        on_table = move
        turn += 1
    if agreement is None:
        util = d.copy()
    else:
        util = U[agreement] * disc ** max(0, len(offers) - 1)
    return NegotiationResult(agreement, None if agreement is None else problem.labels[agreement],
                             len(offers), np.asarray(util, dtype=float), offers, ended_by,
                             names, problem)


@dataclass(eq=False)
class NegotiationTournament:
    """A round robin of negotiators (:func:`negotiation_tournament`).

    ``results`` has one row per negotiation (problem, opener, responder, repetition,
    agreement, offers, each side's utility and gain over its reservation value,
    whether the agreement is Pareto optimal, its distance to the Nash solution).
    ``summary()`` ranks the negotiators by mean gain with a 95 % interval over the
    negotiations they took part in.
    """

    results: Any
    negotiators: list[str]
    elapsed_s: float = 0.0

    def summary(self):
        import pandas as pd

        rows = []
        for name in self.negotiators:
            gains = []
            agreed = []
            for side in ("first", "second"):
                part = self.results[self.results[side] == name]
                gains.append(part[f"gain {side}"].to_numpy(float))
                agreed.append(part["agreement"].notna().to_numpy())
            g = np.concatenate(gains)
            a = np.concatenate(agreed)
            se = g.std(ddof=1) / np.sqrt(len(g)) if len(g) > 1 else 0.0
            rows.append({"negotiator": name, "negotiations": len(g),
                         "mean gain": g.mean(), "low": g.mean() - 1.96 * se,
                         "high": g.mean() + 1.96 * se, "agreement rate": a.mean()})
        out = pd.DataFrame(rows).sort_values("mean gain", ascending=False)
        return out.reset_index(drop=True)

    def _repr_html_(self) -> str:
        from .._format import table_html

        s = self.summary()
        rows = [[r["negotiator"], r["negotiations"],
                 f"{r['mean gain']:.4g} [{r['low']:.4g}, {r['high']:.4g}]",
                 f"{r['agreement rate']:.0%}"] for r in s.to_dict("records")]
        return table_html(["negotiator", "negotiations", "mean gain [95 %]",
                           "agreement rate"], rows,
                          caption=f"Negotiation tournament ({len(self.results)} "
                                  f"negotiations, {self.elapsed_s:.2f} s)")


def negotiation_tournament(negotiators: Sequence[Negotiator | str],
                           problems: BargainingProblem | Sequence[BargainingProblem], *,
                           deadline: int = 20, repetitions: int = 1, discount: float = 1.0,
                           breakdown: float = 0.0, self_play: bool = True,
                           seed: Any = None) -> NegotiationTournament:
    """Every ordered pair of negotiators (each opens once against each other) on every
    problem, ``repetitions`` times (for stochastic negotiators or breakdown). Each
    negotiation draws from its own child of ``seed`` (same seed, same tournament).

    Examples
    --------
    >>> import numpy as np
    >>> from gametheory.games import BargainingProblem
    >>> x = np.linspace(0, 1, 101)
    >>> pie = BargainingProblem(np.stack([x, 1 - x], axis=1), [0, 0])
    >>> t = negotiation_tournament(["Boulware", "Conceder", "Hardliner"], pie)
    >>> t.summary()["negotiator"].tolist()
    ['Boulware', 'Hardliner', 'Conceder']
    """
    from ..solvers.bargaining import bargaining_solutions, pareto_frontier

    started = time.perf_counter()
    probs = [problems] if isinstance(problems, BargainingProblem) else list(problems)
    if not probs:
        raise ShapeError("negotiation_tournament needs at least one problem")
    for p in probs:
        _check_problem(p)
    agents = [n if isinstance(n, Negotiator) else get_negotiator(n) for n in negotiators]
    if len(agents) < 2 and not self_play:
        raise ShapeError("a tournament needs two negotiators (or self_play=True)")
    names = [a.name for a in agents]
    if len(set(names)) != len(names):
        raise ShapeError(f"negotiator names must be distinct, got {names}")
    repetitions = check_count("repetitions", repetitions, maximum=100_000)
    pairs = [(i, j) for i in range(len(agents)) for j in range(len(agents))
             if i != j or self_play]
    total = len(probs) * len(pairs) * repetitions
    check_count("negotiations", total, maximum=10_000_000)
    children = np.random.SeedSequence(None if seed is None else
                                      as_generator(seed).integers(2**63)).spawn(total)
    rows = []
    k = 0
    for pi, prob in enumerate(probs):
        d = prob.disagreement
        front = np.zeros(prob.n_deals, dtype=bool)
        front[pareto_frontier(prob)] = True
        try:
            nash = bargaining_solutions(prob).point("Nash")
        except Exception:       # no individually rational deal: no Nash point
            nash = None
        for i, j in pairs:
            for rep in range(repetitions):
                r = negotiate(agents[i], agents[j], prob, deadline=deadline,
                              discount=discount, breakdown=breakdown,
                              seed=np.random.default_rng(children[k]))
                k += 1
                rows.append({
                    "problem": prob.title or f"problem {pi}", "first": names[i],
                    "second": names[j], "repetition": rep, "agreement": r.label,
                    "offers": r.turn, "ended by": r.ended_by,
                    "utility first": r.utilities[0], "utility second": r.utilities[1],
                    "gain first": r.utilities[0] - d[0],
                    "gain second": r.utilities[1] - d[1],
                    "pareto optimal": bool(r.agreement is not None and front[r.agreement]),
                    "distance to Nash": (float(np.linalg.norm(r.utilities - nash))
                                         if nash is not None else np.nan)})
    import pandas as pd

    return NegotiationTournament(pd.DataFrame(rows), names, time.perf_counter() - started)

