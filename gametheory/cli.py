"""The ``gametheory`` command line (typer).

    gametheory solve FILE.nfg [--method M] [--format table|csv|json] [--exact]
    gametheory solve --game prisoners_dilemma
    gametheory analyze [us-russia] [--out DIR]
"""

from __future__ import annotations

import json
import sys
import warnings
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .errors import DegenerateGameWarning, GameError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Games from retaliation sequences, and verified equilibria.")


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)


def result_to_json(result) -> dict:
    """A JSON-ready description of an EquilibriumResult (exact values as strings)."""
    def value(v):
        return str(v) if not isinstance(v, float) else v

    return {
        "method": result.method,
        "guarantee": result.guarantee,
        "degenerate": result.degenerate,
        "elapsed_s": result.elapsed_s,
        "game_digest": result.game_digest,
        "players": list(result.game.players),
        "equilibria": [
            {"strategies": {s.player: {a: value(p) for a, p in zip(s.actions, s.values,
                                                                   strict=True)}
                            for s in eq.strategies},
             "payoffs": [float(v) for v in eq.payoffs],
             "verified": eq.verified,
             "component": eq.component}
            for eq in result.equilibria
        ],
        "rejected": [r.reason for r in result.rejected],
    }


@app.command()
def solve(
    file: Annotated[Path | None, typer.Argument(help="A Gambit .nfg file.")] = None,
    game: Annotated[str | None, typer.Option(help="A named game instead of a file, "
                                                  "e.g. prisoners_dilemma.")] = None,
    method: Annotated[str | None, typer.Option(help="Solver (default: vertex_enumeration "
                                                    "for 2 players, pure otherwise).")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] =
        OutputFormat.table,
    exact: Annotated[bool, typer.Option(help="Exact rational output.")] = False,
) -> None:
    """Solve a game and print its verified equilibria."""
    from .games import get_game, read_nfg
    from .solvers import solve as solve_game

    try:
        if (file is None) == (game is None):
            _fail("give either an .nfg FILE or --game NAME")
        g = read_nfg(file) if file is not None else get_game(game)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DegenerateGameWarning)
            result = solve_game(g, method=method, **({"exact": True} if exact else {}))
    except GameError as exc:
        _fail(str(exc))
        return
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(result_to_json(result), indent=2))
    elif fmt is OutputFormat.csv:
        typer.echo(result.to_frame().to_csv(index=False), nl=False)
    else:
        typer.echo(str(g))
        typer.echo("")
        typer.echo(repr(result))
        for w in caught:
            typer.echo(f"note: {w.message}", err=True)


@app.command()
def analyze(
    model: Annotated[str, typer.Argument(help="The model to analyse.")] = "us-russia",
    out: Annotated[Path, typer.Option(help="Folder for the HTML report and tables.")] =
        Path("gametheory-report"),
) -> None:
    """Analyse the shipped model and write an HTML report."""
    from .analysis_job import run_analysis

    try:
        summary, path = run_analysis(model, out)
    except GameError as exc:
        _fail(str(exc))
        return
    typer.echo(summary)
    typer.echo(f"\nreport: {path}")


def main() -> None:
    """Entry point of the console script."""
    app(prog_name="gametheory")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
