"""Exceptions and warnings raised by gametheory.

Every error caused by bad input is a subclass of :class:`GameError`, so one
``except GameError`` catches them all, while the subclasses say what kind of
input was wrong. Messages name what is wrong and where (player, action,
file, line, token).

Where it helps, the subclasses also derive from the built-in exception a
caller would expect (``ValueError`` for bad values, ``KeyError`` for an
unknown name), so code written against plain Python keeps working.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "DegenerateGameWarning",
    "GameError",
    "IterationLimitError",
    "LabelError",
    "NFGFormatError",
    "PayoffError",
    "ProfileError",
    "ShapeError",
    "SolverError",
    "UnknownNameError",
    "VerificationWarning",
]


class GameError(Exception):
    """Base class of every error gametheory raises for bad input or failed solving."""


class ShapeError(GameError, ValueError):
    """An array has the wrong shape: ragged, mismatched between players, or empty."""


class LabelError(GameError, ValueError):
    """Player or action labels are invalid: wrong count, duplicated or not strings."""


class PayoffError(GameError, ValueError):
    """A payoff is not a finite real number (NaN, infinite, complex, not numeric)."""


class ProfileError(GameError, ValueError):
    """A strategy profile is invalid: wrong length, negative probabilities, not summing to one."""


class UnknownNameError(GameError, KeyError):
    """A name (method, game, strategy, action label) is not known.

    The message lists the valid names and the closest matches.
    """

    def __init__(self, kind: str, name: object, valid: Iterable[str]):
        self.kind = kind
        self.name = name
        self.valid = sorted(valid)
        text = str(name).lower()
        close = difflib.get_close_matches(text, self.valid, n=3, cutoff=0.5)
        close += [v for v in self.valid if v not in close and len(text) >= 3
                  and (v.lower().startswith(text[:3]) or text in v.lower())][:3]
        hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        message = f"unknown {kind} {name!r}.{hint} Valid: {', '.join(self.valid)}."
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0])


class NFGFormatError(GameError, ValueError):
    """A Gambit ``.nfg`` file is malformed.

    Attributes
    ----------
    path : str or None
        The file, when read from disk.
    line : int
        1-based line of the offending token.
    token : str or None
        The offending token as it appears in the file (None at end of file).
    """

    def __init__(self, message: str, *, path: str | None = None, line: int = 0,
                 token: str | None = None):
        self.path = path
        self.line = line
        self.token = token
        where = f"{path or '<string>'}, line {line}"
        got = "end of file" if token is None else repr(token)
        super().__init__(f"{where}: {message} (found {got})")


class SolverError(GameError, RuntimeError):
    """A solver cannot handle this game (wrong number of players, infeasible LP, ...)."""


class IterationLimitError(SolverError):
    """An iterative method reached its iteration cap without finishing.

    Raised instead of looping forever (e.g. Lemke–Howson on a game whose
    path is longer than ``max_iter`` pivots).
    """


class DegenerateGameWarning(UserWarning):
    """The game is degenerate: equilibria may not be isolated.

    Solvers still return every extreme equilibrium; see
    :func:`gametheory.is_degenerate` for the certificate.
    """


class VerificationWarning(UserWarning):
    """A solver produced a candidate that failed verification and was dropped.

    The dropped candidates are listed in ``EquilibriumResult.rejected``.
    """
