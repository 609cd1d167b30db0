"""The lock-step engine: many matches played turn by turn with NumPy.

Every match has its own random stream (a ``SeedSequence`` per match), from
which it draws its length and, for each turn and side, five uniforms: the
strategy's decision, whether the move is botched (implementation noise), the
replacement action, whether the other side misperceives it (observation
noise) and the perceived action. Because the draws belong to the match, the
results do not depend on how matches are grouped into batches, processes or
workers.

Strategies are grouped for vectorised decisions: all slots of one *family*
(memory-one strategies, finite automata) are decided in one call whatever
their parameters; other strategies with ``decide_batch`` are decided per
strategy object; plain strategies run their Python ``decide`` per match.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..games.normal_form import Game
from ..strategies.base import Batch, History, PlayerView, Strategy, StrategyError

__all__ = ["MatchArrays", "make_views", "run_matches"]

N_DRAWS = 5  # decision, botch?, botched action, misperceive?, perceived action


@dataclass
class MatchArrays:
    """Raw results of a set of matches (padded to the longest)."""

    executed: np.ndarray   # (M, T, 2) actions played
    intended: np.ndarray   # (M, T, 2) actions chosen
    observed: np.ndarray   # (M, T, 2) [:, :, s] = what side s perceived the other played
    payoffs: np.ndarray    # (M, T, 2), zero after a match ends
    lengths: np.ndarray    # (M,)


def make_views(game: Game, magnitudes: Sequence[Sequence[float]] | None = None
               ) -> tuple[PlayerView, PlayerView]:
    """The two players' views of a two-player game."""
    if game.n_players != 2:
        raise StrategyError(f"iterated play needs a two-player game; this game has "
                            f"{game.n_players} players")
    A, B = game.bimatrix
    if magnitudes is None:
        mags = [np.arange(n, dtype=float) for n in game.shape]
    else:
        mags = [np.asarray(m, dtype=float) for m in magnitudes]
        for i, m in enumerate(mags):
            if m.shape != (game.shape[i],):
                raise StrategyError(f"magnitudes of {game.players[i]!r} need {game.shape[i]} "
                                    f"values, got {m.size}")
    v0 = PlayerView(A, B, mags[0], mags[1], 0, game.actions[0], game.actions[1])
    v1 = PlayerView(B.T, A.T, mags[1], mags[0], 1, game.actions[1], game.actions[0])
    return v0, v1


def _draws(seeds: Sequence[np.random.SeedSequence], turns: int, continuation: float | None,
           max_turns: int) -> tuple[np.ndarray, np.ndarray]:
    lengths = np.empty(len(seeds), dtype=np.int64)
    per_match = []
    for m, ss in enumerate(seeds):
        rng = np.random.default_rng(ss)
        if continuation is None:
            length = turns
        else:
            length = min(int(rng.geometric(1.0 - continuation)), max_turns)
        lengths[m] = length
        per_match.append(rng.random((length, 2, N_DRAWS)))
    T = int(lengths.max()) if len(seeds) else 0
    U = np.zeros((len(seeds), T, 2, N_DRAWS))
    for m, u in enumerate(per_match):
        U[m, :len(u)] = u
    return lengths, U


def _perturb(actions: np.ndarray, flip: np.ndarray, choice: np.ndarray, k: int) -> np.ndarray:
    """Replace flagged actions by a uniformly chosen *other* action."""
    if k < 2:
        return actions
    offset = 1 + np.minimum((choice * (k - 1)).astype(np.int64), k - 2)
    return np.where(flip, (actions + offset) % k, actions)


class _Group:
    """Slots of one side decided together."""

    def __init__(self, kind: str, slots: np.ndarray, view: PlayerView, T: int):
        self.kind = kind
        self.slots = slots
        self.view = view
        n = len(slots)
        self.own = np.zeros((n, T), dtype=np.int64)
        self.opp = np.zeros((n, T), dtype=np.int64)
        self.intended = np.zeros((n, T), dtype=np.int64)
        self.batch = Batch(n, view)


