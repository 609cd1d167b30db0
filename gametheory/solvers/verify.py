"""Verification of candidate equilibria: nothing leaves a solver unchecked.

Every candidate is checked as mutual best responses in floating point (regret
at most ``tol`` times the payoff range). When the game has exact payoffs and
the equilibrium must be rational (two players, or a pure profile), the
candidate is then re-derived and re-checked in ``Fraction`` arithmetic and
kept only if every player's regret is exactly zero. The one exception is a
candidate inside a face of a degenerate game's equilibrium set (a player has
more best responses than the opponent's support size): such points need not
be rational, and they stay float-verified. Candidates that fail are
dropped, listed in ``EquilibriumResult.rejected`` and announced by a
:class:`~gametheory.errors.VerificationWarning`.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterable, Sequence
from fractions import Fraction

import numpy as np

from .._validate import check_tolerance
from ..errors import SolverError, VerificationWarning
from ..games.normal_form import Game, MixedStrategy, batch_profile_values, profile_values
from ._exact import exact_regrets, rationalize_bimatrix_profile
from .result import Equilibrium, EquilibriumResult, Rejected

__all__ = ["check_profile", "finalize", "verify_equilibrium"]

_ZERO = Fraction(0)
_ONE = Fraction(1)


def _prepare(game: Game, candidates: Sequence, tol: float) -> list[tuple]:
    """Clean every candidate and compute its values and regrets, the float work for the
    whole batch at once. One entry per candidate: ``(given, cleaned, values, regrets)``
    (``given``: the candidate as ``Fraction`` lists when it is exact) or
    ``(given, reason)`` when it is not a profile of distributions over the game's actions.
    """
    shape = game.shape
    out: list[tuple] = []
    rows: list[np.ndarray] = []
    where: list[int] = []
    if isinstance(candidates, np.ndarray):  # rows of concatenated strategies
        out = [(None,)] * len(candidates)
        rows = list(candidates)
        where = list(range(len(candidates)))
        candidates = ()
    for cand in candidates:
        given = _exact_candidate(cand)
        try:
            parts = [np.asarray(x, dtype=float).reshape(-1) for x in cand]
        except (TypeError, ValueError) as exc:
            out.append((given, f"not a profile of probability vectors ({exc})"))
            continue
        if len(parts) != len(shape):
            out.append((given, f"{len(parts)} strategies for {len(shape)} players"))
            continue
        wrong = next((k for k, (x, m) in enumerate(zip(parts, shape, strict=True))
                      if len(x) != m), None)
        if wrong is not None:
            out.append((given, f"player {wrong + 1}: {len(parts[wrong])} probabilities for "
                               f"{shape[wrong]} actions"))
            continue
        out.append((given,))
        rows.append(np.concatenate(parts))
        where.append(len(out) - 1)
    if not rows:
        return out
    X = np.stack(rows)
    cuts = np.cumsum(shape)[:-1]
    bounds = list(zip([0, *cuts.tolist()], np.cumsum(shape).tolist(), strict=True))
    sizes = np.array(shape)
    bad = ~np.isfinite(X).all(axis=1) | (X.min(axis=1) < -tol)
    X = np.where((X < tol) | bad[:, None], 0.0, X)  # bad rows are not used further
    totals = np.add.reduceat(X, np.concatenate([[0], cuts]), axis=1)
    off = np.abs(totals - 1.0) > max(tol, 1e-9) * sizes
    ok = ~bad & ~off.any(axis=1)
    X[ok] /= np.repeat(totals[ok], sizes, axis=1)
    values, regrets = (batch_profile_values(game.payoffs, X[ok]) if ok.any()
                       else (np.zeros((0, len(shape))), np.zeros((0, len(shape)))))
    k = 0
    for r, pos in enumerate(where):
        given = out[pos][0]
        if ok[r]:
            out[pos] = (given, [X[r, a:b] for a, b in bounds], values[k].copy(),
                        regrets[k].copy())
            k += 1
            continue
        # the per-player message, from the raw candidate
        raw = [rows[r][a:b] for a, b in bounds]
        reason = next(
            (f"player {j + 1}: non-finite probability" if not np.all(np.isfinite(x))
             else f"player {j + 1}: negative probability {x.min():.3g}"
             for j, x in enumerate(raw) if not np.all(np.isfinite(x)) or np.any(x < -tol)),
            None)
        if reason is None:
            j = int(np.argmax(off[r]))
            reason = f"player {j + 1}: probabilities sum to {float(totals[r, j]):.12g}"
        out[pos] = (given, reason)
    return out


def _locally_degenerate(game: Game, profile: list[np.ndarray], tol: float) -> bool:
    """True when a player has more pure best responses than the opponent's support size.

    That certifies a degenerate two-player game (von Stengel 2007, def. 3.2) at
    this very profile, without enumerating the best-response polytopes.
    """
    x, y = profile
    scale = max(1.0, game.payoff_scale)
    u1 = game.payoffs[..., 0] @ y
    u2 = x @ game.payoffs[..., 1]
    br1 = np.count_nonzero(u1 >= u1.max() - 1e3 * tol * scale)
    br2 = np.count_nonzero(u2 >= u2.max() - 1e3 * tol * scale)
    return br1 > np.count_nonzero(y) or br2 > np.count_nonzero(x)


def _exact_candidate(profile) -> list[list[Fraction]] | None:
    """The profile as lists of ``Fraction`` when every entry is already exact, else None."""
    if all(isinstance(s, np.ndarray) and s.dtype.kind == "f" for s in profile):
        return None  # float arrays (most solvers' candidates): nothing exact to keep
    try:
        out = [list(s) for s in profile]
    except TypeError:
        return None
    if all(isinstance(v, Fraction) for s in out for v in s):
        return out
    return None


def check_profile(game: Game, profile: Sequence[Sequence[float]], *, tol: float = 1e-9,
                  exact: bool | None = None) -> tuple[Equilibrium | None, str]:
    """Verify one candidate; return ``(equilibrium, "")`` or ``(None, reason)``.

    ``exact=None`` checks exactly whenever the game has exact payoffs and the
    profile must be rational (two players or pure); ``exact=True`` stores the
    strategies as ``Fraction``.
    """
    return _conclude(game, _prepare(game, [profile], tol)[0], tol=tol, exact=exact)


def _conclude(game: Game, prepared: tuple, *, tol: float, exact: bool | None
              ) -> tuple[Equilibrium | None, str]:
    """The rest of :func:`check_profile` for one entry of :func:`_prepare`: the regret
    test, the exact re-check, the labelled equilibrium."""
    if len(prepared) == 2:
        return None, prepared[1]
    given, cleaned, values, regrets = prepared
    scale = game.payoff_scale
    if np.any(regrets > tol * scale):
        k = int(np.argmax(regrets))
        return None, f"{game.players[k]} gains {regrets[k]:.3g} by deviating"
    exact_payoffs = game.exact_payoffs
    is_pure = all(np.count_nonzero(s) == 1 for s in cleaned)
    exact_profile = None
    read_off = False
    if exact_payoffs is not None and (game.n_players == 2 or is_pure):
        if given is not None and len(given) == game.n_players:
            # an exact candidate (exact vertex enumeration) is checked as it is
            reg = exact_regrets(exact_payoffs, given)
            if reg is None or any(r != 0 for r in reg):
                return None, "exact candidate is not exactly an equilibrium"
            exact_profile = given
        elif is_pure:
            # cleaned pure strategies are exactly 0.0 and 1.0: nothing to re-derive
            read_off = True
            exact_profile = [[_ONE if v == 1.0 else _ZERO for v in s] for s in cleaned]
            reg = exact_regrets(exact_payoffs, exact_profile)
            if reg is None or any(r != 0 for r in reg):
                return None, "pure profile is not exactly an equilibrium"
        else:
            exact_profile = rationalize_bimatrix_profile(exact_payoffs, cleaned, tol=tol)
            if exact_profile is None and not _locally_degenerate(game, cleaned, tol):
                return None, "no exact rational equilibrium matches this float candidate"
            # In a degenerate game an equilibrium can lie inside a face of the equilibrium
            # set, where nothing forces it to be rational: it stays float-verified.
        if exact_profile is not None and not read_off:
            exact_floats = [np.array([float(v) for v in s]) for s in exact_profile]
            if not all(np.array_equal(a, b) for a, b in zip(exact_floats, cleaned,
                                                              strict=True)):
                cleaned = exact_floats
                values, regrets = profile_values(game.payoffs, cleaned)
    elif exact:
        raise SolverError("exact=True needs exact payoffs (integers, fractions, decimal "
                          "strings) and, for mixed equilibria, a two-player game")
    use_exact = bool(exact) and exact_profile is not None
    strategies = tuple(
        MixedStrategy(exact_profile[i] if use_exact else cleaned[i], actions=game.actions[i],
                 player=game.players[i])
        for i in range(game.n_players)
    )
    eq = Equilibrium(
        strategies=strategies,
        payoffs=values,
        regret=float(regrets.max()),
        verified="exact" if exact_profile is not None else "float",
        exact_strategies=(tuple(tuple(s) for s in exact_profile)
                          if exact_profile is not None else None),
    )
    return eq, ""


def verify_equilibrium(game: Game, profile: Sequence[Sequence[float]], *, tol: float = 1e-9
                       ) -> bool:
    """True when ``profile`` passes the same checks solvers apply before returning it."""
    eq, _ = check_profile(game, profile, tol=tol)
    return eq is not None


def _key(eq: Equilibrium) -> tuple:
    if eq.exact_strategies is not None:
        return ("exact", eq.exact_strategies)
    return ("float", tuple(tuple(round(v, 8) for v in s.values) for s in eq.strategies))


def finalize(game: Game, candidates: Iterable[Sequence[Sequence[float]]], *, method: str,
             guarantee: str, tol: float, exact: bool = False, started: float,
             n_iter: int = 0, converged: bool = True, degenerate: bool | None = None,
             details: dict | None = None, sort: bool = True) -> EquilibriumResult:
    """Verify, de-duplicate and package candidates into an :class:`EquilibriumResult`.

    ``candidates``: profiles (one sequence of probabilities per player), or a 2-D
    float array with one row per profile, every player's strategy concatenated.
    """
    tol = check_tolerance(tol)
    seen: dict[tuple, Equilibrium] = {}
    rejected: list[Rejected] = []
    if isinstance(candidates, np.ndarray):
        total = int(sum(game.shape))
        if candidates.ndim != 2 or candidates.shape[1] != total:
            raise SolverError(f"candidate rows must have {total} entries (every player's "
                              f"strategy), got an array of shape {candidates.shape}")
        ends = np.cumsum(game.shape).tolist()
        bounds = list(zip([0, *ends[:-1]], ends, strict=True))
        rows = np.asarray(candidates, dtype=float)
        listed = None
    else:
        listed = rows = list(candidates)
    for r, prepared in enumerate(_prepare(game, rows, tol)):
        eq, reason = _conclude(game, prepared, tol=tol, exact=exact)
        if eq is None:
            cand = listed[r] if listed is not None else [rows[r, a:b] for a, b in bounds]
            rejected.append(Rejected(tuple(tuple(float(v) for v in s) for s in cand), reason))
            continue
        seen.setdefault(_key(eq), eq)
    equilibria = list(seen.values())
    if sort:
        equilibria.sort(key=lambda e: tuple(-v for s in e.strategies for v in s.probabilities))
    if rejected:
        warnings.warn(f"{method}: {len(rejected)} candidate(s) failed verification and were "
                      f"dropped (first: {rejected[0].reason})", VerificationWarning,
                      stacklevel=3)
    return EquilibriumResult(
        equilibria=equilibria, method=method, guarantee=guarantee, game=game,
        exact=bool(exact), tol=tol, converged=converged, n_iter=n_iter,
        elapsed_s=time.perf_counter() - started, game_digest=game.digest(),
        degenerate=degenerate, rejected=rejected, details=details or {},
    )
