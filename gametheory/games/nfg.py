"""Reading and writing Gambit strategic-game (``.nfg``) files.

Both versions of the format are supported, as documented in Gambit's
``doc/formats.rst``: the *payoff* version (a flat list of payoffs, player 1's
strategy varying fastest) and the *outcome* version (a list of labelled
outcomes and one outcome number per contingency, 0 being the null outcome).
Strategies may be given as counts (``{ 3 2 }``) or as label lists
(``{ { "U" "D" } { "L" "R" } }``). Numbers may be integers, decimals or
rationals (``1/3``) and are read exactly, as Gambit does.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import IO

import numpy as np

from .._config import read_bytes
from .._files import write_atomic
from .._numbers import as_fraction
from ..errors import GameError, NFGFormatError, PayoffError
from .normal_form import Game, _unique

__all__ = ["read_nfg", "write_nfg"]

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?(/[+-]?\d+)?$")


@dataclass(frozen=True)
class _Token:
    kind: str  # "string", "lbrace", "rbrace", "word"
    text: str
    line: int


def _tokenize(text: str, path: str | None) -> list[_Token]:
    tokens: list[_Token] = []
    i, line, n = 0, 1, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
            i += 1
        elif ch.isspace() or ch == ",":
            i += 1
        elif ch == "{":
            tokens.append(_Token("lbrace", ch, line))
            i += 1
        elif ch == "}":
            tokens.append(_Token("rbrace", ch, line))
            i += 1
        elif ch == '"':
            start_line = line
            i += 1
            buf = []
            while True:
                if i >= n:
                    raise NFGFormatError("unterminated quoted string", path=path,
                                         line=start_line, token=None)
                c = text[i]
                if c == "\\" and i + 1 < n:
                    buf.append(text[i + 1])
                    i += 2
                    continue
                if c == '"':
                    i += 1
                    break
                if c == "\n":
                    line += 1
                buf.append(c)
                i += 1
            tokens.append(_Token("string", "".join(buf), start_line))
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '{}",':
                j += 1
            tokens.append(_Token("word", text[i:j], line))
            i = j
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Token], path: str | None):
        self.tokens = tokens
        self.pos = 0
        self.path = path

    def error(self, message: str, tok: _Token | None = None) -> NFGFormatError:
        if tok is None:
            tok = self.tokens[self.pos] if self.pos < len(self.tokens) else None
        if tok is None:
            last = self.tokens[-1].line if self.tokens else 1
            return NFGFormatError(message, path=self.path, line=last, token=None)
        shown = f'"{tok.text}"' if tok.kind == "string" else tok.text
        return NFGFormatError(message, path=self.path, line=tok.line, token=shown)

    def peek(self, offset: int = 0) -> _Token | None:
        k = self.pos + offset
        return self.tokens[k] if k < len(self.tokens) else None

    def take(self, kind: str, what: str) -> _Token:
        tok = self.peek()
        if tok is None or tok.kind != kind:
            raise self.error(f"expected {what}")
        self.pos += 1
        return tok

    def number(self, what: str) -> Fraction:
        tok = self.peek()
        if tok is None or tok.kind != "word" or not _NUMBER.match(tok.text):
            raise self.error(f"expected {what} (an integer, decimal or rational number)")
        self.pos += 1
        try:
            return as_fraction(tok.text)
        except (ValueError, ZeroDivisionError):
            raise self.error(f"invalid number for {what}", tok) from None

    def integer(self, what: str, minimum: int) -> int:
        tok = self.peek()
        if tok is None or tok.kind != "word" or not re.fullmatch(r"[+-]?\d+", tok.text):
            raise self.error(f"expected {what} (an integer)")
        value = int(tok.text)
        if value < minimum:
            raise self.error(f"{what} must be at least {minimum}")
        self.pos += 1
        return value

    def strings(self, what: str) -> list[str]:
        self.take("lbrace", f"'{{' opening the list of {what}")
        out = []
        while (tok := self.peek()) is not None and tok.kind == "string":
            out.append(tok.text)
            self.pos += 1
        self.take("rbrace", f"a quoted {what[:-1]} label or '}}'")
        return out


    def prologue(self, magic: str, version: str) -> tuple[str, list[str]]:
        """``MAGIC version R "title" { players }`` shared by .nfg and .efg; returns
        the title and player labels."""
        head = self.take("word", f"'{magic}' at the start of the file")
        if head.text != magic:
            raise self.error(f"expected '{magic}' at the start of the file", head)
        tok = self.take("word", f"version number {version}")
        if tok.text != version:
            raise self.error(f"unsupported .{magic.lower()} version; only version {version} "
                             "exists", tok)
        kind = self.take("word", "'R' (or the obsolete 'D')")
        if kind.text not in ("R", "D"):
            raise self.error("expected 'R' (or the obsolete 'D')", kind)
        title = self.take("string", "the quoted game title").text
        players = self.strings("players")
        if not players:
            raise self.error("a game needs at least one player")
        return title, players


def _parse(text: str, path: str | None) -> Game:
    p = _Parser(_tokenize(text, path), path)
    title, players = p.prologue("NFG", "1")
    n_players = len(players)

    # Strategies: either counts { 3 2 } or label lists { { "a" "b" } { "c" } }.
    p.take("lbrace", "'{' opening the strategy counts or labels")
    labels: list[list[str]] | None = None
    if (tok := p.peek()) is not None and tok.kind == "lbrace":
        labels = []
        for k in range(n_players):
            labels.append(p.strings(f"strategies of player {k + 1}s"))
            if not labels[-1]:
                raise p.error(f"player {k + 1} ({players[k]!r}) has no strategies")
        counts = [len(x) for x in labels]
    else:
        counts = [p.integer(f"number of strategies of player {k + 1}", 1)
                  for k in range(n_players)]
    p.take("rbrace", f"'}}' closing the strategies of {n_players} players")
    if (tok := p.peek()) is not None and tok.kind == "string":
        p.pos += 1  # optional comment
    n_cont = math.prod(counts)
    # every contingency needs at least one token (an outcome number or its payoffs):
    # a declared size larger than the file is refused before anything is allocated
    remaining = len(p.tokens) - p.pos
    if n_cont > remaining:
        raise p.error(f"the strategy counts {counts} declare {n_cont:,} contingencies, but "
                      f"only {remaining:,} tokens follow", p.tokens[p.pos - 1])

    flat = np.empty((n_cont, n_players), dtype=object)
    if (tok := p.peek()) is not None and tok.kind == "lbrace":  # outcome version
        p.pos += 1
        outcomes: list[list[Fraction]] = []
        while (tok := p.peek()) is not None and tok.kind == "lbrace":
            p.pos += 1
            if (t2 := p.peek()) is not None and t2.kind == "string":
                p.pos += 1
            pay = [p.number(f"payoff of player {k + 1} in outcome {len(outcomes) + 1}")
                   for k in range(n_players)]
            p.take("rbrace", f"'}}' closing outcome {len(outcomes) + 1} "
                             f"({n_players} payoffs expected)")
            outcomes.append(pay)
        p.take("rbrace", "'}' closing the outcome list")
        zero = [Fraction(0)] * n_players
        for c in range(n_cont):
            k = p.integer(f"outcome number for contingency {c + 1} of {n_cont}", 0)
            if k > len(outcomes):
                raise p.error(f"outcome number {k} does not exist (there are {len(outcomes)})",
                              p.tokens[p.pos - 1])
            flat[c] = outcomes[k - 1] if k else zero
    else:  # payoff version
        for c in range(n_cont):
            for k in range(n_players):
                flat[c, k] = p.number(f"payoff of player {k + 1} in contingency {c + 1} "
                                      f"of {n_cont}")
    if p.peek() is not None:
        raise p.error("unexpected data after the last payoff")
    # Player 1 varies fastest: Fortran order over the strategy axes.
    payoffs = np.empty((*counts, n_players), dtype=object)
    for k in range(n_players):
        payoffs[..., k] = flat[:, k].reshape(counts, order="F")
    try:
        return Game(payoffs, players=_unique(players, "Player"),
                    actions=[_unique(x, "") for x in labels] if labels else None, title=title)
    except PayoffError as exc:  # e.g. 1e400: exact, but no float holds it
        raise NFGFormatError(str(exc), path=path, line=0, token=None) from None


def read_nfg(source: str | os.PathLike | IO[str]) -> Game:
    """Read a Gambit ``.nfg`` file (payoff or outcome version).

    Parameters
    ----------
    source : path, file object, or the file's text
        A string containing a newline or starting with ``NFG`` is parsed as text.

    Returns
    -------
    Game
        With exact payoffs, the file's player and strategy labels and its title.

    Raises
    ------
    NFGFormatError
        Naming the file, line and offending token.

    References
    ----------
    The Gambit Project, "Game representation formats", ``doc/formats.rst``.

    Examples
    --------
    >>> g = read_nfg('NFG 1 R "Selten (IJGT, 75), Figure 2" { "Player 1" "Player 2" } '
    ...              '{ 3 2 } 1 1 0 2 0 2 1 1 0 3 2 0')
    >>> g.bimatrix[0].tolist()
    [[1.0, 1.0], [0.0, 0.0], [0.0, 2.0]]
    """
    path: str | None = None
    if hasattr(source, "read"):
        text = source.read()
        path = getattr(source, "name", None)
    elif isinstance(source, str) and ("\n" in source or source.lstrip().startswith("NFG")):
        text = source
    else:
        path = os.fspath(source)
        raw = read_bytes(path, _fail_for(path))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
    if not text.strip():
        raise NFGFormatError("the file is empty", path=path, line=1, token=None)
    return _parse(text, path)


def _fail_for(path: str):
    def fail(message: str, line: int | None = None):
        raise NFGFormatError(message, path=path, line=line or 0, token=None)
    return fail


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(x) -> str:
    if isinstance(x, Fraction):
        return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    xf = float(x)
    return str(int(xf)) if xf.is_integer() else repr(xf)


def write_nfg(game: Game, path: str | os.PathLike | None = None, *,
              version: str = "outcome") -> str:
    """Write a game in Gambit's ``.nfg`` format; return the text.

    Parameters
    ----------
    game : Game
    path : path, optional
        Where to write; the text is returned either way.
    version : {"outcome", "payoff"}
        The outcome version keeps strategy labels (Gambit's own choice when
        saving); the payoff version writes strategy counts and a flat list.

    Examples
    --------
    >>> from gametheory.games import prisoners_dilemma
    >>> print(write_nfg(prisoners_dilemma(), version="payoff").splitlines()[0])
    NFG 1 R "Prisoner's dilemma (R=3, S=0, T=5, P=1)" { "Player 1" "Player 2" } { 2 2 }
    """
    if version not in ("outcome", "payoff"):
        raise GameError(f"unknown .nfg version {version!r}; use 'outcome' or 'payoff'")
    values = game.exact_payoffs if game.exact_payoffs is not None else game.payoffs
    # ndindex over the reversed axes varies player 1 fastest, as the format requires.
    cont = [values[tuple(reversed(idx))] for idx in np.ndindex(*game.shape[::-1])]
    players = " ".join(_quote(p) for p in game.players)
    if version == "payoff":
        lines = [f"NFG 1 R {_quote(game.title)} {{ {players} }} "
                 f"{{ {' '.join(str(k) for k in game.shape)} }}", ""]
        lines.append(" ".join(_number(v) for c in cont for v in c) + " ")
    else:
        strategies = "\n".join("{ " + " ".join(_quote(a) for a in acts) + " }"
                               for acts in game.actions)
        lines = [f"NFG 1 R {_quote(game.title)} {{ {players} }}", "",
                 "{ " + strategies, "}", '""', "", "{"]
        for k, c in enumerate(cont):
            lines.append(f'{{ "{k + 1}" ' + ", ".join(_number(v) for v in c) + " }")
        lines.append("}")
        lines.append(" ".join(str(k + 1) for k in range(len(cont))) + " ")
    text = "\n".join(lines) + "\n"
    if path is not None:
        write_atomic(path, text)
    return text
