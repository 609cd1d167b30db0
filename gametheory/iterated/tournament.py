"""Round-robin tournaments."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .._random import as_seed_sequence, match_keys
from ..games.normal_form import Game
from ..strategies.base import Strategy, StrategyError, as_strategy, names
from .engine import run_matches
from .match import check_play_parameters

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["Tournament", "TournamentResult"]


@dataclass(repr=False)
class TournamentResult:
    """Outcome of a tournament.

    Attributes
    ----------
    players : list of str
        Display names, in the order given.
    scores : ndarray, shape (repetitions, n, n)
        ``scores[r, i, j]``: payoff per turn of player i against j in repetition r
        (NaN where the pair did not play). In an asymmetric game, the average of
        i's two roles.
    row_scores, column_scores : ndarray, shape (repetitions, n, n)
        For the match with i as row player and j as column player: the row
        player's and the column player's payoff per turn (NaN if not played).
    wins : ndarray, shape (n,)
        Matches in which i scored more than its opponent.
    cooperation : ndarray, shape (n, n)
        Share of turns on which i played its most cooperative action against j.
    errors : list of (str, str, str)
        Pairs whose match failed: (player, opponent, message). Other results are kept.
    """

    players: list[str]
    scores: np.ndarray
    wins: np.ndarray
    cooperation: np.ndarray
    self_play: bool
    row_scores: np.ndarray
    column_scores: np.ndarray
    errors: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def payoff_matrix(self) -> np.ndarray:
        """Mean payoff per turn of row player i against column player j (NaN for a pair
        that never played or whose matches failed)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN pairs stay NaN
            return np.nanmean(self.scores, axis=0)

    @property
    def mean_scores(self) -> np.ndarray:
        """Mean payoff per turn of each player over its opponents (and itself with
        ``self_play``) and repetitions."""
        s = self.scores.copy()
        if not self.self_play:
            idx = np.arange(len(self.players))
            s[:, idx, idx] = np.nan
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a player all of whose matches failed
            return np.nanmean(s, axis=(0, 2))

    @property
    def ranking(self) -> list[str]:
        """Player names, best mean score first (ties keep the input order)."""
        return self.ranked("mean")

    def ranked(self, by: str = "mean") -> list[str]:
        """Player names ranked by ``"mean"`` score over everything played, or by the
        ``"median"`` over repetitions of the per-repetition mean score, which is how
        Axelrod's library ranks (its ``ranked_names``)."""
        if by == "mean":
            key = self.mean_scores
        elif by == "median":
            s = self.scores.copy()
            if not self.self_play:
                idx = np.arange(len(self.players))
                s[:, idx, idx] = np.nan
            key = np.median(np.nanmean(s, axis=2), axis=0)
        else:
            raise StrategyError(f"rank by 'mean' or 'median', not {by!r}")
        order = np.argsort(-key, kind="stable")
        return [self.players[k] for k in order]

    def __repr__(self) -> str:
        top = ", ".join(self.ranking[:3])
        failed = f", {len(self.errors)} failed pair(s)" if self.errors else ""
        return (f"TournamentResult({len(self.players)} players, {self.scores.shape[0]} "
                f"repetitions; best: {top}{failed})")

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per (repetition, player, opponent)."""
        import pandas as pd

        R, n, _ = self.scores.shape
        r, i, j = np.meshgrid(np.arange(R), np.arange(n), np.arange(n), indexing="ij")
        df = pd.DataFrame({"repetition": r.ravel(), "player": np.array(self.players)[i.ravel()],
                           "opponent": np.array(self.players)[j.ravel()],
                           "payoff_per_turn": self.scores.ravel()})
        return df.dropna(subset=["payoff_per_turn"]).reset_index(drop=True)

    def summary(self) -> pd.DataFrame:
        """Ranking table: mean score, wins and cooperation rate of each player."""
        import pandas as pd

        order = np.argsort(-self.mean_scores, kind="stable")
        coop = np.nanmean(self.cooperation, axis=1)
        return pd.DataFrame({"rank": np.arange(1, len(order) + 1),
                             "player": [self.players[k] for k in order],
                             "mean_payoff": self.mean_scores[order],
                             "wins": self.wins[order], "cooperation": coop[order]})

    def plot(self, ax=None):
        """Box plot of each player's per-repetition mean payoff, best first. Returns the Axes."""
        import matplotlib.pyplot as plt

        from .._format import PALETTE

        if ax is None:
            _, ax = plt.subplots(figsize=(max(6, 0.6 * len(self.players)), 4))
        order = np.argsort(-self.mean_scores, kind="stable")
        per_rep = np.nanmean(self.scores, axis=2)  # (R, n)
        ax.boxplot([per_rep[:, k] for k in order], tick_labels=[self.players[k] for k in order],
                   patch_artist=True, boxprops={"facecolor": PALETTE[5], "edgecolor": "k"},
                   medianprops={"color": PALETTE[1], "linewidth": 1.5},
                   flierprops={"markeredgecolor": "0.3", "markersize": 3})
        ax.set_ylabel("mean payoff per turn")
        ax.tick_params(axis="x", rotation=60)
        ax.set_title("Tournament")
        return ax

    def _repr_html_(self) -> str:
        from .._format import table_html

        df = self.summary()
        return table_html(list(df.columns), df.values.tolist(),
                          caption=f"Tournament of {len(self.players)} strategies, "
                                  f"{self.scores.shape[0]} repetitions"
                                  + (f"; {len(self.errors)} failed pair(s)" if self.errors
                                     else ""))


