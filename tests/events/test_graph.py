"""The move graph and its analyses on the shipped sequence."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import networkx as nx
import pytest

import gametheory as gt
from gametheory.events import (
    draw_timeline,
    escalation_balance,
    escalation_chains,
    reciprocity,
    restriction_state,
    round_sequence,
)

EVENTS = gt.load_model("us-russia").events
GRAPH = gt.move_graph(EVENTS)


def test_graph_is_a_dag_with_all_attributes():
    assert isinstance(GRAPH, nx.DiGraph) and nx.is_directed_acyclic_graph(GRAPH)
    assert GRAPH.number_of_nodes() == len(EVENTS)
    assert GRAPH.nodes["E04a"]["magnitude"] == 455
    assert GRAPH.nodes["E04a"]["goldstein_resolved"] == -4.0


@pytest.mark.parametrize(("trigger", "response"), [
    ("E08a", "E09a"),  # 2018: 60 for 60
    ("E08b", "E09b"),  # Seattle for St Petersburg
    ("E14a", "E15a"),  # 2021: 10 for 10
    ("E14a", "E16"),   # the local-hire ban answers the April 2021 measures
    ("E16", "E18"),
    ("E29", "E31"),    # 55 by rotation, answered "commensurate"
    ("A5", "A6"),      # 2001: 50 for 50
])
def test_reference_chains_are_reproduced(trigger, response):
    assert GRAPH.has_edge(trigger, response)


def test_reciprocity_ratios():
    table = reciprocity(GRAPH).set_index(["trigger", "response"])
    assert table.loc[("E08a", "E09a"), "magnitude_ratio"] == 1.0
    assert table.loc[("E14a", "E15a"), "magnitude_ratio"] == 1.0
    assert table.loc[("A1", "A2a"), "magnitude_ratio"] == 11.0  # 55 for 5: 1986 parity move
    assert table.loc[("E08a", "E09a"), "lag_days"] == 3
    assert not table.inferred.any()


def test_escalation_chains():
    chains = escalation_chains(GRAPH)
    assert ["E08a", "E09a"] in chains and ["E29", "E31"] in chains
    # chains follow answers: E18 implements E16 and E17 (a US self-cut) is a consequence
    assert ["E14a", "E16"] in chains
    assert not any("E18" in c or "E17" in c for c in chains)
    assert len(chains[0]) >= len(chains[-1])


def test_inferred_edges_are_marked():
    g = gt.move_graph(EVENTS, infer_within_days=30)
    inferred = [(u, v) for u, v, d in g.edges(data=True) if d["inferred"]]
    assert inferred and all(not EVENTS[v].responds_to for _, v in inferred)
    assert nx.is_directed_acyclic_graph(g)


def test_escalation_balance():
    table = escalation_balance(EVENTS).set_index("actor")
    assert table.loc["USA", "initiatives"] > table.loc["RUS", "initiatives"]
    assert table.loc["RUS", "de_escalating"] >= 4  # restraint and the zero-option offers
    assert table.loc["RUS", "persons_expelled"] == 50 + 60 + 10 + 1 + 2  # E38 has no size


def test_restriction_state_of_the_us_mission():
    us = restriction_state(EVENTS, "USA")
    last = us.iloc[-1]
    assert last.staff_cap == 455 and last.local_hires_banned
    assert last.local_staff_lost == 260 + 182  # 1986 withdrawal + 2021 ban
    assert (us.persons_removed.diff().dropna() >= 0).all()  # cumulative


def test_round_sequence_for_the_game_layer():
    rounds = round_sequence(EVENTS)
    assert set(rounds.actor) == {"USA", "RUS"}
    row = rounds[rounds.event_id == "E09a"].iloc[0]
    assert row["round"] == 1 and row.responds_to == "E08a"
    same = rounds[rounds.event_id.isin(["E08a", "E09a"])].exchange.nunique()
    assert same == 1


def test_draw_timeline_returns_axes():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    events = EVENTS.filter(since="2016")
    out = draw_timeline(events, ax=ax)
    # one marker collection per actor, plus the three of the size legend
    assert out is ax and len(ax.collections) == 2 + 3
    labels = [t.get_text() for t in ax.texts if t.get_text()]
    # only initiatives and the largest moves are labelled, never two within 45 days
    assert 0 < len(labels) < len(events)
    assert "magnitude 10" in [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close(fig)
