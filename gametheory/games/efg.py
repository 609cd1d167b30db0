"""Reading and writing Gambit extensive-game (``.efg``) files.

The format (Gambit ``doc/formats.rst``): a prologue ``EFG 2 R "title" { players }``
and an optional comment, then the nodes in prefix order, one of

* ``p "name" player infoset ["infoset name" { "action" ... }] outcome ["name" { payoffs }]``
* ``c "name" infoset ["infoset name" { "action" prob ... }] outcome [...]``
* ``t "name" outcome ["name" { payoffs }]``

where descriptions of an information set or outcome seen before may be
omitted, outcome 0 is the null outcome, and outcomes at non-terminal nodes add
to the payoffs of every terminal node below them.
"""

from __future__ import annotations

import os
from fractions import Fraction
from typing import IO

from .._config import read_bytes
from .._files import write_atomic
from ..errors import NFGFormatError
from .extensive import MAX_TREE_DEPTH, GameTree, GameTreeError
from .nfg import _fail_for, _Parser, _quote, _tokenize

__all__ = ["read_efg", "write_efg"]


def _payoffs(p: _Parser, n: int, what: str) -> list[Fraction]:
    p.take("lbrace", f"'{{' opening the payoffs of {what}")
    vals = [p.number(f"payoff of player {k + 1} in {what}") for k in range(n)]
    p.take("rbrace", f"'}}' closing the payoffs of {what} ({n} expected)")
    return vals


def _parse(text: str, path: str | None) -> GameTree:
    p = _Parser(_tokenize(text, path), path)
    title, players = p.prologue("EFG", "2")
    n = len(players)
    if (tok := p.peek()) is not None and tok.kind == "string":
        p.pos += 1
    infosets: dict[tuple, tuple[str, list]] = {}
    outcomes: dict[int, list[Fraction]] = {0: [Fraction(0)] * n}
    counter = [0]
    nodes: list[dict] = []

    def outcome() -> list[Fraction]:
        k = p.integer("outcome number", 0)
        if (tok := p.peek()) is not None and tok.kind == "string":
            p.pos += 1
            outcomes[k] = _payoffs(p, n, f"outcome {k}")
        if k not in outcomes:
            raise p.error(f"outcome {k} is used before its payoffs are given",
                          p.tokens[p.pos - 1])
        return outcomes[k]

    def node(acc: list[Fraction]) -> str:
        tok = p.take("word", "a node type: p, c or t")
        ident = f"n{counter[0]}"
        counter[0] += 1
        label = p.take("string", "the quoted node name").text
        if tok.text == "t":
            pay = outcome()
            nodes.append({"id": ident, "kind": "terminal", "label": label,
                          "payoffs": [a + b for a, b in zip(acc, pay, strict=True)]})
            return ident
        if tok.text == "p":
            player = p.integer("player number", 1)
            if player > n:
                raise p.error(f"player {player} does not exist ({n} players)",
                              p.tokens[p.pos - 1])
            key = (player, p.integer("information set number", 1))
        elif tok.text == "c":
            key = (0, p.integer("information set number", 1))
        else:
            raise p.error("expected a node type: p, c or t", tok)
        if (t2 := p.peek()) is not None and t2.kind == "string":
            name = p.take("string", "information set name").text
            p.take("lbrace", "'{' opening the actions")
            actions = []
            while (t3 := p.peek()) is not None and t3.kind == "string":
                a = p.take("string", "action").text
                prob = p.number(f"probability of {a!r}") if key[0] == 0 else None
                actions.append((a, prob))
            p.take("rbrace", "'}' closing the actions")
            if not actions:
                raise p.error("an information set needs at least one action")
            infosets.setdefault(key, (name, actions))
        if key not in infosets:
            raise p.error(f"information set {key[1]} of player {key[0]} is used before its "
                          "actions are given", p.tokens[p.pos - 1])
        pay = outcome()
        here = [a + b for a, b in zip(acc, pay, strict=True)]
        entry = {"id": ident, "label": label, "key": key, "children": []}
        nodes.append(entry)
        for _ in infosets[key][1]:
            entry["children"].append(node(here))
        entry["kind"] = "chance" if key[0] == 0 else "decision"
        return ident

    try:
        root = node([Fraction(0)] * n)
    except RecursionError:
        raise NFGFormatError(f"the tree is nested deeper than this reader's limit "
                             f"(about {MAX_TREE_DEPTH} moves)", path=path, line=0,
                             token=None) from None
    if p.peek() is not None:
        raise p.error("unexpected data after the last node")
    tree = GameTree(players=_unique(players), title=title)
    by_id = {e["id"]: e for e in nodes}

    def emit(ident: str) -> None:
        e = by_id[ident]
        if e["kind"] == "terminal":
            tree.terminal(ident, e["payoffs"])
            tree.graph.nodes[ident]["label"] = e["label"]
            return
        name, actions = infosets[e["key"]]
        # actions by position: Gambit allows two actions of a node to share a label
        if e["kind"] == "chance":
            tree.chance(ident, outcomes=[(a, c, prob) for (a, prob), c in
                                         zip(actions, e["children"], strict=True)])
        else:
            tree.decision(ident, player=e["key"][0] - 1,
                          actions=[(a, c) for (a, _), c in zip(actions, e["children"],
                                                               strict=True)],
                          infoset=f"{e['key'][0]}:{e['key'][1]}")
            tree.graph.nodes[ident]["infoset_label"] = name
        tree.graph.nodes[ident]["label"] = e["label"]
        for c in e["children"]:
            emit(c)

    try:
        emit(root)
        tree.validate()
    except GameTreeError as exc:
        raise NFGFormatError(f"not a valid game tree: {exc}", path=path, line=1,
                             token=None) from None
    return tree


