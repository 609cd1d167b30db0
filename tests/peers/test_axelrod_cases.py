"""Known move sequences from Axelrod's published strategy tests, re-played here with our
own strategies (``axelrod/tests/strategies/test_grudger.py`` and ``test_titfortat.py``
of https://github.com/Axelrod-Python/Axelrod). Axelrod's ``MockPlayer(actions)``
repeats its list of actions; our ``Cycler(pattern)`` does the same.

Convention: Axelrod writes ``(C, D)`` pairs; here each case gives our player's moves
and the opponent's pattern, with 0 = C and 1 = D.
"""

from __future__ import annotations

import pytest

import gametheory as gt
import gametheory.strategies as gs

GRUDGE_D = [1, 1, 1, 1, 0, 0]


def _moves(player, opponent, turns):
    return gt.play(player, opponent, turns=turns).actions[:, 0].tolist()


@pytest.mark.parametrize(("player", "opponent", "expected"), [
    # TestGrudger.test_strategy
    (gs.GrimTrigger(), gs.Cooperator(), [0] * 20),
    (gs.GrimTrigger(), gs.Defector(), [0] + [1] * 20),
    (gs.GrimTrigger(), gs.Cycler("C" * 10 + "D" + "C" * 20), [0] * 11 + [1] * 20),
    # TestSoftGrudger.test_strategy: a defection during the last C of the punishment
    # starts the next punishment at once
    (gs.SoftGrudger(), gs.Cooperator(), [0] * 20),
    (gs.SoftGrudger(), gs.Defector(), [0] + GRUDGE_D * 5),
    (gs.SoftGrudger(), gs.Cycler("C" * 10 + "D"),
     [0] * 11 + ([1, 1, 1, 1, 0, 0] + [0] * 4 + [0]) * 5),
    # TestTitForTat.test_strategy (the opening and the echo)
    (gs.TitForTat(), gs.Cooperator(), [0] * 10),
    (gs.TitForTat(), gs.Defector(), [0] + [1] * 9),
    (gs.TitForTat(), gs.Alternator(), [0, 0, 1, 0, 1, 0, 1, 0]),
])
def test_axelrod_versus_cases(player, opponent, expected):
    assert _moves(player, opponent, len(expected)) == expected
