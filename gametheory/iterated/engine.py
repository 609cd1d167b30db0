"""The lock-step engine: many matches played turn by turn with NumPy.

Randomness is counter-based: every draw is ``splitmix64(match key, turn, side,
purpose)`` turned into a uniform number, where the match key comes from the
seed and the match's identity. A match's draws therefore do not depend on
which other matches share its batch, process or worker, and nothing has to be
pre-generated. Per turn and side there are five purposes: the strategy's
decision, whether the move is botched (implementation noise), the botched
action, whether the other side misperceives it (observation noise), and the
perceived action; one more draw fixes the length of a match with a
continuation probability.

Both sides' slots of all matches are laid out in one flat array, sorted so
that the slots decided together form contiguous ranges: all memory-one
strategies (one family, whatever their parameters, either side), all finite
automata, then strategies with their own ``decide_batch`` (per strategy object
and side), then plain strategies decided in Python. Histories are
``(slots, turns)`` arrays, so each group sees its history as a free view.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from .._random import match_keys, uniforms
from ..errors import StrategyTimeoutError
from ..games.normal_form import Game
from ..games.views import make_views
from ..strategies.base import Batch, History, Strategy, StrategyError

__all__ = ["MatchArrays", "MatchSummary", "make_views", "match_keys", "noise_kernels",
           "run_matches", "uniforms"]

_DECIDE, _BOTCH, _BOTCHED, _MISREAD, _PERCEIVED = range(5)
#: Slot-turns (two slots a match, times turns) from which a batch of compiled
#: families takes the compiled turn loop when it is not loaded yet: loading numba and
#: the cached kernel costs about 0.5 s once per process, the NumPy loop about 25 µs a
#: turn, so a small first tournament stays on NumPy (same results either way).
COMPILED_FROM = 100_000
_LENGTH = 7
@dataclass
class MatchSummary:
    """Per-match totals without the turn-by-turn arrays (what tournaments need)."""

    totals: np.ndarray       # (M, 2) total payoff
    cooperations: np.ndarray  # (M, 2) turns on which each side played action 0
    lengths: np.ndarray      # (M,)


@dataclass
class MatchArrays:
    """Raw results of a set of matches (padded to the longest with -1 / 0)."""

    executed: np.ndarray   # (M, T, 2) actions played
    intended: np.ndarray   # (M, T, 2) actions chosen
    observed: np.ndarray   # (M, T, 2) [:, :, s] = what side s perceived the other played
    payoffs: np.ndarray    # (M, T, 2), zero after a match ends
    lengths: np.ndarray    # (M,)


def _perturb(actions: np.ndarray, flip: np.ndarray, choice: np.ndarray, k: np.ndarray
             ) -> np.ndarray:
    """Replace flagged actions by a uniformly chosen *other* action (k actions per slot)."""
    offset = 1 + np.minimum((choice * (k - 1)).astype(np.int64), np.maximum(k - 2, 0))
    return np.where(flip & (k > 1), (actions + offset) % k, actions)


def noise_kernels(kind, shape: Sequence[int]) -> tuple[np.ndarray, np.ndarray] | None:
    """Where a botched or misread action lands, per player: ``(k, k)`` row-stochastic
    matrices (row: the action meant or played; the diagonal is the chance that the
    slip changes nothing), or None for the uniform rule (any *other* action alike).

    ``kind`` is ``"uniform"`` (or None), ``"neighbour"`` (one step up or down the
    ordered actions, half each; at an end, the one neighbour), or a pair of matrices.

    Examples
    --------
    >>> noise_kernels("neighbour", (3, 2))[0]
    array([[0. , 1. , 0. ],
           [0.5, 0. , 0.5],
           [0. , 1. , 0. ]])
    """
    from ..errors import ProfileError

    if kind is None or (isinstance(kind, str) and kind == "uniform"):
        return None
    if isinstance(kind, str):
        if kind != "neighbour":
            raise ProfileError(f"noise_kernel: {kind!r} is not 'uniform', 'neighbour' or a "
                               "pair of matrices")
        out = []
        for k in shape:
            M = np.zeros((k, k))
            for a in range(k):
                nb = [b for b in (a - 1, a + 1) if 0 <= b < k]
                M[a, nb] = 1.0 / len(nb) if nb else 0.0
                if not nb:
                    M[a, a] = 1.0
            out.append(M)
        return out[0], out[1]
    mats = [np.asarray(m, dtype=float) for m in kind]
    if len(mats) != 2:
        raise ProfileError(f"noise_kernel: need one matrix per player, got {len(mats)}")
    for i, (m, k) in enumerate(zip(mats, shape, strict=True)):
        if m.shape != (k, k):
            raise ProfileError(f"noise_kernel of player {i + 1}: shape {m.shape}, the game "
                               f"needs ({k}, {k})")
        if not np.all(np.isfinite(m)) or m.min() < 0 or not np.allclose(m.sum(axis=1), 1.0):
            raise ProfileError(f"noise_kernel of player {i + 1}: rows must be probabilities "
                               "summing to one")
    return mats[0], mats[1]


def _kernel_table(kernels, n_act: np.ndarray) -> np.ndarray | None:
    """Cumulative kernels padded to (2, K, K) for vectorised lookups."""
    if kernels is None:
        return None
    K = int(n_act.max())
    C = np.ones((2, K, K))
    for side, m in enumerate(kernels):
        k = m.shape[0]
        C[side, :k, :k] = np.cumsum(m, axis=1)
        C[side, :k, k - 1] = 1.0
    return C


def _perturb_kernel(actions: np.ndarray, flip: np.ndarray, choice: np.ndarray,
                    table: np.ndarray, sides: np.ndarray) -> np.ndarray:
    """Replace flagged actions by a draw from the kernel row of each (side, action)."""
    rows = table[sides, actions]                                    # (slots, K)
    landed = (choice[:, None] >= rows).sum(axis=1)
    return np.where(flip, np.minimum(landed, table.shape[-1] - 1), actions)


def _land(row: np.ndarray, u: float) -> int:
    """The kernel row's action at uniform draw ``u`` (as :func:`_perturb_kernel`)."""
    cum = np.cumsum(row)
    cum[-1] = 1.0
    return int(min(int((u >= cum).sum()), len(row) - 1))


