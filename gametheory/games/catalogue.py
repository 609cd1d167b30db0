"""Named games from the textbooks, and a small illustrative game of the embassy dispute.

All payoffs are exact integers (or the rationals given), so solvers verify
equilibria of these games in exact arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable
from numbers import Real

import numpy as np

from ..errors import PayoffError, UnknownNameError
from .normal_form import Game

__all__ = [
    "battle_of_the_sexes",
    "catalogue",
    "chicken",
    "embassy_dispute",
    "get_game",
    "matching_pennies",
    "prisoners_dilemma",
    "rock_paper_scissors",
    "stag_hunt",
]


def prisoners_dilemma(R: Real = 3, S: Real = 0, T: Real = 5, P: Real = 1, *,
                      players: tuple[str, str] = ("Player 1", "Player 2")) -> Game:
    """The prisoner's dilemma with reward R, sucker S, temptation T and punishment P.

    Parameters
    ----------
    R, S, T, P : real
        Payoffs with ``T > R > P > S`` (Axelrod's defaults 3, 0, 5, 1).

    Raises
    ------
    PayoffError
        If ``T > R > P > S`` does not hold.

    References
    ----------
    Axelrod, R. (1984). *The Evolution of Cooperation*. Basic Books.

    Examples
    --------
    >>> g = prisoners_dilemma()
    >>> g.pure_equilibria()
    [(1, 1)]
    """
    if not T > R > P > S:
        raise PayoffError(f"a prisoner's dilemma needs T > R > P > S; got T={T}, R={R}, "
                          f"P={P}, S={S}")
    A = np.array([[R, S], [T, P]], dtype=object)
    return Game.from_bimatrix(A, A.T, players=players,
                              actions=(("Cooperate", "Defect"),) * 2,
                              title=f"Prisoner's dilemma (R={R}, S={S}, T={T}, P={P})")


def chicken(win: Real = 1, lose: Real = -1, crash: Real = -10, tie: Real = 0) -> Game:
    """Chicken (hawk–dove): swerving against a straight driver loses face, both straight crash.

    Examples
    --------
    >>> sorted(chicken().pure_equilibria())
    [(0, 1), (1, 0)]
    """
    A = np.array([[tie, lose], [win, crash]], dtype=object)
    return Game.from_bimatrix(A, A.T, actions=(("Swerve", "Straight"),) * 2, title="Chicken")


def stag_hunt(stag: Real = 4, hare: Real = 3, alone: Real = 0) -> Game:
    """Stag hunt: hunting stag pays only if the other hunts stag too.

    Examples
    --------
    >>> stag_hunt().pure_equilibria()
    [(0, 0), (1, 1)]
    """
    A = np.array([[stag, alone], [hare, hare]], dtype=object)
    return Game.from_bimatrix(A, A.T, actions=(("Stag", "Hare"),) * 2, title="Stag hunt")


def battle_of_the_sexes() -> Game:
    """Battle of the sexes: coordinate, but each prefers a different meeting place.

    Examples
    --------
    >>> battle_of_the_sexes().pure_equilibria()
    [(0, 0), (1, 1)]
    """
    A = [[3, 0], [0, 2]]
    B = [[2, 0], [0, 3]]
    return Game.from_bimatrix(A, B, actions=(("Opera", "Football"),) * 2,
                              title="Battle of the sexes")


def matching_pennies() -> Game:
    """Matching pennies: zero-sum, unique equilibrium in mixed strategies.

    Examples
    --------
    >>> matching_pennies().pure_equilibria()
    []
    """
    return Game.zero_sum([[1, -1], [-1, 1]], actions=(("Heads", "Tails"),) * 2,
                         title="Matching pennies")


def rock_paper_scissors() -> Game:
    """Rock–paper–scissors: zero-sum, uniform play is the unique equilibrium.

    Examples
    --------
    >>> rock_paper_scissors().shape
    (3, 3)
    """
    A = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
    return Game.zero_sum(A, actions=(("Rock", "Paper", "Scissors"),) * 2,
                         title="Rock-paper-scissors")


def embassy_dispute(*, mission_value: tuple[Real, Real] = (3, 2),
                    concession_cost: tuple[Real, Real] = (3, 4),
                    resolve_value: tuple[Real, Real] = (1, 1)) -> Game:
    """An illustrative stage game of the 2016–2022 US–Russia embassy dispute.

    Each side chooses ``Zero all`` (lift every restriction it imposed, Lavrov's
    "zero all these restrictions"), ``Hold`` (keep the restrictions in place) or
    ``Retaliate`` (a commensurate new restriction: expel n for n, close a
    facility). The payoff of side *i* is::

        u_i = v_i * m(a_j) + r_i * [a_i = Retaliate] - c_i * [a_i = Zero all, a_j != Zero all]

    where ``m`` is the effect of the other side's move on *i*'s mission
    (+1 when restrictions are lifted, 0 when held, -1 under new restrictions),
    ``v_i`` the value of a functioning mission, ``r_i`` the domestic value of
    showing resolve and ``c_i`` the cost of being seen to concede alone.
    The defaults are illustrative, not calibrated: the US mission was the larger
    (about 1,200 staff in early 2017 against roughly 400 Russian diplomats in the
    US), hence ``v = (3, 2)``. With these defaults the game is a three-level
    prisoner's dilemma: ``Retaliate`` strictly dominates, mutual retaliation is
    the unique equilibrium, and mutual ``Zero all`` is better for both.

    Parameters
    ----------
    mission_value, concession_cost, resolve_value : pair of real
        ``(US, Russia)`` values of ``v``, ``c`` and ``r``.

    Examples
    --------
    >>> g = embassy_dispute()
    >>> [tuple(g.actions[i][a] for i, a in enumerate(p)) for p in g.pure_equilibria()]
    [('Retaliate', 'Retaliate')]
    >>> g.payoff(("Zero all", "Zero all")), g.payoff(("Retaliate", "Retaliate"))
    (array([3., 2.]), array([-2., -1.]))
    """
    effect = {0: 1, 1: 0, 2: -1}  # Zero all, Hold, Retaliate
    arrays = []
    for i in range(2):
        u = np.empty((3, 3), dtype=object)
        for a_us in range(3):
            for a_ru in range(3):
                own, other = (a_us, a_ru) if i == 0 else (a_ru, a_us)
                value = mission_value[i] * effect[other]
                value += resolve_value[i] * (own == 2)
                value -= concession_cost[i] * (own == 0 and other != 0)
                u[a_us, a_ru] = value
        arrays.append(u)
    return Game.from_bimatrix(arrays[0], arrays[1], players=("US", "Russia"),
                              actions=(("Zero all", "Hold", "Retaliate"),) * 2,
                              title="Embassy dispute stage game (illustrative)")


catalogue: dict[str, Callable[..., Game]] = {
    "prisoners_dilemma": prisoners_dilemma,
    "chicken": chicken,
    "stag_hunt": stag_hunt,
    "battle_of_the_sexes": battle_of_the_sexes,
    "matching_pennies": matching_pennies,
    "rock_paper_scissors": rock_paper_scissors,
    "embassy_dispute": embassy_dispute,
}


def get_game(name: str, **params: Real) -> Game:
    """A named game from :data:`catalogue` (``-`` and ``_`` are interchangeable).

    Raises
    ------
    UnknownNameError
        Listing the valid names.

    Examples
    --------
    >>> get_game("stag-hunt").title
    'Stag hunt'
    """
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    if key not in catalogue:
        raise UnknownNameError("game", name, catalogue)
    return catalogue[key](**params)
