"""Agent logit QRE on trees and its λ fit, against pygambit."""

from __future__ import annotations

import glob
from importlib.resources import files

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory.errors import ProfileError
from gametheory.games.efg import read_efg
from gametheory.games.extensive import random_tree
from gametheory.games.sequence_form import sequence_form
from gametheory.solvers.agent_qre import _Agents, agent_qre, fit_agent_qre

#: Catalogue trees where the branch meets a symmetric (pitchfork) bifurcation and
#: pygambit leaves the symmetric continuation that we keep: both are QREs there.
BIFURCATING = {"fig5_10.efg", "fig1c.efg", "fig9.efg"}


def _theirs(profile, sf):
    out = []
    for pl in sf.players:
        for _h, mixed in profile[pl]:
            out += [float(p) for _a, p in mixed]
    return np.array(out)


def _residual(ag, probs, lam):
    """The fixed-point residual on the log scale, where the probabilities are
    representable (logit probabilities far below 1e-250 underflow)."""
    r = ag.residual(np.log(np.maximum(probs, 1e-300)), lam)
    return np.abs(r[probs > 1e-250]).max()


def _ours(beh, sf):
    return np.array([p for i in (0, 1) for h in sf.infosets[i] for p in beh[i][h].values()])


def test_agent_qre_equals_gambit_on_the_catalogue_trees():
    pygambit = pytest.importorskip("pygambit")
    root = str(files("pygambit") / "catalog_data")
    lams = [0.5, 2.0, 10.0, 50.0]
    compared = 0
    for path in sorted(glob.glob(root + "/**/*.efg", recursive=True)):
        g = pygambit.read_efg(path)
        if len(g.players) != 2 or not g.is_perfect_recall:
            continue
        sf = sequence_form(read_efg(path))
        ours = agent_qre(sf, lams)
        ag = _Agents(sf)
        for k, th in enumerate(pygambit.qre.logit_solve_lambda(g, lams)):
            mine, theirs = _ours(ours[k], sf), _theirs(th.profile, sf)
            name = path.rsplit("/", 1)[-1]
            # ours is a QRE at λ (the residual of the fixed point is tiny) ...
            assert _residual(ag, mine, lams[k]) < 1e-7, name
            if name in BIFURCATING:
                # ... and so is pygambit's, on the other side of the bifurcation
                assert _residual(ag, theirs, lams[k]) < 1e-6, name
                continue
            assert np.abs(mine - theirs).max() < 1e-6, (name, lams[k])
            compared += 1
    assert compared >= 80


def test_fitted_lambda_equals_gambit_logit_estimate():
    pygambit = pytest.importorskip("pygambit")
    path = next(p for p in glob.glob(str(files("pygambit") / "catalog_data")
                                     + "/**/fig4_2.efg", recursive=True))
    g = pygambit.read_efg(path)
    sf = sequence_form(read_efg(path))
    rng = np.random.default_rng(1)
    data = [[list(rng.integers(1, 20, len(a)).astype(float)) for a in sf.actions[i]]
            for i in (0, 1)]
    counts = {h: dict(zip(a, c, strict=True)) for i in (0, 1)
              for h, a, c in zip(sf.infosets[i], sf.actions[i], data[i], strict=True)}
    ours = fit_agent_qre(sf, counts)
    theirs = pygambit.qre.logit_estimate(g.mixed_behavior_profile(data, rational=False))
    assert ours.lam == pytest.approx(theirs.lam, rel=1e-5)
    assert ours.loglik == pytest.approx(theirs.log_like, abs=1e-7)
    assert ours.loglik >= ours.loglik_uniform


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10**6), depth=st.integers(1, 3), chance=st.booleans())
def test_lambda_zero_is_uniform_and_every_point_is_a_fixed_point(seed, depth, chance):
    sf = sequence_form(random_tree(depth, chance_root=chance, seed=seed))
    lams = [0.0, 0.05, 0.3]
    q = agent_qre(sf, lams)
    assert all(p == pytest.approx(1 / len(acts)) for i in (0, 1)
               for h, acts in zip(sf.infosets[i], sf.actions[i], strict=True)
               for p in q[0][i][h].values())
    ag = _Agents(sf)
    for k, lam in enumerate(lams):
        mine = _ours(q[k], sf)
        assert _residual(ag, mine, lam) < 1e-8


def test_planted_lambda_is_recovered_from_large_samples():
    sf = sequence_form(random_tree(3, seed=4))
    truth = 0.08
    q = agent_qre(sf, truth)[0]
    rng = np.random.default_rng(0)
    counts = {h: dict(zip(probs, rng.multinomial(20_000, list(probs.values())),
                          strict=True))
              for per in q for h, probs in per.items()}
    fit = fit_agent_qre(sf, counts)
    assert fit.lam == pytest.approx(truth, rel=0.1)


def test_bad_inputs_raise_typed_errors():
    sf = sequence_form(random_tree(2, seed=0))
    with pytest.raises(ProfileError, match="λ"):
        agent_qre(sf, -1.0)
    with pytest.raises(ProfileError, match="unknown information set"):
        fit_agent_qre(sf, {"nope": {"a0": 1}})
    h = sf.infosets[0][0]
    with pytest.raises(ProfileError, match="unknown action"):
        fit_agent_qre(sf, {h: {"zz": 1}})
    with pytest.raises(ProfileError, match="count"):
        fit_agent_qre(sf, {h: {"a0": -1}})
    with pytest.raises(ProfileError, match="no observed"):
        fit_agent_qre(sf, {h: {"a0": 0}})
