"""The ``gametheory`` command line (typer).

    gametheory solve FILE.nfg [--method M] [--format table|csv|json] [--exact]
    gametheory solve --game prisoners_dilemma
    gametheory analyze [us-russia] [--out DIR]
    gametheory sweep SPEC [--resume] [--workers N | --scheduler ADDR | --dask-local N]
    gametheory sweep-schema
"""

from __future__ import annotations

import json
import sys
import warnings
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ._files import atomic_path
from .errors import DegenerateGameWarning, GameError

# Plain click help (rich_markup_mode=None): flags read as flags ("--exact",
# "--progress / --no-progress"), not "<bool>", and "\b" keeps example blocks as written.
app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Games from retaliation sequences, and verified equilibria.\n\n"
                       "\b\nExamples:\n"
                       "  gametheory analyze us-russia --out gametheory-report\n"
                       "  gametheory solve --game prisoners_dilemma\n"
                       "  gametheory events validate my_sequence.csv")


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"gametheory {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, metavar="",
        help="Print the version and exit.")] = False) -> None:
    """Games from retaliation sequences, and verified equilibria."""


def _solve_help() -> str:
    from .games.catalogue import catalogue
    from .solvers.dispatch import METHODS

    return ("Solve a game and print its verified equilibria.\n\n"
            "\b\nMethods (--method):\n  " + "\n  ".join(METHODS) + "\n\n"
            "\b\nNamed games (--game):\n  " + "\n  ".join(catalogue) + "\n\n"
            "\b\nExamples:\n"
            "  gametheory solve game.nfg\n"
            "  gametheory solve --game battle_of_the_sexes --exact --format json\n"
            "  gametheory solve game.nfg --method lemke_howson")


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


@app.command(help=_solve_help())
def solve(
    file: Annotated[Path | None, typer.Argument(help="A Gambit .nfg file.")] = None,
    game: Annotated[str | None, typer.Option(help="A named game instead of a file, "
                                                  "e.g. prisoners_dilemma.")] = None,
    method: Annotated[str | None, typer.Option(help="Solver (default: vertex_enumeration "
                                                    "for 2 players, pure otherwise).")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] =
        OutputFormat.table,
    exact: Annotated[bool, typer.Option("--exact", metavar="",
                                        help="Exact rational output.")] = False,
) -> None:
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
    model: Annotated[str, typer.Argument(
        help="A shipped model's name, a model folder (events.csv and parameters.yaml) or "
             "an events file (with --parameters).")] = "us-russia",
    out: Annotated[Path, typer.Option(help="Folder for the HTML report and tables.")] =
        Path("gametheory-report"),
    parameters: Annotated[Path | None, typer.Option(
        help="The parameters file (players, levels, weights) of an events file; for a "
             "folder or shipped model it replaces the model's own.")] = None,
    repetitions: Annotated[int, typer.Option(help="Scenario matches per case.")] = 200,
    turns: Annotated[int, typer.Option(help="Turns per scenario match.")] = 40,
    draws: Annotated[int, typer.Option(
        help="Prior draws of the posterior over the weights (the verdict probabilities).")]
        = 256,
    progress: Annotated[bool, typer.Option(help="Show progress on standard error.")] = True,
    overwrite: Annotated[bool, typer.Option("--overwrite", metavar="",
                                            help="Write into a folder that holds other "
                                            "files (they are kept; same-named ones are "
                                            "replaced).")] = False,
) -> None:
    """Analyse a model (shipped, a folder, or an events file) and write an HTML report.

    \b
    Examples:
      gametheory analyze us-russia --out gametheory-report --repetitions 50
      gametheory analyze czech-russia-2021 --out r
      gametheory analyze my_events.csv --parameters my.yaml --out r
    """
    from .display.analyze import run_analysis

    if progress:
        from .solvers import compile_notice

        notice = compile_notice()
        if notice:
            typer.echo(f"note: {notice}", err=True)

    import warnings

    from .errors import SmallSampleWarning

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", SmallSampleWarning)
            summary, path = run_analysis(model, out, repetitions=repetitions, turns=turns,
                                         progress=progress, overwrite=overwrite,
                                         parameters=parameters, draws=draws)
    except GameError as exc:
        _fail(str(exc))
        return
    typer.echo(summary)
    typer.echo(f"\nreport: {path}")
    for text in dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught):
        typer.echo(f"note: {text}", err=True)


