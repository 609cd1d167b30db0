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
from dataclasses import dataclass

__all__ = [
    "DegenerateGameWarning",
    "DiscountFactorError",
    "EventFileError",
    "EventIssue",
    "GameError",
    "GameTooLargeError",
    "GameTreeError",
    "IncompleteResultWarning",
    "InputLimitError",
    "IterationLimitError",
    "LabelError",
    "NFGFormatError",
    "ParameterError",
    "PayoffError",
    "ProfileError",
    "RepeatedGameError",
    "ReportError",
    "SequenceTooShortError",
    "ShapeError",
    "SmallSampleWarning",
    "SolverError",
    "SpecError",
    "StrategyError",
    "StrategyTimeoutError",
    "SweepError",
    "SweepWarning",
    "TransitionError",
    "UnknownNameError",
    "VerificationWarning",
]


class GameError(Exception):
    """Base class of every error gametheory raises for bad input or failed solving."""

    def __reduce__(self):
        # an error raised in a worker process reaches the caller intact whatever the
        # subclass's __init__ takes (ParameterError's ``key``, EventFileError's issues):
        # rebuilt from its arguments and attributes, not by calling __init__ again
        return (_rebuild_error, (type(self), self.args, dict(self.__dict__)))


def _rebuild_error(cls, args: tuple, state: dict) -> GameError:
    err = cls.__new__(cls)
    Exception.__init__(err, *args)
    err.__dict__.update(state)
    return err


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
        if not line:  # a problem with the file as a whole (unreadable, too deep, ...)
            super().__init__(f"{path or '<string>'}: {message}")
            return
        where = f"{path or '<string>'}, line {line}"
        got = "end of file" if token is None else repr(token)
        super().__init__(f"{where}: {message} (found {got})")


@dataclass(frozen=True)
class EventIssue:
    """One problem in an event file: where it is and what is wrong."""

    path: str | None
    line: int | None
    record: int | None
    field: str | None
    value: object
    message: str

    def __str__(self) -> str:
        where = [self.path or "<data>"]
        if self.line is not None:
            where.append(f"line {self.line}")
        elif self.record is not None:
            where.append(f"record {self.record}")
        if self.field:
            where.append(f"field {self.field!r}")
        shown = "" if self.value is None else f", value {self.value!r}"
        return f"{', '.join(where)}{shown}: {self.message}"


class EventFileError(GameError, ValueError):
    """An event file (or table) failed validation. All problems are reported at once.

    Attributes
    ----------
    issues : list of EventIssue
        Every problem found, in file order.
    path, line, field, value
        Those of the first issue.
    """

    #: At most this many issues are spelled out in the message (all are in ``issues``).
    SHOWN = 25

    def __init__(self, issues: list[EventIssue]):
        self.issues = list(issues)
        first = self.issues[0]
        self.path, self.line, self.field, self.value = (first.path, first.line, first.field,
                                                        first.value)
        lines = [str(i) for i in self.issues[:self.SHOWN]]
        more = len(self.issues) - self.SHOWN
        if more > 0:
            lines.append(f"... and {more} more problem(s)")
        head = (f"{first.path or '<data>'}: {len(self.issues)} problem(s)"
                if len(self.issues) > 1 else "")
        super().__init__("\n  ".join([head, *lines]) if head else lines[0])


class ParameterError(GameError, ValueError):
    """A model parameters file (or mapping) is invalid: an unknown key, a missing
    value or an impossible one (a negative discount, a probability outside [0, 1]).

    Attributes
    ----------
    path : str or None
        The file, when read from disk.
    key : str
        Dotted path of the offending key, e.g. ``utility.USA.concession_cost``.
    line : int or None
        1-based line of the key in the file, when known.
    """

    def __init__(self, message: str, *, key: str, path: str | None = None,
                 line: int | None = None):
        self.path, self.key, self.line = path, key, line
        where = path or "<parameters>"
        if line is not None:
            where += f", line {line}"
        super().__init__(f"{where}, key {key!r}: {message}")