class _Group:
    def __init__(self, kind: str, start: int, stop: int, impl, needs_random: bool):
        self.kind, self.start, self.stop, self.impl = kind, start, stop, impl
        self.needs_random = needs_random


class _DecisionTimeout(BaseException):
    """Raised by the alarm inside a user's ``decide`` (a BaseException, so that a
    strategy's own ``except Exception`` cannot swallow it)."""


@contextmanager
def _timeout_handler(timeout: float | None):
    """Install the SIGALRM handler that :func:`_decide` arms; yields the timeout to use
    (None where alarms are unavailable: Windows, or a thread other than the main one)."""
    if timeout is None:
        yield None
        return
    timeout = float(timeout)
    if not (timeout > 0 and np.isfinite(timeout)):
        raise StrategyError(f"decide_timeout must be a positive number of seconds, got "
                            f"{timeout!r}")
    if not hasattr(signal, "setitimer") or threading.current_thread() is not \
            threading.main_thread():
        yield None
        return

    def on_alarm(signum, frame):
        raise _DecisionTimeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        yield timeout
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _decide(player: Strategy, hist: History, t: int, timeout: float | None) -> int:
    """One call of a plain-Python ``decide``, isolated: ``sys.exit`` inside it and the
    alarm of :func:`_turn_alarm` firing inside it become :class:`StrategyError`s naming
    the strategy and the turn (the match fails; a tournament keeps the others)."""
    try:
        return player.decide(hist)
    except _DecisionTimeout:
        raise StrategyTimeoutError(f"{player.name}: decide did not return within {timeout:g} s "
                                   f"on turn {t + 1}") from None
    except SystemExit as exc:
        raise StrategyError(f"{player.name} called sys.exit({exc.code!r}) on turn {t + 1}"
                            ) from None


