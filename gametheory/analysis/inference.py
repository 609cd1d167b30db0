"""Which strategy did each side play? Likelihoods, tremble fits and finite mixtures.

The choice model is that of Dal Bó & Fréchette (2011, *AER* 101:411-429):
a side following strategy *s* makes the move *s* prescribes, given the actual
history, with probability β and otherwise one of the other K - 1 levels
at random. For a stochastic strategy that puts probability ``p`` on the move
made, the probability is ``β p + (1 - β)(1 - p)/(K - 1)``. With two actions
β is their β = 1/(1 + exp(-1/γ)).

* :func:`strategy_likelihoods` fits β by maximum likelihood for each candidate
  on one sequence (closed form for deterministic strategies) with a
  profile-likelihood interval.
* :func:`estimate_mixture` is the strategy frequency estimation method for
  many sequences: a finite mixture over candidate strategies with a common β,
  fitted by EM, with bootstrap standard errors.
* :func:`simulate_play` generates sequences from a known mixture with the
  iterated-play engine, to check that a mixture is recovered.
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .._random import as_generator
from ..errors import ProfileError, SequenceTooShortError, ShapeError
from ..games.normal_form import Game
from ..strategies.base import History, PlayerView, Strategy, as_strategy

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["MixtureResult", "SimulatedPlay", "StrategyFit", "dispute_candidates",
           "estimate_mixture", "fit_sides", "move_probabilities", "next_move_probabilities",
           "simulate_play",
           "strategy_likelihoods"]

#: Points at which a stochastic strategy's decision is evaluated to get its move probabilities.
_U_GRID = (np.arange(120) + 0.5) / 120
_CHI2_95 = 3.841458820694124


def _view(game: Game, player: int, magnitudes) -> PlayerView:
    from ..games.views import make_views

    return make_views(game, magnitudes)[player]


def _prepared(strategy, own, observed, game, player, magnitudes):
    """The strategy cloned and reset for ``player``'s view, the checked move lists."""
    strat = as_strategy(strategy).clone()
    view = _view(game, player, magnitudes)
    own, observed = list(map(int, own)), list(map(int, observed))
    if len(observed) != len(own):
        raise ShapeError(f"own ({len(own)}) and observed ({len(observed)}) moves differ "
                         "in length")
    for name, seq, n in (("own", own, view.n_actions), ("observed", observed,
                                                         len(view.other_actions))):
        bad = [a for a in seq if not 0 <= a < n]
        if bad:
            raise ShapeError(f"{name} moves contain {bad[0]}, not an action index below {n}")
    strat.reset(view)
    return strat, view, own, observed


