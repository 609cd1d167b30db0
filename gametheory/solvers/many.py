"""Solve many two-player games at once: :func:`solve_many` and :class:`BatchResult`."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validate import check_count, check_index, check_tolerance
from ..errors import GameError, PayoffError, ShapeError, UnknownNameError, VerificationWarning
from ..games.normal_form import Game
from . import _batch_kernels as K

__all__ = ["BATCH_METHODS", "BatchEntry", "BatchResult", "solve_many"]

#: Methods of :func:`solve_many` and what they guarantee.
BATCH_METHODS = {
    "vertex_enumeration": "every extreme equilibrium (all equilibria of non-degenerate games)",
    "lemke_howson": "one equilibrium per game",
}
#: Earlier names of the methods, still accepted.
METHOD_ALIASES = {"enumerate": "vertex_enumeration"}

#: Largest ``C(m + n, m)`` (bases per polytope) solved by batched minors (3 x 3 games
#: have 20); larger games by compiled pivoting from vertex to vertex, measured
#: 1.4x faster at 4 x 4 and 15x at 8 x 8 (about equal at 3 x 3, where staying in
#: NumPy spares a process numba's start-up).
BASIS_LIMIT = 20

#: Largest ``m + n`` (label sets are bit masks of 64-bit integers).
MAX_LABELS = 62

#: Relative tolerance for ties in the lexicographic ratio test of the pivoting path.
PIVOT_EPS = 1e-11

#: Pivot and tie tolerance of Lemke–Howson (payoffs in [1, 2]).
LH_TOL = 1e-12

#: Bytes of work arrays the pivoting path may use for one polytope; a game whose
#: polytope has more bases than fit is reported in ``errors`` (a random 12 x 12 game
#: uses about 10 MB; a random 15 x 15 game was solved in 0.4 s, and a random 16 x 16
#: game already had more than the 145,000 bases that fit).
PIVOT_MEMORY = 2**30

#: Games with more than this many action pairs (``m * n``) are enumerated by reverse
#: search (:mod:`._reverse_search`: memory proportional to the depth of the search, not
#: to the number of bases); smaller ones by the hash-table search, which was faster up
#: to 12 x 12 (39 vs 32 games/s) and slower from 14 x 14 (3.0 vs 4.2 games/s). A game
#: the hash-table search gives up on (more bases than :data:`PIVOT_MEMORY`) is then
#: solved by reverse search too.
REVERSE_SEARCH_FROM = 144

#: Bytes of working arrays per chunk of games (the chunk size is derived from it).
CHUNK_BYTES = 96 * 2**20


@dataclass(frozen=True)
class BatchEntry:
    """The equilibria of one game of a batch (what iterating a :class:`BatchResult` yields)."""

    game: int
    equilibria: list[tuple[np.ndarray, np.ndarray]]
    payoffs: np.ndarray
    degenerate: bool
    error: str | None = None

    def __len__(self) -> int:
        return len(self.equilibria)

    def _repr_html_(self) -> str:
        from .._format import table_html

        rows = [[k, ", ".join(f"{v:.4g}" for v in x), ", ".join(f"{v:.4g}" for v in y),
                 f"{p[0]:.4g}", f"{p[1]:.4g}"]
                for k, ((x, y), p) in enumerate(zip(self.equilibria, self.payoffs, strict=True))]
        caption = (f"Game {self.game}: " + (f"not solved ({self.error})" if self.error else
                   f"{len(self)} equilibria" + (" (degenerate)" if self.degenerate else "")))
        return table_html(["#", "player 1", "player 2", "payoff 1", "payoff 2"], rows,
                          caption=caption)


@dataclass
class _Group:
    """Equilibria of the games of one shape, one row per equilibrium."""

    shape: tuple[int, int]
    game: np.ndarray  # (E,) game index in the batch
    x: np.ndarray  # (E, m)
    y: np.ndarray  # (E, n)
    payoffs: np.ndarray  # (E, 2)
    regret: np.ndarray  # (E,)


@dataclass
class BatchResult:
    """Equilibria of a batch of games, one row per equilibrium.

    Attributes
    ----------
    n_games : int
    method : str
    n_equilibria : ndarray of int, shape (n_games,)
        Verified equilibria per game (0 for games that failed).
    degenerate : ndarray of bool, shape (n_games,)
        Degeneracy was found (see :func:`solve_many`).
    errors : dict
        Game index -> why the game was not solved (NaN payoff, wrong shape...).
    rejected : ndarray of int, shape (n_games,)
        Candidates that failed verification and were dropped (normally all 0).
    elapsed_s : float
    reverse_search : ndarray of bool, shape (n_games,)
        Games enumerated by the memory-bounded reverse search (large games, and games
        whose polytopes outgrew the hash-table search's memory).
    """

    n_games: int
    method: str
    tol: float
    n_equilibria: np.ndarray
    degenerate: np.ndarray
    errors: dict[int, str]
    rejected: np.ndarray
    elapsed_s: float = 0.0
    groups: list[_Group] = field(default_factory=list, repr=False)
    reverse_search: np.ndarray | None = None

    @property
    def failed(self) -> np.ndarray:
        """Boolean mask of the games that could not be solved (see :attr:`errors`)."""
        mask = np.zeros(self.n_games, dtype=bool)
        mask[list(self.errors)] = True
        return mask

    def __len__(self) -> int:
        return self.n_games

    def __getitem__(self, i: int) -> BatchEntry:
        i = int(i)
        if not -self.n_games <= i < self.n_games:
            raise IndexError(f"game {i} out of range for a batch of {self.n_games}")
        i %= self.n_games
        for g in self.groups:
            rows = np.flatnonzero(g.game == i)
            if rows.size:
                return BatchEntry(i, [(g.x[r], g.y[r]) for r in rows], g.payoffs[rows],
                                  bool(self.degenerate[i]), None)
        return BatchEntry(i, [], np.empty((0, 2)), bool(self.degenerate[i]), self.errors.get(i))

    def __iter__(self) -> Iterator[BatchEntry]:
        by_game: dict[int, tuple[_Group, np.ndarray]] = {}
        for g in self.groups:
            order = np.argsort(g.game, kind="stable")
            bounds = np.searchsorted(g.game[order], np.unique(g.game))
            for gi, rows in zip(np.unique(g.game), np.split(order, bounds[1:]), strict=True):
                by_game[int(gi)] = (g, rows)
        for i in range(self.n_games):
            if i in by_game:
                g, rows = by_game[i]
                yield BatchEntry(i, [(g.x[r], g.y[r]) for r in rows], g.payoffs[rows],
                                 bool(self.degenerate[i]), None)
            else:
                yield BatchEntry(i, [], np.empty((0, 2)), bool(self.degenerate[i]),
                                 self.errors.get(i))

    def to_frame(self):
        """One row per equilibrium: ``game``, ``equilibrium`` (number within the game),
        ``x`` and ``y`` (probability lists), ``payoff_1``, ``payoff_2``, ``support_1``,
        ``support_2``, ``pure``, ``degenerate``, ``regret``."""
        import pandas as pd

        frames = []
        for g in self.groups:
            if not len(g.game):
                continue
            order = np.lexsort((np.arange(len(g.game)), g.game))
            gi = g.game[order]
            first = np.searchsorted(gi, gi)
            s1 = (g.x[order] > 0).sum(axis=1)
            s2 = (g.y[order] > 0).sum(axis=1)
            frames.append(pd.DataFrame({
                "game": gi,
                "equilibrium": np.arange(len(gi)) - first,
                "x": list(g.x[order]),
                "y": list(g.y[order]),
                "payoff_1": g.payoffs[order, 0],
                "payoff_2": g.payoffs[order, 1],
                "support_1": s1,
                "support_2": s2,
                "pure": (s1 == 1) & (s2 == 1),
                "degenerate": self.degenerate[gi],
                "regret": g.regret[order],
            }))
        if not frames:
            return pd.DataFrame(columns=["game", "equilibrium", "x", "y", "payoff_1", "payoff_2",
                                         "support_1", "support_2", "pure", "degenerate",
                                         "regret"])
        return pd.concat(frames, ignore_index=True).sort_values(
            ["game", "equilibrium"], kind="stable", ignore_index=True)

    def errors_frame(self):
        """The games that were not solved: ``game`` and ``error``."""
        import pandas as pd

        return pd.DataFrame({"game": list(self.errors), "error": list(self.errors.values())})

    def to_parquet(self, path) -> None:
        """Write :meth:`to_frame` to a Parquet file (``x``/``y`` as list columns)."""
        frame = self.to_frame()
        frame["x"] = frame["x"].map(list)
        frame["y"] = frame["y"].map(list)
        from .._files import atomic_path

        with atomic_path(path) as tmp:
            frame.to_parquet(tmp, index=False)

    def summary(self) -> dict[str, Any]:
        """Counts for a quick look (also what the notebook display shows)."""
        ok = ~self.failed
        counts = self.n_equilibria[ok]
        return {
            "games": self.n_games,
            "solved": int(ok.sum()),
            "failed": len(self.errors),
            "equilibria": int(counts.sum()),
            "mean equilibria per game": float(counts.mean()) if counts.size else float("nan"),
            "degenerate games": int(self.degenerate.sum()),
            "rejected candidates": int(self.rejected.sum()),
            "by reverse search": int(self.reverse_search.sum())
            if self.reverse_search is not None else 0,
            "games/s": self.n_games / self.elapsed_s if self.elapsed_s > 0 else float("inf"),
        }

    def __repr__(self) -> str:
        s = self.summary()
        return (f"BatchResult({s['games']} games, method={self.method!r}: {s['equilibria']} "
                f"equilibria, {s['degenerate games']} degenerate, {s['failed']} failed, "
                f"{self.elapsed_s:.3g} s)")

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><th style='text-align:left'>{k}</th><td>{v:,.4g}</td></tr>"
                       if isinstance(v, float) else
                       f"<tr><th style='text-align:left'>{k}</th><td>{v:,}</td></tr>"
                       for k, v in self.summary().items())
        return (f"<div><b>BatchResult</b> ({self.method})<table>{rows}</table></div>")


# --------------------------------------------------------------------------- input


def _as_batches(games, B) -> tuple[int, dict[tuple[int, int], tuple[np.ndarray, np.ndarray,
                                                                   np.ndarray]], dict[int, str]]:
    """Group the input by shape: shape -> (indices, A stack, B stack); plus per-game errors."""
    errors: dict[int, str] = {}
    if B is not None:
        A = _real_array(games, "A")
        Bm = _real_array(B, "B")
        if A.ndim == 2 and Bm.ndim == 2:
            A, Bm = A[None], Bm[None]
        if A.ndim != 3 or A.shape != Bm.shape:
            raise ShapeError(f"solve_many(A, B) needs two arrays of shape (N, m, n); got "
                             f"{A.shape} and {Bm.shape}")
        N = A.shape[0]
        with np.errstate(over="ignore"):
            span = (np.maximum(A.max(axis=(1, 2), initial=0), Bm.max(axis=(1, 2), initial=0))
                    - np.minimum(A.min(axis=(1, 2), initial=0), Bm.min(axis=(1, 2), initial=0)))
        bad = ~(np.isfinite(A).all(axis=(1, 2)) & np.isfinite(Bm).all(axis=(1, 2))
                & np.isfinite(span))
        for i in np.flatnonzero(bad):
            errors[int(i)] = f"PayoffError: {_nonfinite_message(A[i], Bm[i])}"
        idx = np.flatnonzero(~bad)
        if idx.size == N:                     # the usual case: no copy of the stacks
            return N, {A.shape[1:]: (idx, A, Bm)}, errors
        groups = {A.shape[1:]: (idx, A[idx], Bm[idx])} if idx.size else {}
        return N, groups, errors
    items = list(games)
    by_shape: dict[tuple[int, int], list[int]] = {}
    mats: list[tuple[np.ndarray, np.ndarray] | None] = []
    for i, g in enumerate(items):
        try:
            if isinstance(g, Game):
                if g.n_players != 2:
                    raise ShapeError(f"a {g.n_players}-player game; solve_many solves "
                                     "two-player games")
                a, b = g.bimatrix
            else:
                if isinstance(g, str | bytes) or not hasattr(g, "__len__") or len(g) != 2:
                    raise ShapeError(f"{type(g).__name__} {str(g)[:40]!r} is not a Game or an "
                                     "(A, B) pair of payoff matrices")
                a, b = (_real_array(v, name) for v, name in zip(g, "AB", strict=True))
                if a.ndim != 2 or a.shape != b.shape:
                    raise ShapeError(f"payoff matrices of shapes {a.shape} and {b.shape}; "
                                     "need two m x n matrices")
            if not (np.isfinite(a).all() and np.isfinite(b).all()):
                raise PayoffError(_nonfinite_message(a, b))
            with np.errstate(over="ignore"):
                if a.size and not np.isfinite(max(a.max(), b.max()) - min(a.min(), b.min())):
                    raise PayoffError(_nonfinite_message(a, b))
        except (GameError, ValueError, TypeError) as exc:
            errors[i] = f"{type(exc).__name__}: {exc}"
            mats.append(None)
            continue
        mats.append((a, b))
        by_shape.setdefault(a.shape, []).append(i)
    groups = {}
    for shape, idx in by_shape.items():
        groups[shape] = (np.array(idx, dtype=np.intp),
                         np.stack([mats[i][0] for i in idx]),
                         np.stack([mats[i][1] for i in idx]))
    return len(items), groups, errors


def _real_array(values, name: str) -> np.ndarray:
    """A float array of real payoffs; complex, non-numeric and ragged input raise."""
    try:
        raw = np.asarray(values)
    except ValueError as exc:
        raise ShapeError(f"{name} is ragged (rows of different lengths): {exc}") from None
    if raw.dtype.kind == "c":
        raise PayoffError(f"{name} holds complex numbers; payoffs must be real")
    if raw.dtype.kind not in "biuf":
        try:
            return raw.astype(float)
        except (TypeError, ValueError, OverflowError) as exc:
            raise PayoffError(f"{name} holds values that are not real numbers: {exc}") from None
    return raw.astype(float, copy=False)


def _nonfinite_message(a: np.ndarray, b: np.ndarray) -> str:
    for name, M in (("A", a), ("B", b)):
        bad = np.argwhere(~np.isfinite(M))
        if bad.size:
            r, c = bad[0]
            return (f"{'NaN' if np.isnan(M[r, c]) else 'infinite'} payoff in "
                    f"{name}[{r}, {c}] ({len(bad)} non-finite "
                    f"entr{'y' if len(bad) == 1 else 'ies'})")
    return ("payoffs range over more than the largest float (1.8e308): the range "
            "overflows; rescale the payoffs (equilibria do not change)")


# --------------------------------------------------------------------------- solving


def _payoff_range(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Per game: the range of all payoffs of both players, at least 1 (regret scale)."""
    a = A.reshape(len(A), -1)
    b = B.reshape(len(B), -1)
    hi = np.maximum(K.short_reduce(np.maximum, a, 1), K.short_reduce(np.maximum, b, 1))
    lo = np.minimum(K.short_reduce(np.minimum, a, 1), K.short_reduce(np.minimum, b, 1))
    return np.maximum(1.0, hi - lo)


def _verify(A: np.ndarray, B: np.ndarray, x: np.ndarray, y: np.ndarray, tol: float,
            scale: np.ndarray | None = None):
    """Clean, normalise and check candidates (row e is a profile of game A[e], B[e]).

    ``scale``: each candidate's game payoff range (computed here when not given).
    Returns ``(x, y, payoffs, regret, ok)``.
    """
    if not len(x):  # every game of the chunk failed (e.g. Lemke–Howson ran out of pivots)
        return x, y, np.empty((0, 2)), np.empty(0), np.empty(0, dtype=bool)
    x = np.where(x < tol, 0.0, x)
    y = np.where(y < tol, 0.0, y)
    x = x / K.short_reduce(np.add, x, 1)[:, None]
    y = y / K.short_reduce(np.add, y, 1)[:, None]
    Ay = np.einsum("eij,ej->ei", A, y)
    xB = np.einsum("eij,ei->ej", B, x)
    u1 = np.einsum("ei,ei->e", x, Ay)
    u2 = np.einsum("ej,ej->e", y, xB)
    r1 = K.short_reduce(np.maximum, Ay, 1) - u1
    r2 = K.short_reduce(np.maximum, xB, 1) - u2
    if scale is None:
        scale = _payoff_range(A, B)
    regret = np.maximum(r1, r2)
    ok = regret <= tol * scale
    return x, y, np.stack([u1, u2], axis=1), np.maximum(regret, 0.0), ok


def _enumerate_small(A: np.ndarray, B: np.ndarray, tol: float):
    """All extreme equilibria of a stack of small games by batched basis enumeration.

    Returns ``(game, x, y, degenerate)`` with candidate rows (not yet verified).
    """
    N, m, n = A.shape
    Ap, Bp = K.normalise(A), K.normalise(B)
    Q = K.polytope_bases(Ap, tol=tol)  # rows S (tight), columns T (support)
    P = K.polytope_bases(np.swapaxes(Bp, 1, 2), tol=tol)  # rows T (tight), columns S (support)
    degenerate = np.zeros(N, dtype=bool)
    for k in Q:
        degenerate |= Q[k][3].any(axis=(1, 2)) | P[k][3].any(axis=(1, 2))
    games, xs, ys = [], [], []
    for k in Q:
        zq, _, okq, _ = Q[k]
        zp, _, okp, _ = P[k]
        both = okq & np.swapaxes(okp, 1, 2)
        both[degenerate] = False
        g, s, t = np.nonzero(both)
        if not g.size:
            continue
        S, T = K.subsets(m, k), K.subsets(n, k)
        x = np.zeros((g.size, m))
        y = np.zeros((g.size, n))
        np.put_along_axis(x, S[s], zp[g, t, s], axis=1)
        np.put_along_axis(y, T[t], zq[g, s, t], axis=1)
        games.append(g)
        xs.append(x)
        ys.append(y)
    if degenerate.any():
        g, x, y = _degenerate_games(Q, P, np.flatnonzero(degenerate), m, n, tol)
        games.append(g)
        xs.append(x)
        ys.append(y)
    if not games:
        return np.empty(0, np.intp), np.empty((0, m)), np.empty((0, n)), degenerate
    return np.concatenate(games), np.vstack(xs), np.vstack(ys), degenerate


def _enumerate_2x2(A: np.ndarray, B: np.ndarray, tol: float):
    """All equilibria of a stack of 2 x 2 games in closed form.

    A 2 x 2 game is degenerate exactly when a player is indifferent between
    its two actions against a pure action of the other (a mixed strategy has
    only two actions to be indifferent between). Games without such a tie
    have one pure equilibrium, or two pure and one completely mixed, or one
    completely mixed, read off the best responses and the indifference
    conditions. Games with a near tie (within 4 ``tol`` on payoffs scaled to
    [1, 2]) go through :func:`_enumerate_small`, which decides degeneracy and
    finds every extreme equilibrium, so both paths flag the same games.
    """
    N = len(A)
    Ap, Bp = K.normalise(A), K.normalise(B)
    dA = Ap[:, 0, :] - Ap[:, 1, :]   # (N, 2): row 0 minus row 1, against column j
    dB = Bp[:, :, 0] - Bp[:, :, 1]   # (N, 2): column 0 minus column 1, against row i
    near = ((np.abs(dA[:, 0]) <= 4 * tol) | (np.abs(dA[:, 1]) <= 4 * tol)
            | (np.abs(dB[:, 0]) <= 4 * tol) | (np.abs(dB[:, 1]) <= 4 * tol))
    clear = ~near
    best_row = (dA < 0).astype(np.int8)      # best row against column j
    best_col = (dB < 0).astype(np.int8)      # best column against row i
    games, xs, ys = [], [], []
    for i in (0, 1):
        for j in (0, 1):
            g = np.flatnonzero(clear & (best_row[:, j] == i) & (best_col[:, i] == j))
            x = np.zeros((g.size, 2))
            y = np.zeros((g.size, 2))
            x[:, i] = 1.0
            y[:, j] = 1.0
            games.append(g)
            xs.append(x)
            ys.append(y)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = dB[:, 1] / (dB[:, 1] - dB[:, 0])   # row 0's weight making column indifferent
        q = dA[:, 1] / (dA[:, 1] - dA[:, 0])   # column 0's weight making row indifferent
    g = np.flatnonzero(clear & (p > 0) & (p < 1) & (q > 0) & (q < 1))
    games.append(g)
    xs.append(np.stack([p[g], 1 - p[g]], axis=1))
    ys.append(np.stack([q[g], 1 - q[g]], axis=1))
    degenerate = np.zeros(N, dtype=bool)
    if near.any():
        sub = np.flatnonzero(near)
        g2, x2, y2, deg2 = _enumerate_small(A[sub], B[sub], tol)
        degenerate[sub] = deg2
        games.append(sub[g2])
        xs.append(x2)
        ys.append(y2)
    return np.concatenate(games), np.vstack(xs), np.vstack(ys), degenerate


def _vertex_table(bases, d: np.ndarray, r: int, c: int, *, row_offset: int, col_offset: int,
                  tol: float):
    """Feasible basic solutions of the games ``d`` of a stack, padded to a common count.

    For the polytope ``{z >= 0, M z <= 1}`` (``M`` is ``r x c``) returns
    coordinates ``(len(d), V, c)``, label bit masks ``(len(d), V)`` (row ``i``
    tight -> bit ``row_offset + i``, ``z_j = 0`` -> bit ``col_offset + j``) and
    a validity mask; ``V`` is the largest number of distinct vertices of a game.
    """
    gs, zs, labs = [], [], []
    one = np.int64(1)
    for k, (z, slack, ok, _) in bases.items():
        R, Kc = K.subsets(r, k), K.subsets(c, k)
        cR, cC = len(R), len(Kc)
        zd = z[d]
        full = np.zeros((len(d), cR, cC, c))
        np.put_along_axis(full, np.broadcast_to(Kc[None, None], (len(d), cR, cC, k)), zd,
                          axis=-1)
        row_bits = (one << (R + row_offset)).sum(axis=1)  # rows in R are tight
        in_K = np.zeros((cC, c), dtype=bool)
        np.put_along_axis(in_K, Kc, True, axis=1)
        col_bits = ((~in_K) * (one << (np.arange(c) + col_offset))).sum(axis=1)  # z_j = 0 off K
        lab = (row_bits[:, None] | col_bits[None, :])[None] \
            | ((zd <= tol) * (one << (Kc + col_offset))[None, None]).sum(axis=-1)
        if slack is not None:
            out = np.array([[i for i in range(r) if i not in set(sub)] for sub in R],
                           dtype=np.int64).reshape(cR, r - k)
            lab |= ((slack[d] <= tol)
                    * (one << (out + row_offset))[None, :, :, None]).sum(axis=2)
        sel = ok[d]
        gs.append(np.nonzero(sel)[0])
        zs.append(full[sel])
        labs.append(lab[sel])
    g, Z, L = np.concatenate(gs), np.vstack(zs), np.concatenate(labs)
    # A degenerate vertex is reached from many bases: keep one copy per game.
    _, first = np.unique(np.column_stack([g, np.round(Z, 9)]), axis=0, return_index=True)
    g, Z, L = g[first], Z[first], L[first]
    counts = np.bincount(g, minlength=len(d))
    slot = np.arange(len(g)) - np.repeat(np.cumsum(counts) - counts, counts)
    V = max(1, int(counts.max()))
    Zp = np.zeros((len(d), V, c))
    Lp = np.zeros((len(d), V), dtype=np.int64)
    OK = np.zeros((len(d), V), dtype=bool)
    Zp[g, slot], Lp[g, slot], OK[g, slot] = Z, L, True
    return Zp, Lp, OK


def _degenerate_games(Q, P, d: np.ndarray, m: int, n: int, tol: float):
    """Completely labelled vertex pairs of degenerate games, vectorised and de-duplicated."""
    VQ, LQ, OKQ = _vertex_table(Q, d, m, n, row_offset=0, col_offset=m, tol=tol)
    VP, LP, OKP = _vertex_table(P, d, n, m, row_offset=m, col_offset=0, tol=tol)
    full = (np.int64(1) << (m + n)) - 1
    hit = ((LP[:, :, None] | LQ[:, None, :]) == full) & OKP[:, :, None] & OKQ[:, None, :]
    g, p, q = np.nonzero(hit)
    return d[g], VP[g, p], VQ[g, q]


def max_bases(m: int, n: int, memory: int | None = None) -> int:
    """Bases of one polytope that fit in ``memory`` bytes (default
    :data:`PIVOT_MEMORY`) of the pivoting path's work arrays (a dictionary, values
    and variable lists per basis, a hash-map slot pair; arrays grow by doubling, so
    up to three copies while growing)."""
    memory = PIVOT_MEMORY if memory is None else memory
    k = max(m, n)
    per_basis = 8 * (m * n + 3 * k + 1) + 32
    return max(64, memory // (3 * per_basis))


def _reverse_search(Ap: np.ndarray, Bp: np.ndarray, games, tol: float):
    """Reverse search (:mod:`._reverse_search`) on the listed games of a normalised
    stack: (game, x, y, degenerate) with each equilibrium once."""
    from ._reverse_search import reverse_search_equilibria

    gs, xs, ys = [], [], []
    degenerate = np.zeros(len(Ap), dtype=bool)
    for k in games:
        X, Y, deg, _ = reverse_search_equilibria(Ap[k], Bp[k], tol, PIVOT_EPS, np.int64(2**62))
        degenerate[k] = deg
        if len(X):
            # found from both polytopes: keep each equilibrium once
            key = np.round(np.hstack([X / X.sum(axis=1)[:, None],
                                      Y / Y.sum(axis=1)[:, None]]), 9)
            _, first = np.unique(key, axis=0, return_index=True)
            first = np.sort(first)
            gs.append(np.full(len(first), k, dtype=np.intp))
            xs.append(X[first])
            ys.append(Y[first])
    m, n = Ap.shape[1:]
    if not gs:
        return np.zeros(0, np.intp), np.zeros((0, m)), np.zeros((0, n)), degenerate
    return np.concatenate(gs), np.vstack(xs), np.vstack(ys), degenerate


def _enumerate_pivoting(A: np.ndarray, B: np.ndarray, tol: float):
    """All extreme equilibria, game by game, from the vertices of both polytopes found
    by pivoting (compiled, :mod:`._pivoting`), or by reverse search for games above
    :data:`REVERSE_SEARCH_FROM` action pairs and for games whose polytopes have too many
    bases for the hash-table search's :data:`PIVOT_MEMORY`. Also returns which games
    (chunk indices) went to reverse search."""
    from ._pivoting import enumerate_equilibria

    _, m, n = A.shape
    Ap, Bp = K.normalise(A), K.normalise(B)
    if m * n > REVERSE_SEARCH_FROM:
        g, x, y, degenerate = _reverse_search(Ap, Bp, range(len(A)), tol)
        return g, x, y, degenerate, np.arange(len(A))
    g, x, y, degenerate, vertices = enumerate_equilibria(
        Ap, Bp, tol, PIVOT_EPS, max_bases(m, n))
    g = g.astype(np.intp)
    # A vertex is kept once per set of tight constraints; in a nearly degenerate game
    # (a coordinate within rounding of tol) two bases of one vertex could disagree on
    # a label, so the equilibria of flagged games are also de-duplicated by value.
    rows = np.flatnonzero(degenerate[g])
    if rows.size:
        key = np.column_stack([g[rows], np.round(x[rows] / x[rows].sum(axis=1)[:, None], 9),
                               np.round(y[rows] / y[rows].sum(axis=1)[:, None], 9)])
        _, first = np.unique(key, axis=0, return_index=True)
        drop = np.setdiff1d(np.arange(rows.size), first)
        if drop.size:
            keep = np.ones(len(g), dtype=bool)
            keep[rows[drop]] = False
            g, x, y = g[keep], x[keep], y[keep]
    too_large = np.flatnonzero(vertices < 0)
    if too_large.size:
        g2, x2, y2, deg2 = _reverse_search(Ap, Bp, too_large, tol)
        g, x, y = np.concatenate([g, g2]), np.vstack([x, x2]), np.vstack([y, y2])
        degenerate = degenerate | deg2
    return g, x, y, degenerate, too_large


def _lemke_howson(A, B, tol, *, initial_dropped_label: int = 0, max_iter: int = 1_000):
    N, m, n = A.shape
    initial_dropped_label = check_index(f"initial_dropped_label (for {m}x{n} games)",
                                        initial_dropped_label, m + n)
    from ._pivoting import lemke_howson

    x, y, pivots = lemke_howson(K.normalise(A), K.normalise(B), initial_dropped_label,
                                max_iter, LH_TOL)
    done = pivots >= 0
    return np.flatnonzero(done), x[done], y[done], np.zeros(N, dtype=bool), np.flatnonzero(~done)


def _chunk_size(m: int, n: int, method: str) -> int:
    from math import comb

    if method == "lemke_howson":  # game by game; the chunk holds payoffs and results
        return max(1, CHUNK_BYTES // (8 * 4 * m * n))
    elif comb(m + n, m) <= BASIS_LIMIT:
        per_game = 8 * 6 * sum(comb(m, k) * comb(n + 1, k) * (k + 1) for k in range(1, m + 1))
    else:  # pivoting keeps one game's polytopes at a time, in work arrays grown once per
        # chunk (12x12 chunks of one game spent a third of the time regrowing them)
        return max(16, 2**22 // comb(m + n, m))
    return max(1, CHUNK_BYTES // per_game)


def solve_many(games: Any, B: Any = None, *, method: str = "vertex_enumeration",
               tol: float = 1e-9,
               chunk_size: int | None = None, progress: bool = False,
               **options: Any) -> BatchResult:
    """Solve a batch of two-player games, vectorised over the batch.

    Parameters
    ----------
    games : sequence of Game or of (A, B) pairs, or array of shape (N, m, n)
        The games. With a second argument ``B``, ``games`` is the stack of
        player 1's payoff matrices and ``B`` player 2's.
    B : array of shape (N, m, n), optional
    method : {"vertex_enumeration", "lemke_howson"}
        ``"vertex_enumeration"`` (also ``"enumerate"``, its earlier name, as
        :func:`solve` names it): every extreme equilibrium of every game (all
        equilibria of non-degenerate games), as :func:`vertex_enumeration`
        finds them one at a time. 2 x 2 games in closed form; games with
        ``C(m + n, m) <= 20`` (up to 3 x 3) together by basis enumeration over
        shared minors; larger ones (``m + n <= 62``) game by game by compiled
        vertex enumeration, pivoting from vertex to vertex of both
        best-response polytopes (numba, compiled on first use and cached).
        ``"lemke_howson"``: one equilibrium per game by Lemke–Howson with the
        lexicographic ratio test, compiled (``initial_dropped_label``,
        ``max_iter``).
    tol : float
        Tolerance for tight constraints (payoffs scaled to [1, 2]) and for the
        verification (regret relative to the game's payoff range).
    chunk_size : int, optional
        Games per vectorised step (default: about 100 MB of working arrays),
        which bounds memory for any batch size.
    progress : bool
        Show a progress bar (tqdm) over chunks.

    Returns
    -------
    BatchResult
        ``n_equilibria`` per game, ``to_frame()`` (one row per equilibrium),
        iteration over :class:`BatchEntry` per game, ``errors`` for games
        that could not be solved (non-finite payoffs, wrong shapes, a
        Lemke–Howson path longer than ``max_iter``); the others are solved.
        Games above 12 x 12, and any whose polytopes outgrow the hash-table
        search's :data:`PIVOT_MEMORY`, are enumerated by reverse search, whose
        memory does not grow with the number of vertices (``reverse_search``
        says which).

    Notes
    -----
    Every equilibrium is verified before it is returned: regret of both
    players at most ``tol`` times the payoff range, in floating point (use
    :func:`solve` with ``exact=True`` for a rational certificate of one
    game). Candidates that fail are counted in ``rejected`` and announced by
    a :class:`~gametheory.errors.VerificationWarning`. ``degenerate``: up to
    3 x 3, exactly "a vertex of a best-response polytope has more tight
    constraints than its dimension" (within ``tol``); larger games walk player
    1's polytope and complete its vertices to player 2's (lrsnash's way),
    walking player 2's only when a completion needs it, so its degeneracy is
    seen only where it was walked or at an equilibrium - a game degenerate only
    at vertices of player 2's polytope no equilibrium uses is not flagged, and
    an unflagged game's equilibria are isolated and all returned.
    Lemke–Howson does not look for degeneracy and reports False.

    Examples
    --------
    A sweep over the temptation payoff of the prisoner's dilemma:

    >>> import numpy as np
    >>> from gametheory import solve_many
    >>> T = np.linspace(2, 6, 5)  # R = 3, P = 1, S = 0
    >>> A = np.stack([[[3, 0], [t, 1]] for t in T])
    >>> res = solve_many(A, np.swapaxes(A, 1, 2))
    >>> res.n_equilibria.tolist()
    [3, 2, 1, 1, 1]
    >>> res.to_frame().groupby("game")["pure"].all().tolist()
    [False, True, True, True, True]
    """
    started = time.perf_counter()
    method = METHOD_ALIASES.get(method, method)
    if method not in BATCH_METHODS:
        raise UnknownNameError("batch method", method, BATCH_METHODS)
    allowed = ["initial_dropped_label", "max_iter"] if method == "lemke_howson" else []
    for name in options:
        if name not in allowed:
            raise UnknownNameError(f"option of solve_many(method={method!r})", name,
                                   allowed or ["(no options)"])
    tol = check_tolerance(tol)
    if chunk_size is not None:
        chunk_size = check_count("chunk_size", chunk_size, maximum=10**9)
    if "max_iter" in options:
        options["max_iter"] = check_count("max_iter", options["max_iter"], maximum=10**8)
    N, grouped, errors = _as_batches(games, B)
    n_eq = np.zeros(N, dtype=np.int64)
    degenerate = np.zeros(N, dtype=bool)
    reverse = np.zeros(N, dtype=bool)
    rejected = np.zeros(N, dtype=np.int64)
    groups: list[_Group] = []
    chunks = []
    for (m, n), (idx, A, Bm) in grouped.items():
        if m < 1 or n < 1:
            for i in idx:
                errors[int(i)] = f"ShapeError: a {m}x{n} game has no actions"
            continue
        if method == "vertex_enumeration" and m + n > MAX_LABELS:
            for i in idx:
                errors[int(i)] = (f"ShapeError: a {m}x{n} game is too large to enumerate "
                                  f"(m + n > {MAX_LABELS}); use method='lemke_howson'")
            continue
        size = chunk_size or _chunk_size(m, n, method)
        chunks.extend(((m, n), idx[s:s + size], A[s:s + size], Bm[s:s + size])
                      for s in range(0, len(idx), size))
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=N, unit="game", desc=f"solve_many ({method})")
        from math import comb

        if any(method == "lemke_howson" or comb(m + n, m) > BASIS_LIMIT
               for (m, n), *_ in chunks):
            from ._compiled import compile_notice

            notice = compile_notice()
            if notice:
                bar.write(notice)
    from math import comb

    parts: dict[tuple[int, int], list] = {}
    for (m, n), idx, A, Bm in chunks:
        if method == "lemke_howson":
            g, x, y, deg, unfinished = _lemke_howson(A, Bm, tol, **options)
            for u in unfinished:
                errors[int(idx[u])] = (f"IterationLimitError: Lemke–Howson path longer than "
                                       f"{options.get('max_iter', 1_000)} pivots")
        elif (m, n) == (2, 2):
            g, x, y, deg = _enumerate_2x2(A, Bm, tol)
        elif comb(m + n, m) <= BASIS_LIMIT:
            g, x, y, deg = _enumerate_small(A, Bm, tol)
        else:
            g, x, y, deg, by_reverse = _enumerate_pivoting(A, Bm, tol)
            reverse[idx[by_reverse]] = True
        degenerate[idx] = deg
        scale = _payoff_range(A, Bm)[g]
        x, y, pay, regret, ok = _verify(A[g], Bm[g], x, y, tol, scale)
        if not ok.all():
            np.add.at(rejected, idx[g[~ok]], 1)
        g = g[ok]
        order = _sort_within_games(g, x[ok], y[ok])
        gg = idx[g[order]]
        n_eq[idx] += np.bincount(g, minlength=len(idx))     # idx: distinct games
        parts.setdefault((m, n), []).append((gg, x[ok][order], y[ok][order], pay[ok][order],
                                             regret[ok][order]))
        if bar is not None:
            bar.update(len(idx))
    if bar is not None:
        bar.close()
    for shape, ps in parts.items():
        groups.append(_Group(shape, np.concatenate([p[0] for p in ps]),
                             np.vstack([p[1] for p in ps]), np.vstack([p[2] for p in ps]),
                             np.vstack([p[3] for p in ps]), np.concatenate([p[4] for p in ps])))
    if rejected.any():
        first = int(np.flatnonzero(rejected)[0])
        warnings.warn(f"solve_many: {int(rejected.sum())} candidate(s) in "
                      f"{int((rejected > 0).sum())} game(s) failed verification and were "
                      f"dropped (first in game {first})", VerificationWarning, stacklevel=2)
    return BatchResult(n_games=N, method=method, tol=tol, n_equilibria=n_eq,
                       degenerate=degenerate, errors=dict(sorted(errors.items())),
                       rejected=rejected, elapsed_s=time.perf_counter() - started,
                       groups=groups, reverse_search=reverse)


def _sort_within_games(g: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Order: by game, then by decreasing probabilities (as :func:`solve` sorts)."""
    keys = [-y[:, j] for j in range(y.shape[1] - 1, -1, -1)]
    keys += [-x[:, i] for i in range(x.shape[1] - 1, -1, -1)]
    return np.lexsort((*keys, g))