@contextmanager
def _turn_alarm(timeout: float | None):
    """Arm the alarm for one turn of plain-Python decisions: one timer per turn, not per
    call (two system calls per turn, however many matches); the decisions of a turn
    share the budget."""
    if timeout is None:
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        yield
    except _DecisionTimeout:  # fired between two decisions: no strategy to name
        raise StrategyTimeoutError(f"a turn of plain-Python decisions took longer than "
                                   f"{timeout:g} s") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def run_matches(game: Game, pairs: Sequence[tuple[Strategy, Strategy]], keys: np.ndarray, *,
                turns: int = 200, continuation: float | None = None, noise: float = 0.0,
                observation_noise: float = 0.0,
                magnitudes: Sequence[Sequence[float]] | None = None,
                engine: str = "auto", max_turns: int | None = None,
                summary: bool = False, decide_timeout: float | None = None,
                noise_kernel=None) -> MatchArrays | MatchSummary:
    """Play ``pairs[m][0]`` (row) against ``pairs[m][1]`` (column) for every m.

    ``keys[m]`` is the match's random key (:func:`match_keys`). ``engine``:
    ``"auto"`` vectorises what it can, ``"python"`` runs every strategy's
    plain ``decide``; both give identical results. With ``summary`` only the
    per-match totals are returned (:class:`MatchSummary`). ``decide_timeout``
    (seconds) bounds every call of a plain-Python ``decide`` (see :func:`_decide`).
    ``noise_kernel`` says where a botched or misread action lands
    (:func:`noise_kernels`: ``"uniform"`` by default, ``"neighbour"``, or matrices).
    """
    from ..strategies.families import FAMILIES

    kernels = noise_kernels(noise_kernel, game.shape)
    with _timeout_handler(decide_timeout) as decide_timeout:
        return _run_matches(game, pairs, keys, turns, continuation, noise,
                            observation_noise, magnitudes, engine, max_turns, summary,
                            decide_timeout, FAMILIES, kernels)