def _decision_counts(strat: Strategy, hist: History, k: int) -> np.ndarray:
    """How often the strategy's decision on ``hist`` is each action over the 120 draws of
    ``_U_GRID`` (one decision for a deterministic strategy, counted 120 times); the
    strategy itself is left as after a decision at the draw 0.5."""
    counts = np.zeros(k)
    if strat.classifier.get("stochastic", False):
        # each draw decides on a fresh copy of the strategy's state: one pickle, many
        # loads (C code, about 5x cheaper than a deep copy per draw); deep copies for a
        # strategy that does not pickle (a user class holding a lambda, say)
        try:
            state = pickle.dumps(strat, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            state = None
        for u in _U_GRID:
            trial = copy.deepcopy(strat) if state is None else pickle.loads(state)
            hist._u = float(u)
            counts[int(trial.decide(hist))] += 1
        hist._u = 0.5
        strat.decide(hist)
    else:
        counts[int(strat.decide(hist))] = len(_U_GRID)
    return counts


def move_probabilities(strategy: Strategy | str, own: Sequence[int], observed: Sequence[int],
                       game: Game, *, player: int = 0, magnitudes=None) -> np.ndarray:
    """Probability that ``strategy`` makes each of ``own``'s moves, given the actual history.

    At turn *t* the strategy has seen its own moves ``own[:t]`` and the other
    side's moves as it perceived them, ``observed[:t]``. Deterministic
    strategies give 0 or 1; stochastic ones are evaluated at 120 evenly spaced
    random draws (exact for uniform choices among up to 6 actions and for
    probabilities on that grid, within 1/120 otherwise).

    Returns
    -------
    ndarray, shape (T,)
    """
    strat, view, own, observed = _prepared(strategy, own, observed, game, player,
                                           magnitudes)
    hist = History(view)
    out = np.empty(len(own))
    for t, move in enumerate(own):
        hist.own, hist.opponent, hist.intended = own[:t], observed[:t], own[:t]
        out[t] = _decision_counts(strat, hist, view.n_actions)[move] / len(_U_GRID)
    return out


def next_move_probabilities(strategy: Strategy | str, own: Sequence[int],
                            observed: Sequence[int], game: Game, *, player: int = 0,
                            magnitudes=None) -> np.ndarray:
    """Probability of each of ``player``'s actions as the strategy's next move, after it
    has made the moves ``own`` and perceived the other side's ``observed`` (as many).

    The history is replayed once (as in :func:`move_probabilities`); a stochastic
    strategy's next decision is evaluated at the same 120 draws.

    Returns
    -------
    ndarray, shape (K,)
        Sums to one.

    Examples
    --------
    >>> from gametheory.games import prisoners_dilemma
    >>> next_move_probabilities("Tit for tat", [0, 0], [0, 1], prisoners_dilemma()).tolist()
    [0.0, 1.0]
    >>> next_move_probabilities("Random", [], [], prisoners_dilemma()).tolist()
    [0.5, 0.5]
    """
    strat, view, own, observed = _prepared(strategy, own, observed, game, player,
                                           magnitudes)
    hist = History(view)
    for t in range(len(own)):
        hist.own, hist.opponent, hist.intended = own[:t], observed[:t], own[:t]
        hist._u = 0.5
        strat.decide(hist)
    hist.own, hist.opponent, hist.intended = own, observed, own
    return _decision_counts(strat, hist, view.n_actions) / len(_U_GRID)


def _loglik(beta, p: np.ndarray, k: int, axis=-1):
    """Σ_t log(β p_t + (1-β)(1-p_t)/(K-1)) (p padded with NaN is skipped)."""
    q = beta * p + (1.0 - beta) * (1.0 - p) / max(k - 1, 1)
    with np.errstate(divide="ignore"):
        return np.nansum(np.log(q), axis=axis)


def _fit_beta(p: np.ndarray, k: int, weights=None) -> float:
    """Maximum-likelihood β in [1/K, 1] (closed form when every p is 0 or 1)."""
    from scipy.optimize import minimize_scalar

    w = np.ones(p.shape[:-1]) if weights is None else np.asarray(weights)
    valid = ~np.isnan(p)
    if np.all((p[valid] == 0) | (p[valid] == 1)):
        n = np.nansum(p, axis=-1)
        N = valid.sum(axis=-1)
        beta = float((w * n).sum() / max((w * N).sum(), 1e-300))
        return float(np.clip(beta, 1.0 / k, 1.0))
    res = minimize_scalar(lambda b: -(w * _loglik(b, p, k)).sum(), bounds=(1.0 / k, 1.0),
                          method="bounded", options={"xatol": 1e-10})
    return float(res.x)


def _profile_interval(p: np.ndarray, k: int, beta: float, level: float) -> tuple[float, float]:
    from scipy.optimize import brentq
    from scipy.stats import chi2

    cut = chi2.ppf(level, 1) / 2
    top = _loglik(beta, p, k)

    def drop(b):
        return top - _loglik(b, p, k) - cut

    lo_end, hi_end = 1.0 / k, 1.0 - 1e-12
    lo = lo_end if beta <= lo_end or drop(lo_end) <= 0 else brentq(drop, lo_end, beta)
    hi = 1.0 if beta >= hi_end or drop(hi_end) <= 0 else brentq(drop, beta, hi_end)
    return float(lo), float(hi)


@dataclass
class StrategyFit:
    """Likelihood of one side's moves under each candidate strategy.

    ``table`` has one row per candidate: ``strategy``, ``matches`` (moves the
    strategy prescribes exactly, for deterministic ones), ``moves``, ``beta``
    (ML probability of following the strategy), ``beta_low``/``beta_high``
    (profile-likelihood interval), ``loglik`` at ``beta``, ``aic``
    (2 - 2 loglik; Random has no parameter), ``delta_aic`` (to the best),
    ``weight`` (Akaike weight: the relative likelihood of the candidates given
    the data) and ``standing``: ``"best"`` (the lowest AIC, shared by every
    exact tie), ``"not distinguishable"`` (within ``margin`` of the best: ΔAIC ≤ 2
    has substantial support, Burnham & Anderson 2002, sec. 2.6) or ``"worse"``.
    Rows are in AIC order; tied rows keep the order of the candidates, and a
    tie is reported as a tie, never broken.
    """

    side: str
    table: Any
    level: float = 0.95
    margin: float = 2.0
    min_moves: int = 20

    @property
    def tied(self) -> tuple[str, ...]:
        """Every candidate with the lowest AIC (more than one: an exact tie)."""
        return tuple(self.table.strategy[self.table.standing == "best"])

    @property
    def plausible(self) -> tuple[str, ...]:
        """The best candidates and those not distinguishable from them (ΔAIC ≤ margin)."""
        return tuple(self.table.strategy[self.table.standing != "worse"])

    @property
    def best(self) -> str:
        """The best-fitting strategy's name, or ``"tie: A, B"`` when several share it."""
        tied = self.tied
        return tied[0] if len(tied) == 1 else "tie: " + ", ".join(tied)

    @property
    def small_sample(self) -> bool:
        """Fewer scored moves than ``min_moves``: read the ranking as weak evidence."""
        return int(self.table.moves.iloc[0]) < self.min_moves

    def verdict(self) -> str:
        """One sentence: the best fit, what cannot be told from it, and the sample size."""
        tied, plausible = self.tied, self.plausible
        head = (f"{self.side}: best explained by {tied[0]}" if len(tied) == 1 else
                f"{self.side}: a tie between {', '.join(tied)}")
        rest = [p for p in plausible if p not in tied]
        if rest:
            head += (f"; not distinguishable (ΔAIC ≤ {self.margin:g}) from "
                     f"{', '.join(rest)}")
        n = int(self.table.moves.iloc[0])
        if self.small_sample:
            head += (f" (only {n} scored moves, fewer than {self.min_moves}: weak evidence)")
        return head + "."

    def to_frame(self) -> pd.DataFrame:
        return self.table.assign(side=self.side)

    def __repr__(self) -> str:
        return f"StrategyFit({self.verdict()})\n{self.table.to_string(index=False)}"

    def _repr_html_(self) -> str:
        import html

        return (f"<p>{html.escape(self.verdict())}</p>"
                + self.table.to_html(index=False, float_format=lambda v: f"{v:.3g}"))


def strategy_likelihoods(own: Sequence[int], observed: Sequence[int],
                         candidates: Sequence[Strategy | str], game: Game, *, player: int = 0,
                         magnitudes=None, side: str | None = None, level: float = 0.95,
                         start: int = 0, margin: float = 2.0, min_moves: int = 20
                         ) -> StrategyFit:
    """Fit β for each candidate strategy to one side's moves by maximum likelihood.

    Parameters
    ----------
    own, observed : sequences of int
        The side's moves and what it saw the other side do (see
        :func:`move_probabilities`).
    candidates : sequence of Strategy or names
    game : Game
        The stage game the levels belong to (its actions are the levels).
    player : int
        Which side of ``game`` made the moves.
    magnitudes : pair of sequences, optional
        Level magnitudes for graded strategies (as in :func:`gametheory.play`).
    level : float
        Coverage of the profile-likelihood interval for β.
    start : int
        First turn to score (earlier turns only build the history).
    margin : float
        Candidates within this ΔAIC of the best are "not distinguishable" from it.
    min_moves : int
        Below this many scored moves the fit says it is weak evidence
        (:attr:`StrategyFit.small_sample`).

    Raises
    ------
    SequenceTooShortError
        With no moves to fit.

    Examples
    --------
    >>> from gametheory.games import prisoners_dilemma
    >>> from gametheory.strategies import Defector, TitForTat
    >>> own, seen = [0, 1, 1, 0, 1, 1], [1, 1, 0, 0, 1, 1]   # tit for tat, one slip (turn 5)
    >>> fit = strategy_likelihoods(own, seen, [TitForTat(), Defector()], prisoners_dilemma())
    >>> fit.best, round(float(fit.table.beta.iloc[0]), 2)
    ('Tit for tat', 0.83)
    """
    if len(own) <= start:
        raise SequenceTooShortError(f"no moves to fit ({len(own)} moves, scoring from turn "
                                    f"{start})")
    if not 0 < level < 1:
        raise ProfileError(f"level must be in (0, 1), got {level}")
    import pandas as pd

    k = game.shape[player]
    rows = []
    for cand in candidates:
        strat = as_strategy(cand)
        p = move_probabilities(strat, own, observed, game, player=player,
                               magnitudes=magnitudes)[start:]
        uniform = bool(strat.classifier.get("stochastic")) and np.allclose(p, 1.0 / k)
        beta = _fit_beta(p, k) if not uniform else 1.0 / k
        ll = float(_loglik(beta, p, k))
        lo, hi = (np.nan, np.nan) if uniform else _profile_interval(p, k, beta, level)
        deterministic = not strat.classifier.get("stochastic", False)
        rows.append({"strategy": strat.name, "matches": int(p.sum()) if deterministic else
                     np.nan, "moves": len(p), "beta": beta, "beta_low": lo, "beta_high": hi,
                     "loglik": ll, "aic": 2 * (0 if uniform else 1) - 2 * ll})
    if margin < 0 or min_moves < 1:
        raise ProfileError(f"need margin >= 0 and min_moves >= 1, got {margin}, {min_moves}")
    table = pd.DataFrame(rows)
    # exact ties must stay ties: AICs equal up to rounding are set equal
    table["aic"] = np.round(table.aic.to_numpy(), 9)
    table["delta_aic"] = table.aic - table.aic.min()
    rel = np.exp(-table.delta_aic / 2)
    table["weight"] = rel / rel.sum()
    table["standing"] = np.where(table.delta_aic == 0, "best", np.where(
        table.delta_aic <= margin, "not distinguishable", "worse"))
    table = table.sort_values("aic", kind="stable").reset_index(drop=True)
    return StrategyFit(side=side or f"player {player}", table=table, level=level,
                       margin=margin, min_moves=min_moves)


def dispute_candidates(calibration) -> list[Strategy]:
    """The candidate strategies of a calibrated dispute, set up on its levels.

    Tit for tat; commensurate retaliation capped at the commensurate level
    (an escalation is answered in kind, not in excess); parity seeking; grim
    trigger that turns hostile once the other side goes beyond the idle level;
    GRIT; "zero all restrictions"; always escalate; random.
    """
    from ..strategies import (
        GRIT,
        AlwaysEscalate,
        Commensurate,
        GrimTrigger,
        ParitySeeking,
        Random,
        TitForTat,
        ZeroAllRestrictions,
    )

    c = calibration.params.classification
    levels = list(calibration.levels)
    cap_level = levels.index(c.commensurate_level)
    caps = [m[cap_level] for m in calibration.magnitudes()]
    return [TitForTat(), Commensurate(cap=float(max(caps))), ParitySeeking(),
            GrimTrigger(threshold=levels.index(c.idle_level)), GRIT(), ZeroAllRestrictions(),
            AlwaysEscalate(), Random()]


def fit_sides(calibration, candidates: Sequence[Strategy | str] | None = None, *,
              level: float = 0.95, margin: float = 2.0, min_moves: int = 20
              ) -> dict[str, StrategyFit]:
    """Likelihood of each side's observed decisions under each candidate strategy.

    Uses the decisions and observations of :meth:`Calibration.sequences` on
    the calibrated stage game and level magnitudes; ``candidates`` defaults
    to :func:`dispute_candidates`. ``margin`` and ``min_moves`` as in
    :func:`strategy_likelihoods`.

    Examples
    --------
    >>> from gametheory.analysis import calibrate
    >>> fits = fit_sides(calibrate())
    >>> sorted(fits), len(fits["USA"].table)
    (['RUS', 'USA'], 8)
    """
    cands = list(candidates) if candidates is not None else dispute_candidates(calibration)
    game = calibration.stage_game()
    mags = calibration.magnitudes()
    out = {}
    for i, (side, moves) in enumerate(calibration.sequences().items()):
        out[side] = strategy_likelihoods(moves.own, moves.observed, cands, game, player=i,
                                         magnitudes=mags, side=side, level=level,
                                         start=moves.start, margin=margin,
                                         min_moves=min_moves)
    return out


# ============================================================================ mixtures
@dataclass
class MixtureResult:
    """A finite mixture of strategies fitted to many sequences (strategy frequency estimation).

    Attributes
    ----------
    strategies : list of str
    frequencies : ndarray
        Estimated share φ of each strategy.
    beta : float
        Common probability of following one's strategy; ``gamma`` the same as
        Dal Bó & Fréchette's γ (β = 1/(1 + exp(-1/γ))).
    loglik : float
    posterior : ndarray, shape (sequences, strategies)
        Probability that each sequence was played by each strategy.
    frequencies_se, beta_se : ndarray, float
        Bootstrap standard errors (NaN without bootstrap).
    n_iter : int
    converged : bool
    """

    strategies: list[str]
    frequencies: np.ndarray
    beta: float
    loglik: float
    posterior: np.ndarray
    n_iter: int
    converged: bool
    frequencies_se: np.ndarray = field(default_factory=lambda: np.array([]))
    beta_se: float = float("nan")
    n_sequences: int = 0

    @property
    def gamma(self) -> float:
        if self.beta >= 1:
            return 0.0
        if self.beta <= 0.5:
            return float("inf")
        return float(-1.0 / np.log(1.0 / self.beta - 1.0))

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        se = self.frequencies_se if len(self.frequencies_se) else np.full(
            len(self.strategies), np.nan)
        return pd.DataFrame({"strategy": self.strategies, "frequency": self.frequencies,
                             "se": se})

    def __repr__(self) -> str:
        parts = ", ".join(f"{s} {f:.3f}" for s, f in zip(self.strategies, self.frequencies,
                                                          strict=True))
        return (f"MixtureResult({parts}; beta {self.beta:.3f}, loglik {self.loglik:.2f}, "
                f"{self.n_sequences} sequences)")

    def _repr_html_(self) -> str:
        return (f"<p>Strategy frequencies from {self.n_sequences} sequences; β = "
                f"{self.beta:.3f} (se {self.beta_se:.3f}), γ = {self.gamma:.3f}, log-likelihood "
                f"{self.loglik:.2f}</p>" + self.to_frame().to_html(index=False,
                                                                  float_format="{:.3f}".format))


def _prob_tensor(sequences, candidates, game, player, magnitudes) -> np.ndarray:
    T = max(len(s[0]) for s in sequences)
    P = np.full((len(sequences), len(candidates), T), np.nan)
    strats = [as_strategy(c) for c in candidates]
    for i, (own, observed) in enumerate(sequences):
        for k, s in enumerate(strats):
            P[i, k, :len(own)] = move_probabilities(s, own, observed, game, player=player,
                                                    magnitudes=magnitudes)
    return P


def _em(P: np.ndarray, k: int, *, beta0: float, tol: float, max_iter: int):
    m = P.shape[1]
    phi = np.full(m, 1.0 / m)
    beta = beta0
    prev = -np.inf
    for it in range(1, max_iter + 1):
        ll_ik = _loglik(beta, P, k)                        # (n, m)
        a = np.log(np.maximum(phi, 1e-300)) + ll_ik
        top = a.max(axis=1, keepdims=True)
        lik = top[:, 0] + np.log(np.exp(a - top).sum(axis=1))
        total = float(lik.sum())
        r = np.exp(a - lik[:, None])
        if total - prev < tol * max(1.0, abs(total)) and it > 1:
            return phi, beta, total, r, it, True
        prev = total
        phi = r.mean(axis=0)
        beta = _fit_beta(P, k, weights=r)
    return phi, beta, total, r, max_iter, False


def estimate_mixture(sequences: Sequence[tuple[Sequence[int], Sequence[int]]],
                     candidates: Sequence[Strategy | str], game: Game, *, player: int = 0,
                     magnitudes=None, beta0: float = 0.8, tol: float = 1e-10,
                     max_iter: int = 2000, bootstrap: int = 0, seed=None) -> MixtureResult:
    """Strategy frequency estimation (Dal Bó & Fréchette 2011): a finite mixture by EM.

    Maximises ``Σ_i log Σ_k φ_k Π_t Pr(move_it | strategy k, β)`` over the
    frequencies φ and the common β.

    Parameters
    ----------
    sequences : sequence of (own, observed) pairs
        One pair of move lists per subject (or per match), from ``player``'s side.
    candidates : strategies or names
    game : Game
    bootstrap : int
        Resample the sequences this many times for standard errors.
    seed : int or Generator, optional
        For the bootstrap.

    Examples
    --------
    >>> from gametheory.games import prisoners_dilemma
    >>> data = simulate_play({"Tit for tat": 0.6, "Defector": 0.4}, prisoners_dilemma(),
    ...                      n=300, turns=10, noise=0.1, seed=1)
    >>> fit = estimate_mixture(data.sequences, ["Tit for tat", "Defector"], prisoners_dilemma())
    >>> [round(float(f), 1) for f in fit.frequencies], round(fit.beta, 2)
    ([0.6, 0.4], 0.9)
    """
    if not len(sequences):
        raise SequenceTooShortError("no sequences to fit")
    if not candidates:
        raise ProfileError("no candidate strategies")
    if not 0 < beta0 <= 1:
        raise ProfileError(f"beta0 must be in (0, 1], got {beta0}")
    k = game.shape[player]
    P = _prob_tensor(sequences, candidates, game, player, magnitudes)
    phi, beta, ll, post, it, conv = _em(P, k, beta0=beta0, tol=tol, max_iter=max_iter)
    names = [as_strategy(c).name for c in candidates]
    res = MixtureResult(strategies=names, frequencies=phi, beta=beta, loglik=ll,
                        posterior=post, n_iter=it, converged=conv, n_sequences=len(sequences))
    if bootstrap:
        rng = as_generator(seed)
        draws_phi, draws_beta = [], []
        for _ in range(int(bootstrap)):
            idx = rng.integers(0, len(sequences), len(sequences))
            b_phi, b_beta, *_ = _em(P[idx], k, beta0=beta, tol=tol, max_iter=max_iter)
            draws_phi.append(b_phi)
            draws_beta.append(b_beta)
        res.frequencies_se = np.std(draws_phi, axis=0, ddof=1)
        res.beta_se = float(np.std(draws_beta, ddof=1))
    return res


@dataclass
class SimulatedPlay:
    """Sequences generated from a known mixture, with each sequence's true strategy."""

    sequences: list[tuple[list[int], list[int]]]
    strategies: list[str]
    truth: np.ndarray     # index into ``strategies`` for each sequence

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html("Simulated play",
                           [("sequences", len(self.sequences)),
                            ("strategies", list(self.strategies)),
                            ("true strategy of each sequence", self.truth)])


def simulate_play(mixture: dict[str, float] | Sequence[tuple[Strategy | str, float]],
                  game: Game, *, n: int, turns: int, noise: float = 0.0,
                  observation_noise: float = 0.0, magnitudes=None, seed=None
                  ) -> SimulatedPlay:
    """Simulate ``n`` subjects drawn from ``mixture``, each against a partner from it too.

    Returns the row player's moves and observations in each match; the
    engine's move noise is the 1 - β of the choice model.
    """
    from .._random import as_seed_sequence, match_keys
    from ..iterated.engine import run_matches

    items = list(mixture.items()) if isinstance(mixture, dict) else list(mixture)
    strats = [as_strategy(s) for s, _ in items]
    w = np.array([float(x) for _, x in items])
    if np.any(w < 0) or not np.isclose(w.sum(), 1.0):
        raise ProfileError(f"mixture weights must be >= 0 and sum to 1, got {w.tolist()}")
    root = as_seed_sequence(seed)
    rng = as_generator(root.spawn(1)[0])
    who = rng.choice(len(strats), size=n, p=w)
    partner = rng.choice(len(strats), size=n, p=w)
    pairs = [(strats[a].clone(), strats[b].clone()) for a, b in zip(who, partner, strict=True)]
    keys = match_keys(root, np.arange(n, dtype=np.uint64)[:, None])
    arr = run_matches(game, pairs, keys, turns=turns, noise=noise,
                      observation_noise=observation_noise, magnitudes=magnitudes)
    seqs = [(arr.executed[m, :, 0].tolist(), arr.observed[m, :, 0].tolist()) for m in range(n)]
    return SimulatedPlay(sequences=seqs, strategies=[s.name for s in strats], truth=who)