def _unique(names: list[str]) -> list[str]:
    out: list[str] = []
    for k, nm in enumerate(names):
        nm = nm or f"Player {k + 1}"
        while nm in out:
            nm += "'"
        out.append(nm)
    return out


def read_efg(source: str | os.PathLike | IO[str]) -> GameTree:
    """Read a Gambit ``.efg`` file into a :class:`GameTree` (exact payoffs).

    Errors (:class:`~gametheory.errors.NFGFormatError`, the format-error type of
    both Gambit formats) name the file, line and token.
    """
    path: str | None = None
    if hasattr(source, "read"):
        text = source.read()
        path = getattr(source, "name", None)
    elif isinstance(source, str) and ("\n" in source or "{" in source):
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


def _num(x) -> str:
    f = Fraction(x)
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def write_efg(tree: GameTree, path: str | os.PathLike | None = None) -> str:
    """Write a :class:`GameTree` as a Gambit ``.efg`` file; return the text."""
    import networkx as nx

    tree.validate()
    g = tree.graph
    numbers: dict[tuple, int] = {}
    written: set[tuple] = set()
    lines = [f"EFG 2 R {_quote(tree.title)} {{ " + " ".join(_quote(p) for p in tree.players)
             + " }", '""', ""]
    outcome_no = 0
    for n in nx.dfs_preorder_nodes(g, tree.root):
        d = g.nodes[n]
        kids = tree.children(n)
        if d["kind"] == "terminal":
            outcome_no += 1
            pay = ", ".join(_num(v) for v in d["payoffs"])
            lines.append(f't "" {outcome_no} "" {{ {pay} }}')
            continue
        if d["kind"] == "chance":
            key = ("c", n)
            numbers.setdefault(key, len([k for k in numbers if k[0] == "c"]) + 1)
            acts = " ".join(f"{_quote(g.edges[n, k]['action'])} {_num(g.edges[n, k]['prob'])}"
                            for k in kids)
            lines.append(f'c "" {numbers[key]} "" {{ {acts} }} 0')
            continue
        key = (d["player"], d["infoset"])
        numbers.setdefault(key, len([k for k in numbers if k[0] == d["player"]]) + 1)
        desc = ""
        if key not in written:
            written.add(key)
            acts = " ".join(_quote(a) for a in d["actions"])
            desc = f' {_quote(str(d["infoset"]))} {{ {acts} }}'
        # children are stored in the information set's action order (see GameTree.decision)
        lines.append(f'p "" {d["player"] + 1} {numbers[key]}{desc} 0')
    text = "\n".join(lines) + "\n"
    if path is not None:
        write_atomic(path, text)
    return text
