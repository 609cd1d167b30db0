"""The move graph of a retaliation sequence and the analyses built on it.

Nodes are events (with all their fields as attributes); an edge ``u -> v``
means that ``v`` answers ``u`` (``v.responds_to`` lists ``u``). Optional
inferred edges link an unexplained move to the other side's latest move
within a time window; they carry ``inferred=True``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .schema import ActionType, Event
from .sequence import EventSequence

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import pandas as pd

__all__ = [
    "draw_timeline",
    "escalation_balance",
    "escalation_chains",
    "move_graph",
    "reciprocity",
    "restriction_state",
    "round_sequence",
]

_PERSON_UNITS = {"persons"}


def _edge_attributes(trigger: Event, response: Event, inferred: bool,
                     kind: str = "answer") -> dict:
    same_unit = (trigger.magnitude is not None and response.magnitude is not None
                 and trigger.magnitude_unit == response.magnitude_unit)
    ratio = (response.magnitude / trigger.magnitude
             if same_unit and trigger.magnitude else None)
    g_ratio = (response.resolved_goldstein / trigger.resolved_goldstein
               if trigger.resolved_goldstein else None)
    return {"inferred": inferred, "kind": kind,
            "lag_days": (response.date_announced - trigger.date_announced).days,
            "magnitude_ratio": ratio, "goldstein_ratio": g_ratio}


def move_graph(events: EventSequence, *, infer_within_days: int | None = None
               ) -> nx.DiGraph:
    """The move graph: events as nodes, links as edges of three kinds.

    ``kind="answer"``: a ``responds_to`` link between the two sides (the move
    answers the other side's move); ``kind="consequence"``: a ``responds_to`` link
    to a side's cut of its own operations (``reduce_own_operations``), forced by
    the other side's move but not an answer to it; ``kind="implements"``: a step
    carrying out the same side's earlier decision. Reciprocity and escalation
    chains use answers only.

    Parameters
    ----------
    events : EventSequence
    infer_within_days : int, optional
        Also link every restrictive move that names no trigger to the latest
        restrictive move of its target against its actor at most this many days
        earlier (edge attribute ``inferred=True``).

    Returns
    -------
    networkx.DiGraph
        Node attributes: every event field plus ``goldstein_resolved`` and
        ``cameo``; edge attributes: ``kind``, ``inferred``, ``lag_days``,
        ``magnitude_ratio`` (same unit only) and ``goldstein_ratio``.

    Examples
    --------
    >>> import gametheory as gt
    >>> g = gt.move_graph(gt.load_model("us-russia").events)
    >>> g.has_edge("E08a", "E09a"), g.edges["E08a", "E09a"]["magnitude_ratio"]
    (True, 1.0)
    """
    import networkx as nx

    graph = nx.DiGraph(source=events.source)
    for e in events:
        attrs = e.model_dump()
        attrs["goldstein_resolved"] = e.resolved_goldstein
        attrs["cameo"] = e.resolved_cameo
        graph.add_node(e.event_id, **attrs)
    for e in events:
        kind = ("consequence" if e.action_type is ActionType.REDUCE_OWN_OPERATIONS
                else "answer")
        for t in e.responds_to:
            graph.add_edge(t, e.event_id, **_edge_attributes(events[t], e, False, kind))
        for t in e.implements:
            graph.add_edge(t, e.event_id, **_edge_attributes(events[t], e, False,
                                                             "implements"))
    if infer_within_days is not None:
        window = dt.timedelta(days=infer_within_days)
        ordered = list(events)
        for k, e in enumerate(ordered):
            if (e.responds_to or e.implements or not e.action_type.restricts
                    or e.target is None):
                continue
            for prior in reversed(ordered[:k]):
                if e.date_announced - prior.date_announced > window:
                    break
                if (prior.actor == e.target and prior.target == e.actor
                        and prior.action_type.restricts
                        and prior.date_announced <= e.date_announced):
                    graph.add_edge(prior.event_id, e.event_id,
                                   **_edge_attributes(prior, e, True))
                    break
    return graph


def reciprocity(graph: nx.DiGraph) -> pd.DataFrame:
    """One row per answer between the sides: who answered what, how fast, and in what
    proportion (consequences and implementation steps are not answers).

    ``magnitude_ratio`` compares sizes in the same unit (60 for 60 is 1.0);
    ``goldstein_ratio`` compares CAMEO/Goldstein weights.
    """
    import pandas as pd

    rows = []
    for u, v, data in graph.edges(data=True):
        a, b = graph.nodes[u], graph.nodes[v]
        if data.get("kind", "answer") != "answer" or a["actor"] == b["actor"]:
            continue
        rows.append({
            "trigger": u, "response": v, "trigger_actor": a["actor"],
            "response_actor": b["actor"], "trigger_action": a["action_type"].value,
            "response_action": b["action_type"].value, "trigger_magnitude": a["magnitude"],
            "response_magnitude": b["magnitude"],
            "unit": a["magnitude_unit"] if a["magnitude_unit"] == b["magnitude_unit"] else None,
            **data})
    cols = ["trigger", "response", "trigger_actor", "response_actor", "trigger_action",
            "response_action", "trigger_magnitude", "response_magnitude", "unit",
            "magnitude_ratio", "goldstein_ratio", "lag_days", "inferred"]
    return pd.DataFrame(rows, columns=cols)


def escalation_chains(graph: nx.DiGraph, *, min_length: int = 2, limit: int = 1000
                      ) -> list[list[str]]:
    """Maximal chains of moves and answers (source to sink), longest first.

    Examples
    --------
    >>> import gametheory as gt
    >>> chains = escalation_chains(gt.move_graph(gt.load_model("us-russia").events))
    >>> ["E08b", "E09b"] in chains
    True
    """
    full = graph
    # chains follow answers only (not consequences or implementation steps)
    graph = full.edge_subgraph([(u, v) for u, v, d in full.edges(data=True)
                                if d.get("kind", "answer") == "answer"])
    chains: list[list[str]] = []
    sources = [n for n in graph.nodes if graph.in_degree(n) == 0 and graph.out_degree(n) > 0]

    def walk(path: list[str]) -> None:
        if len(chains) >= limit:
            return
        succ = list(graph.successors(path[-1]))
        if not succ:
            if len(path) >= min_length:
                chains.append(path)
            return
        for s in succ:
            walk([*path, s])

    for s in sources:
        walk([s])
    date = {n: full.nodes[n]["date_announced"] for n in graph.nodes}
    chains.sort(key=lambda c: (-len(c), date[c[0]], c))
    return chains


def escalation_balance(events: EventSequence) -> pd.DataFrame:
    """Per actor: moves, restrictive moves, initiatives, answers and de-escalating moves.

    A restrictive move that answers nothing is an *initiative*; a move with a
    positive Goldstein weight de-escalates.
    """
    import pandas as pd

    rows = {}
    for e in events:
        r = rows.setdefault(e.actor, {"actor": e.actor, "moves": 0, "restrictive": 0,
                                      "initiatives": 0, "answers": 0, "de_escalating": 0,
                                      "persons_expelled": 0.0, "goldstein_sum": 0.0})
        r["moves"] += 1
        r["restrictive"] += e.action_type.restricts
        r["initiatives"] += (e.action_type.restricts and not e.responds_to
                             and not e.implements)
        r["answers"] += (any(t in events and events[t].actor != e.actor
                             for t in e.responds_to)
                         and e.action_type is not ActionType.REDUCE_OWN_OPERATIONS)
        r["de_escalating"] += e.resolved_goldstein > 0
        if e.action_type is ActionType.EXPEL and e.magnitude is not None:
            r["persons_expelled"] += e.magnitude
        r["goldstein_sum"] += e.resolved_goldstein
    return pd.DataFrame(list(rows.values()))


def restriction_state(events: EventSequence, side: str) -> pd.DataFrame:
    """Standing restrictions on ``side``'s mission after each move against it.

    Columns: cumulative persons removed (expulsions and rotation removals
    given in persons), local staff lost to hiring bans, facilities closed or
    seized, the staff cap in force,
    whether local hires are banned, service suspensions announced, sanctions.
    """
    import pandas as pd

    state = {"persons_removed": 0.0, "local_staff_lost": 0.0, "facilities_lost": 0.0,
             "staff_cap": None,
             "local_hires_banned": False, "service_suspensions": 0, "sanctions": 0}
    rows = []
    for e in events:
        # only the other side's measures: a side's cuts of its own operations
        # (reduce_own_operations) are consequences, not restrictions on it
        if not (e.target == side and e.actor != side):
            continue
        t = e.action_type
        if t in (ActionType.EXPEL, ActionType.ROTATION_LIMIT) and e.magnitude_unit in \
                _PERSON_UNITS and e.magnitude:
            state["persons_removed"] += e.magnitude
        elif t in (ActionType.CLOSE_FACILITY, ActionType.SEIZE_PROPERTY) and e.magnitude:
            state["facilities_lost"] += e.magnitude
        elif t is ActionType.CAP_STAFF and e.magnitude_unit == "staff_cap":
            state["staff_cap"] = e.magnitude
        elif t is ActionType.BAN_LOCAL_HIRES:
            state["local_hires_banned"] = True
            if e.magnitude_unit in _PERSON_UNITS and e.magnitude:
                state["local_staff_lost"] += e.magnitude
        elif t is ActionType.SUSPEND_SERVICES:
            state["service_suspensions"] += 1
        elif t is ActionType.SANCTION:
            state["sanctions"] += 1
        else:
            continue
        rows.append({"date": pd.Timestamp(e.date_announced), "event_id": e.event_id,
                     "side": side, **state})
    return pd.DataFrame(rows, columns=["date", "event_id", "side", *state])


def round_sequence(events: EventSequence, players: Sequence[str] = ("USA", "RUS")
                   ) -> pd.DataFrame:
    """The moves of two players as exchanges and rounds, for the game layer.

    An *exchange* is a connected part of the move graph; a move's *round* is
    its depth in the exchange (0 for the opening move, 1 for its answer, ...).
    Moves of other actors are left out.
    """
    import networkx as nx
    import pandas as pd

    seq = events.filter(predicate=lambda e: e.actor in players)
    graph = move_graph(seq)
    comp_of = {}
    comps = sorted(nx.weakly_connected_components(graph),
                   key=lambda c: min(seq[n].date_announced for n in c))
    for k, comp in enumerate(comps):
        for n in comp:
            comp_of[n] = k
    depth: dict[str, int] = {}
    for n in nx.topological_sort(graph):
        preds = list(graph.predecessors(n))
        depth[n] = 1 + max(depth[p] for p in preds) if preds else 0
    rows = []
    for e in seq:
        rows.append({"exchange": comp_of[e.event_id], "round": depth[e.event_id],
                     "actor": e.actor, "event_id": e.event_id,
                     "date": pd.Timestamp(e.date_announced),
                     "action_type": e.action_type.value, "magnitude": e.magnitude,
                     "magnitude_unit": e.magnitude_unit,
                     "goldstein": e.resolved_goldstein,
                     "responds_to": ",".join(e.responds_to)})
    df = pd.DataFrame(rows)
    return df.sort_values(["exchange", "round", "date"], kind="stable").reset_index(drop=True)


def draw_timeline(events: EventSequence, ax=None, *, graph: nx.DiGraph | None = None,
                  colors: dict[str, str] | None = None, annotate: bool = True,
                  min_label_days: float = 45.0):
    """Timeline drawing of the move graph: one lane per actor, answers as arrows.

    Marker area grows with magnitude (log scale; a legend gives the scale), colour is
    the actor (colour-blind-safe by default); arrows with filled heads run from a move
    to its answer (dashed when inferred). Only initiatives (moves that answer nothing)
    and the largest moves are labelled, and a label closer than ``min_label_days`` to
    the last one in its lane is left out, so labels do not overlap. Returns the Axes.
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    import numpy as np

    from .._format import PALETTE

    if ax is None:
        _, ax = plt.subplots(figsize=(11, 3 + 0.4 * len(events.actors)))
    graph = graph if graph is not None else move_graph(events)
    actors = [a for a in events.actors if any(e.actor == a for e in events)]
    lane = {a: k for k, a in enumerate(actors)}
    palette = colors or {}
    pos = {}
    for e in events:
        x = mdates.date2num(e.date_announced)
        pos[e.event_id] = (x, lane[e.actor])
    for u, v, data in graph.edges(data=True):
        (x0, y0), (x1, y1) = pos[u], pos[v]
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops={"arrowstyle": "-|>", "mutation_scale": 9, "color": "0.4",
                                "lw": 0.8, "ls": "--" if data.get("inferred") else "-",
                                "shrinkA": 3, "shrinkB": 5,
                                "connectionstyle": "arc3,rad=0.15"})

    def area(m):
        return 30 + 40 * np.log1p(m or 0)

    mags = [e.magnitude for e in events if e.magnitude]
    big = float(np.quantile(mags, 0.75)) if mags else np.inf
    for a in actors:
        evs = [e for e in events if e.actor == a]
        xs = [pos[e.event_id][0] for e in evs]
        ax.scatter(xs, [lane[a]] * len(xs), s=[area(e.magnitude) for e in evs],
                   color=palette.get(a, PALETTE[lane[a] % len(PALETTE)]), label=a,
                   zorder=3, edgecolor="k", linewidth=0.4)
        if annotate:
            last = -np.inf
            flip = False
            for e, x in zip(evs, xs, strict=True):
                initiative = graph.in_degree(e.event_id) == 0
                large = e.magnitude is not None and e.magnitude >= big
                if not (initiative or large) or x - last < min_label_days:
                    continue
                ax.annotate(e.event_id, (x, lane[a]), textcoords="offset points",
                            xytext=(0, -14 if flip else 9), ha="center", fontsize=6.5,
                            va="top" if flip else "bottom")
                last, flip = x, not flip
    # the size scale: what a marker's area means
    handles, labels = ax.get_legend_handles_labels()
    for m in (1, 10, 100):
        handles.append(ax.scatter([], [], s=area(m), color="0.8", edgecolor="k",
                                  linewidth=0.4))
        labels.append(f"magnitude {m}")
    ax.legend(handles, labels, fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0),
              frameon=False, scatterpoints=1)
    ax.set_yticks(range(len(actors)), actors)
    ax.set_ylim(-0.7, len(actors) - 0.3)
    # dates that never overlap: as many ticks as fit, labelled concisely (2018, Mar, ...)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    for label in ax.get_xticklabels():
        label.set_rotation(0)
    ax.set_xlabel("date announced")
    ax.set_title("Move graph (marker area: magnitude; arrows run from a move to its "
                 "answer; labels: initiatives and the largest moves)", fontsize=10)
    return ax