class SpecError(GameError, ValueError):
    """A sweep spec is invalid: an unknown key, an impossible value, an unknown
    strategy or game. Raised before any work starts.

    Attributes
    ----------
    reason : str
        What is wrong.
    key : str
        Dotted path of the offending key, e.g. ``grid.noise``.
    path : str or None
        The spec file, when read from disk.
    line : int or None
        1-based line of the key in the file, when known.
    """

    def __init__(self, reason: str, *, key: str, path: str | None = None,
                 line: int | None = None):
        self.reason, self.key, self.path, self.line = reason, key, path, line
        where = path or "<spec>"
        if line is not None:
            where += f", line {line}"
        super().__init__(f"{where}, key {key!r}: {reason}")


class SweepError(GameError, RuntimeError):
    """A sweep cannot run: its output folder holds another sweep, or a scheduler
    cannot be reached."""


class ReportError(GameError, OSError):
    """A report cannot be written where asked: the output is a file, holds someone
    else's files (without ``overwrite``), or is not writable."""


class SequenceTooShortError(GameError, ValueError):
    """An event sequence has too few moves of a side to calibrate or fit a model."""


class SolverError(GameError, RuntimeError):
    """A solver cannot handle this game (wrong number of players, infeasible LP, ...)."""


class IterationLimitError(SolverError):
    """An iterative method reached its iteration cap without finishing.

    Raised instead of looping forever (e.g. Lemke–Howson on a game whose
    path is longer than ``max_iter`` pivots).
    """


class InputLimitError(GameError, ValueError):
    """An input is larger than this package will allocate or compute: a declared
    dimension, a grid of points, a number of turns, an exponent, a nesting depth.

    Raised *before* any memory is allocated; the message names the limit and,
    where there is one, the setting or method that handles bigger inputs.
    """


class GameTooLargeError(SolverError, InputLimitError):
    """A single-game solver would exceed its budget of bases (memory and time) on
    this game; the message names the alternatives (``solve_many``, which has a
    compiled path, or ``method="lemke_howson"`` for one equilibrium)."""


class StrategyError(GameError, ValueError):
    """A strategy misbehaved or does not fit the game (illegal action, wrong game, bad
    parameters, an exception or ``sys.exit`` inside its decision)."""


class StrategyTimeoutError(StrategyError, TimeoutError):
    """A strategy's decision did not return within the time limit (``decide_timeout``)."""


class GameTreeError(GameError, ValueError):
    """A game tree is malformed (cycle, missing payoffs, inconsistent information set, ...).

    The message names the node or information set.
    """


class RepeatedGameError(GameError, ValueError):
    """A repeated game or one of its inputs is invalid (discount factor, stage game)."""


class DiscountFactorError(ProfileError, RepeatedGameError):
    """A discount factor outside (0, 1) (or (0, 1] for a finite match): one error type for
    every place that takes one (a ``ProfileError`` and a ``RepeatedGameError``)."""


class TransitionError(GameError, ValueError):
    """Transition probabilities of a stochastic game are invalid (negative, not finite, a
    row not summing to one); the message names the state and the action profile."""


class DegenerateGameWarning(UserWarning):
    """The game is degenerate: equilibria may not be isolated.

    Solvers still return every extreme equilibrium; see
    :func:`gametheory.is_degenerate` for the certificate.
    """


class IncompleteResultWarning(UserWarning):
    """A method could not find or certify every equilibrium by itself; the message
    says what was missing and how the result was completed or qualified."""


class SmallSampleWarning(UserWarning):
    """An estimate or verdict rests on very few observations (the message says how few
    and the threshold); it is computed anyway."""


class SweepWarning(UserWarning):
    """A sweep found something to repair (a truncated part from a killed run, which is
    run again) and says what."""


class VerificationWarning(UserWarning):
    """A solver produced a candidate that failed verification and was dropped.

    The dropped candidates are listed in ``EquilibriumResult.rejected``.
    """