def _run_matches(game, pairs, keys, turns, continuation, noise, observation_noise,
                 magnitudes, engine, max_turns, summary, decide_timeout, FAMILIES,
                 kernels=None):
    views = make_views(game, magnitudes)
    n_act = np.array(game.shape, dtype=np.int64)
    M = len(pairs)
    keys = np.asarray(keys, dtype=np.uint64)
    if continuation is None:
        lengths = np.full(M, int(turns), dtype=np.int64)
    else:
        if max_turns is None:
            max_turns = int(50 / max(1e-9, 1.0 - continuation)) + 1
        u = 1.0 - uniforms(keys, np.zeros_like(keys), np.zeros_like(keys), _LENGTH)
        with np.errstate(divide="ignore"):
            geo = 1 + np.floor(np.log(u) / np.log(continuation)) if continuation > 0 else \
                np.ones(M)
        lengths = np.minimum(geo, max_turns).astype(np.int64)
    T = int(lengths.max()) if M else 0
    if M == 1 and not summary and engine != "batch":
        return _run_single(game, pairs[0], keys[0], T, views, noise, observation_noise,
                           decide_timeout, kernels)

    # ---- lay out slots (2 per match) grouped by how they are decided; strategies are
    # prepared once per distinct (strategy object, side), not once per match
    protos: dict[tuple[int, int], Strategy] = {}
    where: dict[tuple[int, int], tuple] = {}
    family_params: dict[str, list[dict]] = {}
    family_index: dict[tuple[int, int], int] = {}
    buckets: dict[tuple, list[int]] = {}
    slot_param: dict[tuple, list[int]] = {}
    for side in (0, 1):
        for m, pair in enumerate(pairs):
            strat = pair[side]
            pkey = (id(strat), side)
            bkey = where.get(pkey)
            if bkey is None:
                if engine == "python":
                    bkey = ("python",)
                else:
                    proto = strat.clone()
                    proto.reset(views[side])
                    protos[pkey] = proto
                    fam = proto.batch_family()
                    if fam is not None:
                        bkey = ("family", fam[0])
                        family_index[pkey] = len(family_params.setdefault(fam[0], []))
                        family_params[fam[0]].append(fam[1])
                    elif proto.decide_batch is not None:
                        bkey = ("object", pkey)
                    else:
                        bkey = ("python",)
                where[pkey] = bkey
            buckets.setdefault(bkey, []).append(2 * m + side)
            if bkey[0] == "family":
                slot_param.setdefault(bkey, []).append(family_index[pkey])
    order = np.concatenate([np.array(v, dtype=np.int64) for v in buckets.values()]) \
        if buckets else np.zeros(0, np.int64)
    S = len(order)
    position = np.empty(S, dtype=np.int64)
    position[order] = np.arange(S)
    opp_of = position[order ^ 1]            # flat position of each slot's opponent
    side_of = (order & 1).astype(np.int64)
    match_of = order >> 1
    slot_keys = keys[match_of]
    k_own = n_act[side_of]
    k_opp = n_act[1 - side_of]
    alive_len = lengths[match_of]

    groups: list[_Group] = []
    start = 0
    for bkey, slots in buckets.items():
        stop = start + len(slots)
        if bkey[0] == "family":
            family = FAMILIES[bkey[1]]
            g = _Group("family", start, stop, family, True)
            g.batch = Batch(stop - start, views[0])
            family.start(g.batch, family_params[bkey[1]],
                         np.array(slot_param[bkey], dtype=np.int64))
            g.needs_random = family.needs_random(g.batch)
        elif bkey[0] == "object":
            proto = protos[bkey[1]]
            g = _Group("object", start, stop, proto,
                       bool(proto.classifier.get("stochastic", True)))
            g.batch = Batch(stop - start, proto.view)
            proto.start_batch(g.batch)
        else:
            players = []
            for slot in slots:
                side = slot & 1
                p = pairs[slot >> 1][side].clone()
                p.reset(views[side])
                players.append((p, History(views[side])))
            g = _Group("python", start, stop, players, True)
            g.batch = Batch(stop - start, views[0])
        groups.append(g)
        start = stop

    # turn-major storage: writing a turn is contiguous; groups see (slots, turns) views.
    # Without implementation noise the intended moves are the executed ones.
    own_hist = np.zeros((T, S), dtype=np.int64)
    opp_hist = np.zeros((T, S), dtype=np.int64)
    int_hist = np.zeros((T, S), dtype=np.int64) if noise > 0 else own_hist
    for g in groups:
        g.batch.attach(own_hist, opp_hist, int_hist, slice(g.start, g.stop))
    turn_grid = np.arange(T, dtype=np.uint64)[None, :]

    def draws(a: int, b: int, purpose: int) -> np.ndarray:  # (slots, turns)
        return uniforms(slot_keys[a:b, None], turn_grid, side_of[a:b, None], purpose)

    # every slot decided by a compiled family, slips by the uniform rule: the compiled
    # turn loop draws what it needs itself (the same numbers)
    table = _kernel_table(kernels, n_act)
    compiled = (engine in ("auto", "batch") and table is None and S > 0 and bool(groups)
                and all(g.kind == "family" and g.impl.name in ("memory-one", "automaton")
                        for g in groups)
                and (S * T >= COMPILED_FROM
                     or "gametheory.iterated._compiled_play" in sys.modules))
    for g in groups:
        g.u = draws(g.start, g.stop, _DECIDE) if g.needs_random and not compiled else None
        g.check = g.kind == "object" and not type(g.impl).__module__.startswith(
            "gametheory.strategies")
    # with two actions a botched or misread move has only one alternative: no draw needed
    two_actions = bool(n_act.max() <= 2) and table is None
    if noise > 0 and not compiled:
        botch = draws(0, S, _BOTCH) < noise
        botched = np.zeros((S, T)) if two_actions else draws(0, S, _BOTCHED)
    if observation_noise > 0 and not compiled:
        misread = draws(0, S, _MISREAD) < observation_noise
        perceived = np.zeros((S, T)) if two_actions else draws(0, S, _PERCEIVED)
    if compiled:
        _play_compiled(groups, T, S, slot_keys, side_of, opp_of, k_own, k_opp, noise,
                       observation_noise, two_actions, own_hist, opp_hist, int_hist)
    zeros = {g.stop - g.start: np.zeros(g.stop - g.start) for g in groups}
    for t in range(0 if compiled else T):
        intended = int_hist[t]  # the groups write their choices straight into the history
        for g in groups:
            a, b = g.start, g.stop
            batch = g.batch
            batch.turn = t
            batch.u = g.u[:, t] if g.u is not None else zeros[b - a]
            if g.kind == "family":
                acts = g.impl.decide(batch)
            elif g.kind == "object":
                acts = g.impl.decide_batch(batch)
            else:
                acts = np.zeros(b - a, dtype=np.int64)
                with _turn_alarm(decide_timeout):
                    for j, (player, hist) in enumerate(g.impl):
                        if t >= alive_len[a + j]:
                            continue
                        hist._u = float(batch.u[j])
                        act = _decide(player, hist, t, decide_timeout)
                        if not isinstance(act, int | np.integer) or not 0 <= act < k_own[a + j]:
                            raise StrategyError(
                                f"{player.name} returned the illegal action {act!r} on turn "
                                f"{t + 1} (legal: 0..{k_own[a + j] - 1}, "
                                f"{', '.join(hist.view.actions)})")
                        acts[j] = act
            if g.check or t == 0:  # user classes every turn; ours are covered by tests
                acts = np.asarray(acts)
                if acts.shape != (b - a,):
                    raise StrategyError(f"{_group_name(g)} returned {acts.shape} actions for "
                                        f"{b - a} matches on turn {t + 1}")
                if b > a and (acts.min() < 0 or np.any(acts >= k_own[a:b])):
                    bad = int(np.flatnonzero((acts < 0) | (acts >= k_own[a:b]))[0])
                    raise StrategyError(f"{_group_name(g)} returned the illegal action "
                                        f"{acts[bad]} on turn {t + 1} "
                                        f"(legal: 0..{k_own[a + bad] - 1})")
            intended[a:b] = acts
        if noise > 0:
            own_hist[t] = (_perturb(intended, botch[:, t], botched[:, t], k_own)
                           if table is None else
                           _perturb_kernel(intended, botch[:, t], botched[:, t], table,
                                           side_of))
        executed = own_hist[t]
        if observation_noise > 0:
            opp_hist[t] = (_perturb(executed[opp_of], misread[:, t], perceived[:, t], k_opp)
                           if table is None else
                           _perturb_kernel(executed[opp_of], misread[:, t], perceived[:, t],
                                           table, 1 - side_of))
        else:
            np.take(executed, opp_of, out=opp_hist[t])
        observed = opp_hist[t]
        for g in groups:
            if g.kind == "python":
                a = g.start
                for j, (_, hist) in enumerate(g.impl):
                    hist.own.append(int(executed[a + j]))
                    hist.opponent.append(int(observed[a + j]))
                    hist.intended.append(int(intended[a + j]))
    A, B = game.bimatrix
    if summary:
        K = int(n_act.max())
        table = np.zeros((2, K, K))
        table[0, :n_act[0], :n_act[1]] = A
        table[1, :n_act[1], :n_act[0]] = B.T
        if compiled:
            from ._compiled_play import summarise

            tot, coo = summarise(own_hist, opp_of, table, side_of, alive_len)
            return MatchSummary(tot[position].reshape(M, 2), coo[position].reshape(M, 2),
                                lengths)
        alive = np.arange(T)[:, None] < alive_len[None, :]
        # payoffs follow the moves played, not the misread ones
        played = own_hist[:, opp_of]
        pay = table.reshape(-1).take((side_of * K + own_hist) * K + played) * alive
        totals = pay.sum(axis=0)[position].reshape(M, 2)
        coops = ((own_hist == 0) & alive).sum(axis=0)[position].reshape(M, 2)
        return MatchSummary(totals, coops, lengths)
    # back to (match, turn, side): gather the slots in match order, then reshape
    def per_match(hist):
        return hist[:, position].reshape(T, M, 2).transpose(1, 0, 2)

    executed_m, intended_m = per_match(own_hist), per_match(int_hist)
    observed_m = per_match(opp_hist)
    payoffs = np.stack([A[executed_m[..., 0], executed_m[..., 1]],
                        B[executed_m[..., 0], executed_m[..., 1]]], axis=-1)
    alive = np.arange(T)[None, :] < lengths[:, None]
    payoffs = payoffs * alive[..., None]
    for arr in (executed_m, intended_m, observed_m):
        arr[~alive] = -1
    return MatchArrays(executed_m, intended_m, observed_m, payoffs, lengths)