@app.command("new-model")
def new_model(
    folder: Annotated[Path, typer.Argument(help="Folder for the new model.")],
    events: Annotated[Path, typer.Option(help="The events file (CSV, JSON or YAML) of the "
                                              "dispute.")],
    players: Annotated[str | None, typer.Option(
        help="The two players as actor codes, A,B (default: the two most active).")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", metavar="",
                                            help="Replace an existing parameters.yaml.")]
        = False,
) -> None:
    """Start a model of your own dispute: a commented parameters template.

    Writes FOLDER/parameters.yaml (players detected from the events, dates, levels sized
    from the record's expulsions, the coding options and priors at the shipped defaults,
    the utility weights left as TODO) and copies the events in as FOLDER/events.csv.
    Fill in the TODOs, then analyse the folder.

    \b
    Example:
      gametheory new-model my_dispute --events my_events.csv
      gametheory analyze my_dispute --out my_report
    """
    from .analysis.template import write_model

    pair = None if players is None else [p.strip() for p in players.split(",")]
    try:
        path = write_model(folder, events, players=pair, overwrite=overwrite)
    except GameError as exc:
        _fail(str(exc))
        return
    todo = path.read_text(encoding="utf-8").count(": TODO")
    typer.echo(f"wrote {path} ({todo} TODO values to fill in: the utility weights) and "
               f"{path.parent / 'events.csv'}\nnext: edit {path}, then `gametheory analyze "
               f"{folder}`")


@app.command()
def sweep(
    spec: Annotated[Path, typer.Argument(help="Sweep spec (.yaml, .toml or .json).")],
    resume: Annotated[bool, typer.Option("--resume", metavar="",
                                         help="Continue a sweep: skip finished batches.")]
        = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", metavar="",
                                            help="Discard earlier results in the output "
                                                 "folder.")] = False,
    workers: Annotated[int | None, typer.Option(help="Local processes (default: one per "
                                                     "core; 1 runs in-process).")] = None,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address, e.g. "
                                                       "tcp://host:8786.")] = None,
    dask_local: Annotated[int | None, typer.Option(help="Start a Dask LocalCluster with N "
                                                        "worker processes.")] = None,
    out: Annotated[Path | None, typer.Option(help="Output folder (overrides the spec's).")]
        = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar on standard error.")]
        = True,
) -> None:
    """Run a parameter sweep; results go to Parquet part files in the output folder.

    \b
    Examples:
      gametheory sweep spec.yaml
      gametheory sweep spec.yaml --resume
      gametheory sweep spec.yaml --dask-local 2
    """
    from .sweep import run

    try:
        res = run(spec, resume=resume, overwrite=overwrite, workers=workers,
                  scheduler=scheduler, dask_local=dask_local, output=out, progress=progress)
    except GameError as exc:
        _fail(str(exc))
        return
    s = res.summary
    typer.echo(f"{res.spec.name}: {s['tasks']} tasks in {s['batches']} batches: "
               f"{s['done']} run, {s['skipped']} skipped, {s['failed']} failed; "
               f"{s['rows']} rows in {s['wall_s']:.1f} s ({s['rate']:.0f} tasks/s, "
               f"{s['scheduler']}, {s['workers']} worker(s))")
    typer.echo(f"results: {res.output / 'parts'}")
    if s["failed"]:
        typer.echo(f"note: {s['failed']} task(s) failed; their rows carry the error",
                   err=True)


@app.command("sweep-schema")
def sweep_schema_command() -> None:
    """Print the JSON Schema of a sweep spec.

    \b
    Example:
      gametheory sweep-schema > sweep.schema.json
    """
    from .sweep import sweep_schema

    typer.echo(json.dumps(sweep_schema(), indent=2))


@app.command()
def repeated(
    file: Annotated[Path | None, typer.Argument(help="A two-player Gambit .nfg file.")] = None,
    game: Annotated[str | None, typer.Option(help="A named game instead of a file.")] = None,
    discount: Annotated[float, typer.Option(help="Discount factor in (0, 1).")] = 0.9,
    directions: Annotated[int, typer.Option(help="Directions of the payoff-set "
                                                 "approximation.")] = 128,
) -> None:
    """Repeated game: minmax values, cooperation thresholds and equilibrium payoff set.

    \b
    Example:
      gametheory repeated --game prisoners_dilemma --discount 0.9
    """
    from .games import get_game, read_nfg
    from .solvers.repeated import RepeatedGame, public_grim_trigger

    try:
        if (file is None) == (game is None):
            _fail("give either an .nfg FILE or --game NAME")
        g = read_nfg(file) if file is not None else get_game(game)
        rg = RepeatedGame(g, discount=discount)
        from .solvers import compile_notice

        notice = compile_notice("_payoff_sets")
        if notice:
            typer.echo(f"note: {notice}", err=True)
        grim = public_grim_trigger(*g.shape)
        threshold = rg.critical_discount_factor((grim, grim))
        vertices = rg.equilibrium_payoffs()
        _, outer, gap = rg.payoff_set_bounds(directions=directions)
    except GameError as exc:
        _fail(str(exc))
        return
    typer.echo(str(g))
    typer.echo(f"\ndiscount factor: {discount}")
    typer.echo("minmax values: " + ", ".join(f"{p} {v:.6g}" for p, v in
                                            zip(g.players, rg.minmax(), strict=True)))
    pretty = ", ".join(f"[{lo:.6g}, {hi:.6g}]" if lo != hi else f"{{{lo:.6g}}}"
                       for lo, hi in threshold) or "none"
    typer.echo(f"cooperation (everyone's first action) sustained by grim trigger as a "
               f"subgame-perfect equilibrium for δ in: {pretty}")
    typer.echo("subgame-perfect equilibrium payoff set (Abreu-Sannikov), vertices:")
    for v in vertices:
        typer.echo(f"  ({v[0]:.6g}, {v[1]:.6g})")
    typer.echo(f"Judd-Yeltekin-Conklin outer approximation: {len(outer)} vertices; "
               f"Hausdorff distance to the inner one {gap:.3g}")