def run_matches(game: Game, pairs: Sequence[tuple[Strategy, Strategy]],
                seeds: Sequence[np.random.SeedSequence], *, turns: int = 200,
                continuation: float | None = None, noise: float = 0.0,
                observation_noise: float = 0.0,
                magnitudes: Sequence[Sequence[float]] | None = None,
                engine: str = "auto", max_turns: int | None = None) -> MatchArrays:
    """Play ``pairs[m][0]`` (row) against ``pairs[m][1]`` (column) for every m."""
    from ..strategies.families import FAMILIES

    views = make_views(game, magnitudes)
    k = (game.shape[0], game.shape[1])
    if max_turns is None:
        max_turns = turns if continuation is None else int(50 / max(1e-9, 1 - continuation)) + 1
    lengths, U = _draws(seeds, turns, continuation, max_turns)
    M, T = U.shape[0], U.shape[1]
    executed = np.zeros((M, T, 2), dtype=np.int64)
    intended = np.zeros((M, T, 2), dtype=np.int64)
    observed = np.zeros((M, T, 2), dtype=np.int64)

    # ---- group the slots of each side
    groups: list[tuple[int, _Group, object]] = []
    protos: dict[tuple[int, int], Strategy] = {}
    for side in (0, 1):
        view = views[side]
        fam_slots: dict[str, list[int]] = {}
        fam_params: dict[str, list[dict]] = {}
        obj_slots: dict[int, tuple[Strategy, list[int]]] = {}
        py_slots: list[int] = []
        for m, pair in enumerate(pairs):
            strat = pair[side]
            if engine == "python":
                py_slots.append(m)
                continue
            key = (id(strat), side)
            if key not in protos:
                protos[key] = _prototype(strat, view)
            proto = protos[key]
            fam = proto.batch_family() if hasattr(proto, "batch_family") else None
            if fam is not None:
                name, params = fam
                fam_slots.setdefault(name, []).append(m)
                fam_params.setdefault(name, []).append(params)
            elif proto.decide_batch is not None:
                obj_slots.setdefault(id(strat), (proto, []))[1].append(m)
            else:
                py_slots.append(m)
        for name, slots in fam_slots.items():
            g = _Group("family", np.array(slots), view, T)
            family = FAMILIES[name]
            family.start(g.batch, fam_params[name])
            groups.append((side, g, family))
        for proto, slots in obj_slots.values():
            g = _Group("object", np.array(slots), view, T)
            proto.start_batch(g.batch)
            groups.append((side, g, proto))
        if py_slots:
            g = _Group("python", np.array(py_slots), view, T)
            players = []
            for m in py_slots:
                p = pairs[m][side].clone()
                p.reset(view)
                players.append((p, History(view)))
            groups.append((side, g, players))

    # ---- play
    for t in range(T):
        for side, g, impl in groups:
            b = g.batch
            b.turn = t
            b.own = g.own[:, :t]
            b.opponent = g.opp[:, :t]
            b.intended = g.intended[:, :t]
            b.u = U[g.slots, t, side, 0]
            if g.kind == "family":
                acts = impl.decide(b)
            elif g.kind == "object":
                acts = impl.decide_batch(b)
            else:
                acts = np.empty(len(g.slots), dtype=np.int64)
                for j, (player, hist) in enumerate(impl):
                    if t >= lengths[g.slots[j]]:
                        acts[j] = 0
                        continue
                    hist._u = float(b.u[j])
                    a = player.decide(hist)
                    if not isinstance(a, int | np.integer) or not 0 <= a < k[side]:
                        raise StrategyError(
                            f"{player.name} returned the illegal action {a!r} on turn {t + 1} "
                            f"(legal: 0..{k[side] - 1}, {', '.join(g.view.actions)})")
                    acts[j] = a
            acts = np.asarray(acts, dtype=np.int64)
            if acts.shape != (len(g.slots),):
                raise StrategyError(f"{_group_name(g, impl)} returned {acts.shape} actions for "
                                    f"{len(g.slots)} matches on turn {t + 1}")
            if acts.size and (acts.min() < 0 or acts.max() >= k[side]):
                raise StrategyError(f"{_group_name(g, impl)} returned an illegal action on turn "
                                    f"{t + 1} (legal: 0..{k[side] - 1})")
            intended[g.slots, t, side] = acts
        for side in (0, 1):
            u = U[:, t, side]
            executed[:, t, side] = (_perturb(intended[:, t, side], u[:, 1] < noise, u[:, 2],
                                             k[side]) if noise > 0 else intended[:, t, side])
        for side in (0, 1):  # what `side` perceives of the other side's move
            other = 1 - side
            u = U[:, t, side]
            observed[:, t, side] = (_perturb(executed[:, t, other], u[:, 3] < observation_noise,
                                             u[:, 4], k[other])
                                    if observation_noise > 0 else executed[:, t, other])
        for side, g, impl in groups:
            g.own[:, t] = executed[g.slots, t, side]
            g.opp[:, t] = observed[g.slots, t, side]
            g.intended[:, t] = intended[g.slots, t, side]
            if g.kind == "python":
                for j, (_, hist) in enumerate(impl):
                    hist.own.append(int(g.own[j, t]))
                    hist.opponent.append(int(g.opp[j, t]))
                    hist.intended.append(int(g.intended[j, t]))
    A, B = game.bimatrix
    payoffs = np.stack([A[executed[..., 0], executed[..., 1]],
                        B[executed[..., 0], executed[..., 1]]], axis=-1)
    alive = np.arange(T)[None, :] < lengths[:, None]
    payoffs = payoffs * alive[..., None]
    for arr in (executed, intended, observed):
        arr[~alive] = -1
    return MatchArrays(executed, intended, observed, payoffs, lengths)


def _prototype(strat: Strategy, view: PlayerView) -> Strategy:
    proto = strat.clone()
    proto.reset(view)
    return proto


def _group_name(g: _Group, impl) -> str:
    if g.kind == "object":
        return impl.name
    if g.kind == "family":
        return f"the {impl.name} family"
    return "a strategy"