def _play_chunk(game, pairs, ids, root, kwargs):
    # the root SeedSequence itself (entropy and spawn key) travels to the workers: two
    # tournaments seeded with sibling sequences stay distinct
    keys = match_keys(root, np.array(ids, dtype=np.uint64))
    return run_matches(game, pairs, keys, summary=True, **kwargs)


class Tournament:
    """A round robin of strategies in a two-player game.

    Each pair plays ``repetitions`` matches. In a symmetric game every
    unordered pair plays once per repetition (the first-listed as the row
    player); in an asymmetric game every ordered pair plays, so each strategy
    plays both roles. ``self_play`` adds each strategy against a copy of itself
    (as Axelrod's tournaments do) and counts it in the mean score.

    Every match draws from its own random stream derived from ``seed`` and the
    match's (row, column, repetition), so the result is the same whether the
    tournament runs in one process or several (``processes``).

    A misbehaving strategy costs only its own matches: an exception, an illegal
    action, ``sys.exit`` inside ``decide``, or plain-Python decisions that do not
    return within ``decide_timeout`` seconds (default 10, per turn of a batch of
    matches, so two system calls per turn; None for no limit; enforced with
    ``SIGALRM``, so on POSIX systems in the main thread) fail that pair's matches,
    which are listed in ``result.errors``; every other result is kept.

    ``noise_kernel`` says where a botched or misread move lands (as in
    :func:`~gametheory.play`): any other action alike by default, ``"neighbour"``
    for one level up or down, or one matrix per player.

    Examples
    --------
    >>> import gametheory as gt
    >>> from gametheory.strategies import TitForTat, Defector, Cooperator, GrimTrigger
    >>> res = gt.Tournament([TitForTat(), Defector(), Cooperator(), GrimTrigger()],
    ...                     turns=10, repetitions=2, seed=1).run()
    >>> res.ranking
    ['Tit for tat', 'Grim trigger', 'Cooperator', 'Defector']
    """

    def __init__(self, players: Sequence[Strategy | type[Strategy] | str],
                 game: Game | None = None, turns: int = 200, repetitions: int = 10,
                 noise: float = 0.0, seed=None, *, observation_noise: float = 0.0,
                 continuation: float | None = None, self_play: bool = True,
                 magnitudes=None, processes: int = 1, chunk_size: int = 20_000,
                 engine: str = "auto", decide_timeout: float | None = 10.0,
                 noise_kernel=None):
        from ..games import prisoners_dilemma

        check_play_parameters(turns, continuation, noise, observation_noise, None)
        if repetitions < 1:
            raise StrategyError(f"repetitions must be >= 1, got {repetitions}")
        self.players = [as_strategy(p) for p in players]
        if len(self.players) < 2:
            raise StrategyError("a tournament needs at least two players")
        self.game = prisoners_dilemma() if game is None else game
        self.turns, self.repetitions, self.noise = turns, repetitions, noise
        self.observation_noise, self.continuation = observation_noise, continuation
        self.self_play, self.magnitudes = self_play, magnitudes
        self.processes, self.chunk_size, self.engine = processes, chunk_size, engine
        self.decide_timeout = decide_timeout
        from .engine import noise_kernels

        noise_kernels(noise_kernel, self.game.shape)     # refuse a bad kernel now
        self.noise_kernel = noise_kernel
        self.seed = seed

    def _schedule(self) -> list[tuple[int, int, int]]:
        A, B = self.game.bimatrix
        symmetric = A.shape[0] == A.shape[1] and np.array_equal(A, B.T)
        n = len(self.players)
        keys = []
        for r in range(self.repetitions):
            for i in range(n):
                for j in range(n):
                    if (i == j and not self.self_play) or (symmetric and j < i):
                        continue
                    keys.append((i, j, r))
        return keys

    def run(self) -> TournamentResult:
        """Play every match and collect the results (failed pairs are reported, not raised)."""
        root = as_seed_sequence(self.seed)
        keys = self._schedule()
        kwargs = {"turns": self.turns, "continuation": self.continuation, "noise": self.noise,
                  "observation_noise": self.observation_noise, "magnitudes": self.magnitudes,
                  "engine": self.engine, "decide_timeout": self.decide_timeout,
                  "noise_kernel": self.noise_kernel}
        size = self.chunk_size
        if self.processes > 1:
            size = max(1, min(size, -(-len(keys) // self.processes)))
        chunks = [keys[k:k + size] for k in range(0, len(keys), size)]
        n, R = len(self.players), self.repetitions
        row_scores = np.full((R, n, n), np.nan)
        col_scores = np.full((R, n, n), np.nan)
        coop = np.zeros((n, n))
        coop_count = np.zeros((n, n))
        wins = np.zeros(n, dtype=np.int64)
        errors: list[tuple[str, str, str]] = []
        labels = names(self.players)

        def collect(chunk, arrays):
            ids = np.array(chunk, dtype=np.int64).reshape(-1, 3)
            i, j, r = ids[:, 0], ids[:, 1], ids[:, 2]
            tot = arrays.totals
            mean = tot / arrays.lengths[:, None]
            c = arrays.cooperations / arrays.lengths[:, None]
            same = i == j
            row_scores[r, i, j] = mean[:, 0]
            col_scores[r, i, j] = mean[:, 1]
            np.add.at(coop, (i, j), c[:, 0])
            np.add.at(coop, (j, i), c[:, 1])
            np.add.at(coop_count, (i, j), 1)
            np.add.at(coop_count, (j, i), 1)
            np.add.at(wins, i[~same], tot[~same, 0] > tot[~same, 1])
            np.add.at(wins, j[~same], tot[~same, 1] > tot[~same, 0])

        def pairs_of(chunk):
            return [(self.players[i], self.players[j]) for i, j, _ in chunk]

        results = []
        if self.processes > 1 and len(chunks) > 0:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(self.processes) as pool:
                futures = [pool.submit(_play_chunk, self.game, pairs_of(ch), ch, root,
                                       kwargs) for ch in chunks]
                for ch, fut in zip(chunks, futures, strict=True):
                    try:
                        results.append((ch, fut.result()))
                    except (Exception, SystemExit):  # replayed pair by pair below
                        results.append((ch, None))
        else:
            for ch in chunks:
                try:
                    results.append((ch, _play_chunk(self.game, pairs_of(ch), ch, root,
                                                    kwargs)))
                except (Exception, SystemExit):  # replayed pair by pair below
                    results.append((ch, None))
        for ch, arrays in results:
            if arrays is not None:
                collect(ch, arrays)
                continue
            # a chunk failed: replay pair by pair to keep the good ones and name the bad
            by_pair: dict[tuple[int, int], list] = {}
            for key in ch:
                by_pair.setdefault(key[:2], []).append(key)
            for (i, j), sub in by_pair.items():
                try:
                    collect(sub, _play_chunk(self.game, pairs_of(sub), sub, root,
                                             kwargs))
                except (Exception, SystemExit) as exc:
                    errors.append((labels[i], labels[j], f"{type(exc).__name__}: {exc}"))
        with np.errstate(invalid="ignore"):
            cooperation = np.where(coop_count > 0, coop / np.maximum(coop_count, 1), np.nan)
        # i's payoff against j: as row (row_scores[i, j]) and as column (col_scores[j, i]);
        # symmetric games play each pair once, asymmetric games average the two roles
        as_row, as_col = row_scores, col_scores.transpose(0, 2, 1)
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN pairs stay NaN
            scores = np.nanmean(np.stack([as_row, as_col]), axis=0)
        return TournamentResult(labels, scores, wins, cooperation, self.self_play, row_scores,
                                col_scores, errors)