events_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                         help="Event files: validate, graph, schema.\n\n\b\nExample:\n"
                              "  gametheory events validate my_sequence.csv")
app.add_typer(events_app, name="events")


@events_app.command("validate")
def events_validate(file: Annotated[Path, typer.Argument(help="A .csv, .yaml or .json "
                                                              "event file.")]) -> None:
    """Validate an event file; list every problem with its line and field.

    \b
    Example:
      gametheory events validate models/us_russia_embassy/events.csv
    """
    from .events import load_events

    try:
        seq = load_events(file)
    except GameError as exc:
        _fail(str(exc))
        return
    typer.echo(f"ok: {seq!r}")


@events_app.command("graph")
def events_graph(
    file: Annotated[Path, typer.Argument(help="A .csv, .yaml or .json event file.")],
    out: Annotated[Path, typer.Option(help="Output: .png/.pdf/.svg (timeline drawing) or "
                                           ".graphml (the move graph).")],
    infer_within_days: Annotated[int | None, typer.Option(
        help="Also infer answers to unexplained moves within this many days.")] = None,
    since: Annotated[str | None, typer.Option(help="Only moves from this date (YYYY[-MM[-DD]]).")
                     ] = None,
) -> None:
    """Build the move graph of an event file and draw or export it.

    \b
    Examples:
      gametheory events graph my_sequence.csv --out graph.png
      gametheory events graph my_sequence.csv --out graph.graphml
    """
    from .events import load_events, move_graph

    try:
        seq = load_events(file)
        if since is not None:
            seq = seq.filter(since=since)
    except (GameError, ValueError) as exc:
        _fail(str(exc))
        return
    graph = move_graph(seq, infer_within_days=infer_within_days)
    suffix = out.suffix.lower()
    if suffix == ".graphml":
        import networkx as nx

        export = nx.DiGraph()
        for n, data in graph.nodes(data=True):
            export.add_node(n, **{k: _graphml_value(v) for k, v in data.items()
                                  if v is not None})
        for u, v, data in graph.edges(data=True):
            export.add_edge(u, v, **{k: _graphml_value(x) for k, x in data.items()
                                     if x is not None})
        with atomic_path(out) as tmp:
            nx.write_graphml(export, tmp)
    elif suffix in (".png", ".pdf", ".svg"):
        import matplotlib

        matplotlib.use("Agg")
        from .events import draw_timeline

        ax = draw_timeline(seq, graph=graph)
        ax.figure.tight_layout()
        with atomic_path(out) as tmp:
            ax.figure.savefig(tmp, dpi=150, format=suffix.lstrip("."))
    else:
        _fail(f"unknown output type {out.suffix!r}; use .png, .pdf, .svg or .graphml")
        return
    typer.echo(f"wrote {out} ({graph.number_of_nodes()} moves, "
               f"{graph.number_of_edges()} answers)")


@events_app.command("schema")
def events_schema() -> None:
    """Print the JSON Schema of an event record.

    \b
    Example:
      gametheory events schema > event.schema.json
    """
    from .events import event_json_schema

    typer.echo(json.dumps(event_json_schema(), indent=2))


def _graphml_value(value):
    """GraphML holds scalars only: dates and enums as text, lists joined by ';'."""
    if isinstance(value, bool | int | float | str):
        return value.value if hasattr(value, "value") else value
    if isinstance(value, tuple | list):
        return "; ".join(map(str, value))
    return str(getattr(value, "value", value))


def main() -> None:
    """Entry point of the console script."""
    app(prog_name="gametheory")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