def _play_compiled(groups, T, S, slot_keys, side_of, opp_of, k_own, k_opp, noise,
                   observation_noise, two_actions, own_hist, opp_hist, int_hist) -> None:
    """The turn loop for compiled families only (see :mod:`._compiled_play`)."""
    from ._compiled_play import play_families

    kind = np.zeros(S, dtype=np.int64)
    local = np.zeros(S, dtype=np.int64)
    random_slot = np.zeros(S, dtype=np.bool_)
    m_p, m_p0 = np.zeros(4), np.zeros(1)
    a_out, a_trans, a_states, a_actions = np.zeros(1, np.int64), np.zeros(1, np.int64), 1, 1
    for g in groups:
        st = g.batch.state
        kind[g.start:g.stop] = 0 if g.impl.name == "memory-one" else 1
        local[g.start:g.stop] = np.arange(g.stop - g.start)
        random_slot[g.start:g.stop] = g.needs_random
        if g.impl.name == "memory-one":
            m_p, m_p0 = st["p_flat"], st["p0"]
        else:
            a_out, a_trans = st["out"], st["trans"]
            a_states, a_actions = int(st["S"]), int(st["k"])
    play_families(T, kind, local, np.ascontiguousarray(m_p, dtype=float),
                  np.ascontiguousarray(m_p0, dtype=float),
                  np.ascontiguousarray(a_out, dtype=np.int64),
                  np.ascontiguousarray(a_trans, dtype=np.int64), a_states, a_actions,
                  random_slot, np.ascontiguousarray(slot_keys, dtype=np.uint64),
                  side_of, opp_of, k_own, k_opp, float(noise), float(observation_noise),
                  bool(two_actions),
                  np.array([_DECIDE, _BOTCH, _BOTCHED, _MISREAD, _PERCEIVED], dtype=np.int64),
                  own_hist, opp_hist, int_hist)


