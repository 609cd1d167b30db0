"""The turn loop of the vectorised engine, compiled, for matches in which every slot
is decided by a compiled family (memory-one strategies and deterministic automata)
and slips follow the uniform rule. It writes exactly what the NumPy loop writes: the
same decisions from the same draws (``tests/iterated/test_engine.py`` compares them
move for move); it only removes the per-turn Python overhead, which dominates a
round robin of short matches."""

from __future__ import annotations

import numpy as np

from .._jit import jit

__all__ = ["play_families"]


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


@jit
def _uniform(key, t, side, purpose):
    """:func:`gametheory._random.uniforms` for one (key, turn, side, purpose), bit for
    bit (splitmix64 of the key plus the counter times the golden ratio)."""
    counter = (np.uint64(t) * np.uint64(16) + np.uint64(side) * np.uint64(8)
               + np.uint64(purpose))
    z = key + counter * _GOLDEN + _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    z = z ^ (z >> np.uint64(31))
    return np.float64(z >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@jit
def play_families(T, kind, local, m_p, m_p0, a_out, a_trans, a_states, a_actions,
                  random_slot, keys, side_of, opp_of, k_own, k_opp, noise, observation,
                  two_actions, purposes, own, opp, intended):
    """Fill the turn-major histories ``own``, ``opp`` and ``intended`` (T, slots).

    ``kind[i]`` is 0 (memory-one: cooperate with probability ``m_p[4 j + 2 own + opp]``,
    ``m_p0[j]`` on the first turn) or 1 (automaton: ``a_out[j S + s]``, next state
    ``a_trans[(j S + s) k + opp]``), ``j = local[i]`` the slot's row in its family.
    The draws are the engine's: ``purposes`` = (decide, botch, botched, misread,
    perceived); a slot's decision draw is used only when ``random_slot[i]`` (its
    family needs one), the landing draws only with more than two actions."""
    S = kind.shape[0]
    state = np.zeros(S, dtype=np.int64)
    for t in range(T):
        for i in range(S):
            j = local[i]
            if kind[i] == 0:
                if t == 0:
                    prob = m_p0[j]
                else:
                    prob = m_p[4 * j + 2 * own[t - 1, i] + opp[t - 1, i]]
                u = _uniform(keys[i], t, side_of[i], purposes[0]) if random_slot[i] else 0.0
                act = 1 if u >= prob else 0
            else:
                if t > 0:
                    state[i] = a_trans[(j * a_states + state[i]) * a_actions + opp[t - 1, i]]
                act = a_out[j * a_states + state[i]]
            intended[t, i] = act
        for i in range(S):
            act = intended[t, i]
            k = k_own[i]
            if noise > 0 and _uniform(keys[i], t, side_of[i], purposes[1]) < noise and k > 1:
                c = 0.0 if two_actions else _uniform(keys[i], t, side_of[i], purposes[2])
                off = 1 + min(int(c * (k - 1)), max(k - 2, 0))
                act = (act + off) % k
            own[t, i] = act
        for i in range(S):
            seen = own[t, opp_of[i]]
            k = k_opp[i]
            if observation > 0 and _uniform(keys[i], t, side_of[i], purposes[3]) < observation \
                    and k > 1:
                c = 0.0 if two_actions else _uniform(keys[i], t, side_of[i], purposes[4])
                off = 1 + min(int(c * (k - 1)), max(k - 2, 0))
                seen = (seen + off) % k
            opp[t, i] = seen


@jit
def summarise(own, opp_of, table, side_of, alive_len):
    """Per slot: the payoff total and the cooperations (action 0) over its alive turns;
    ``table[side, own, opponent's]`` the payoffs of the moves played (the opponent's
    executed move, ``own[t, opp_of[i]]``, not the one perceived)."""
    T, S = own.shape
    totals = np.zeros(S)
    coops = np.zeros(S, dtype=np.int64)
    for i in range(S):
        side = side_of[i]
        for t in range(min(T, alive_len[i])):
            a = own[t, i]
            totals[i] += table[side, a, own[t, opp_of[i]]]
            if a == 0:
                coops[i] += 1
    return totals, coops