def _run_single(game: Game, pair: tuple[Strategy, Strategy], key: np.uint64, length: int,
                views, noise: float, observation_noise: float,
                decide_timeout: float | None = None, kernels=None) -> MatchArrays:
    """One match in plain Python: the same draws and rules as the vectorised engine."""
    k = game.shape
    turns = np.arange(length, dtype=np.uint64)[:, None, None]
    sides = np.arange(2, dtype=np.uint64)[None, :, None]
    purposes = np.arange(5, dtype=np.uint64)[None, None, :]
    U = uniforms(np.uint64(key), turns, sides, purposes).tolist()
    players = []
    for side in (0, 1):
        p = pair[side].clone()
        p.reset(views[side])
        players.append((p, History(views[side])))
    out = np.zeros((3, length, 2), dtype=np.int64)  # executed, intended, observed
    for t in range(length):
        acts = []
        with _turn_alarm(decide_timeout):
            for side, (player, hist) in enumerate(players):
                hist._u = U[t][side][_DECIDE]
                a = _decide(player, hist, t, decide_timeout)
                if not isinstance(a, int | np.integer) or not 0 <= a < k[side]:
                    raise StrategyError(f"{player.name} returned the illegal action {a!r} on turn "
                                        f"{t + 1} (legal: 0..{k[side] - 1}, "
                                        f"{', '.join(hist.view.actions)})")
                acts.append(int(a))
        executed = list(acts)
        if noise > 0:
            for side in (0, 1):
                u = U[t][side]
                if kernels is not None:
                    if u[_BOTCH] < noise:
                        executed[side] = _land(kernels[side][acts[side]], u[_BOTCHED])
                elif u[_BOTCH] < noise and k[side] > 1:
                    executed[side] = (acts[side] + 1 + min(int(u[_BOTCHED] * (k[side] - 1)),
                                                           k[side] - 2)) % k[side]
        observed = [executed[1], executed[0]]
        if observation_noise > 0:
            for side in (0, 1):
                u = U[t][side]
                ko = k[1 - side]
                if kernels is not None:
                    if u[_MISREAD] < observation_noise:
                        observed[side] = _land(kernels[1 - side][observed[side]],
                                               u[_PERCEIVED])
                elif u[_MISREAD] < observation_noise and ko > 1:
                    observed[side] = (observed[side] + 1 + min(int(u[_PERCEIVED] * (ko - 1)),
                                                               ko - 2)) % ko
        for side, (_, hist) in enumerate(players):
            hist.own.append(executed[side])
            hist.opponent.append(observed[side])
            hist.intended.append(acts[side])
        out[0, t], out[1, t], out[2, t] = executed, acts, observed
    A, B = game.bimatrix
    ex = out[0]
    payoffs = np.stack([A[ex[:, 0], ex[:, 1]], B[ex[:, 0], ex[:, 1]]], axis=-1)
    return MatchArrays(out[0][None], out[1][None], out[2][None], payoffs[None],
                       np.array([length]))


def _group_name(g: _Group) -> str:
    if g.kind == "object":
        return g.impl.name
    if g.kind == "family":
        return f"the {g.impl.name} family"
    return "a strategy"
