"""Pure perfect Bayesian equilibria of signalling games and the intuitive criterion."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory import Game
from gametheory.errors import GameTooLargeError, PayoffError
from gametheory.games import SignallingGame, beer_quiche
from gametheory.solvers import signalling as signalling_module
from gametheory.solvers import signalling_equilibria


def test_beer_quiche_two_pooling_equilibria_and_only_beer_is_intuitive():
    """Cho & Kreps (1987): both types drink beer (no duel; a duel after quiche, held by
    believing the quiche eater weak with probability at least 1/2), or both eat quiche
    (the mirror image); no separating equilibrium. The intuitive criterion rejects
    quiche: a strong type cannot gain by beer only if believed weak, which beer cannot
    pay for a weak type."""
    res = signalling_equilibria(beer_quiche())
    assert len(res) == 2 and {e.kind for e in res} == {"pooling"}
    beer, quiche = res
    assert beer.sender == {"weak": "beer", "strong": "beer"}
    assert beer.receiver == {"beer": "don't", "quiche": "duel"}
    assert beer.beliefs["beer"]["weak"] == pytest.approx(0.1)
    lo, hi = beer.off_path["quiche"]["weak"]
    assert lo == pytest.approx(0.5) and hi == pytest.approx(1.0)
    assert beer.intuitive and not quiche.intuitive
    assert "'weak'" in quiche.reason and "'strong' gains" in quiche.reason
    assert beer.payoffs == {"weak": 2.0, "strong": 3.0, "receiver": pytest.approx(0.9)}
    assert [e.sender for e in res.intuitive()] == [beer.sender]
    assert "<table" in res._repr_html_() and len(res.to_frame()) == 2


def job_market(p_high: float = 0.3) -> SignallingGame:
    """A textbook job-market signal: productivity 2 (high) or 1 (low); a degree costs
    the low type 1.5 and the high type 0.5; the employer pays a wage of 1 or 2 and loses
    the squared gap to productivity."""
    T, M, A = 2, 2, 2                       # types low, high; none, degree; wage 1, 2
    S, R = np.zeros((T, M, A)), np.zeros((T, M, A))
    prod, cost, wage = (1.0, 2.0), (1.5, 0.5), (1.0, 2.0)
    for t, m, a in itertools.product(range(T), range(M), range(A)):
        S[t, m, a] = wage[a] - cost[t] * m
        R[t, m, a] = -(wage[a] - prod[t]) ** 2
    return SignallingGame([1 - p_high, p_high], S, R, types=["low", "high"],
                          messages=["none", "degree"], actions=["wage 1", "wage 2"])


def test_job_market_signalling_intuitive_criterion_selects_separation():
    """Spence's separating equilibrium (only the high type takes the degree) and the
    pooling one without degrees (wage 1 after a degree too, believed low with
    probability at least 1/2); the intuitive criterion keeps only separation."""
    res = signalling_equilibria(job_market())
    kinds = {e.kind: e for e in res}
    assert set(kinds) == {"separating", "pooling"} and len(res) == 2
    sep, pool = kinds["separating"], kinds["pooling"]
    assert sep.sender == {"low": "none", "high": "degree"}
    assert sep.receiver == {"none": "wage 1", "degree": "wage 2"}
    assert sep.beliefs["degree"] == {"low": 0.0, "high": 1.0}
    assert pool.sender == {"low": "none", "high": "none"}
    assert pool.off_path["degree"]["low"][0] == pytest.approx(0.5)
    assert sep.intuitive and not pool.intuitive


def _induced(game: SignallingGame, prior=None) -> tuple[Game, list, list]:
    """The induced normal form (sender plans x receiver plans), built here directly
    (exact when ``prior`` is given as fractions and the payoffs are integers)."""
    T, M, A = game.shape
    prior = list(game.prior) if prior is None else prior
    splans = list(itertools.product(range(M), repeat=T))
    rplans = list(itertools.product(range(A), repeat=M))
    P = np.zeros((len(splans), len(rplans), 2), dtype=object)
    for i, s in enumerate(splans):
        for j, r in enumerate(rplans):
            for t in range(T):
                P[i, j, 0] += prior[t] * int(game.sender[t, s[t], r[s[t]]])
                P[i, j, 1] += prior[t] * int(game.receiver[t, s[t], r[s[t]]])
    if not isinstance(prior[0], Fraction):
        P = P.astype(float)
    return Game(P), splans, rplans


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-3, 4), min_size=16, max_size=16),
       st.integers(1, 9))
def test_equilibria_are_nash_in_the_induced_form_and_complete_on_the_path(pay, w):
    """Every pure PBE is a Nash equilibrium of the induced normal form with beliefs that
    sum to one and follow Bayes' rule; every pure Nash equilibrium that sends both
    messages (so no belief is free) is a PBE."""
    S = np.array(pay[:8], float).reshape(2, 2, 2)
    R = np.array(pay[8:], float).reshape(2, 2, 2)
    game = SignallingGame([w / 10, 1 - w / 10], S, R)
    res = signalling_equilibria(game)
    nf, splans, rplans = _induced(game)
    A, B = nf.payoffs[..., 0], nf.payoffs[..., 1]
    idle = _idle(game)
    found = set()
    for e in res:
        s = tuple(game.messages.index(e.sender[t]) for t in game.types)
        r = tuple(0 if idle[k] else game.actions.index(e.receiver[m])
                  for k, m in enumerate(game.messages))
        i, j = splans.index(s), rplans.index(r)
        assert A[i, j] >= A[:, j].max() - 1e-9 and B[i, j] >= B[i, :].max() - 1e-9
        for m, belief in e.beliefs.items():
            assert sum(belief.values()) == pytest.approx(1.0)
            sent = [t for t in range(2) if s[t] == game.messages.index(m)]
            expected = {game.types[t]: (game.prior[t] / sum(game.prior[u] for u in sent)
                                        if t in sent else 0.0) for t in range(2)}
            assert belief == pytest.approx(expected)
        found.add((s, r))
    for i, s in enumerate(splans):
        if len(set(s)) < 2:
            continue
        for j, r in enumerate(rplans):
            if A[i, j] >= A[:, j].max() - 1e-9 and B[i, j] >= B[i, :].max() - 1e-9:
                assert (s, tuple(0 if idle[k] else a for k, a in enumerate(r))) in found


def test_size_is_checked_before_enumerating(monkeypatch):
    monkeypatch.setattr(signalling_module, "MAX_SIGNALLING_PROFILES", 10)
    with pytest.raises(GameTooLargeError, match="strategy pairs"):
        signalling_equilibria(beer_quiche())


@pytest.mark.parametrize("p", [0.3, 0.8])
def test_costly_reassurance_separates_exactly_when_kydd_says(p):
    """Kydd (2000): a costly gesture reassures (only trustworthy types make it, and
    are trusted) iff value_untrustworthy <= cost <= value_trustworthy; cheap talk
    never does; a receiver who would guard on the prior also has a pooling
    equilibrium without gestures, which fails the intuitive criterion exactly when the
    gesture could separate."""
    from gametheory.games import reassurance_game

    vt, vu = 2.0, 0.5
    for cost in (0.0, 0.25, 0.5, 0.75, 1.5, 2.0, 2.5, 4.0):
        res = signalling_equilibria(reassurance_game(p, cost=cost, value_trustworthy=vt,
                                                     value_untrustworthy=vu))
        sep = [e for e in res if e.kind == "separating"]
        if vu <= cost <= vt:
            assert [e.sender for e in sep] == [{"trustworthy": "gesture",
                                                "untrustworthy": "none"}], cost
            assert sep[0].receiver == {"gesture": "cooperate", "none": "guard"}
        else:
            assert not sep, cost
        pools = [e for e in res if e.kind == "pooling"]
        if p * 1.0 < (1 - p) * 2.0:      # the receiver guards on the prior
            none_guard = [e for e in pools if e.sender == {"trustworthy": "none",
                                                           "untrustworthy": "none"}
                          and e.receiver["none"] == "guard"]
            # one per off-path reply that deters the gesture (cooperating after it
            # deters too once the gesture costs more than trust is worth to both)
            assert len(none_guard) == (2 if cost >= vt else 1), cost
            assert all(e.intuitive == (not vu < cost < vt) for e in none_guard), cost
        else:                             # trusted without paying: nobody gestures
            assert any(e.sender == {"trustworthy": "none", "untrustworthy": "none"}
                       and e.receiver["none"] == "cooperate" for e in pools)
    with pytest.raises(PayoffError, match="cost"):
        reassurance_game(cost=float("nan"))


# ---------------------------------------------------------------- mixed and hybrid PBE


def test_beer_quiche_with_a_weak_majority_has_one_equilibrium_and_it_is_hybrid():
    """With P(strong) = 0.1 no pure equilibrium exists (pooling on beer invites a duel,
    separation lets the weak type gain by beer). The unique PBE: the strong type drinks
    beer, the weak one drinks beer with probability q making the receiver indifferent
    after beer (0.1 / (0.1 + 0.9 q) = 1/2, q = 1/9) and quiche otherwise (then duelled);
    after beer the receiver duels with probability r making the weak type indifferent
    (1 = 2 (1 - r), r = 1/2). The set is a single point."""
    assert len(signalling_equilibria(beer_quiche(0.1))) == 0
    res = signalling_equilibria(beer_quiche(0.1), mixed=True)
    assert len(res) == 1
    (e,) = res
    assert e.kind == "hybrid" and e.isolated and e.pure() is None
    assert e.sender["weak"] == pytest.approx({"beer": 1 / 9, "quiche": 8 / 9}, abs=1e-12)
    assert e.sender["strong"] == {"beer": 1.0}
    assert e.receiver["beer"] == pytest.approx({"duel": 0.5, "don't": 0.5}, abs=1e-12)
    assert e.receiver["quiche"] == {"duel": 1.0}
    assert e.beliefs["beer"]["weak"] == pytest.approx(0.5)
    assert e.beliefs["quiche"]["weak"] == pytest.approx(1.0)
    assert e.payoffs == pytest.approx({"weak": 1.0, "strong": 2.0, "receiver": 0.9})
    assert e.ranges[("sender", "weak", "beer")] == pytest.approx((1 / 9, 1 / 9))
    assert "hybrid" in res._repr_html_() and "<table" in e._repr_html_()


def test_costly_reassurance_below_the_untrustworthy_value_is_semi_separating():
    """Kydd's (2000) semi-separating case: when the gesture costs less than trust is
    worth to the untrustworthy type and the receiver would guard on the prior, the
    trustworthy type always makes the gesture, the untrustworthy one with probability
    q = p gain / ((1 - p) loss) (the receiver is then indifferent after it), and the
    receiver cooperates after it with probability cost / value_untrustworthy (the
    untrustworthy type is then indifferent). Also: pooling on no gesture, with the
    receiver guarding after a gesture or cooperating with probability at most
    cost / value_trustworthy (the trustworthy type must not gain)."""
    from gametheory.games import reassurance_game

    p, cost, vt, vu, gain, loss = 0.3, 0.25, 2.0, 0.5, 1.0, 2.0
    res = signalling_equilibria(reassurance_game(p, cost=cost, value_trustworthy=vt,
                                                 value_untrustworthy=vu, gain=gain,
                                                 loss=loss), mixed=True)
    hybrid = [e for e in res if e.kind == "hybrid"]
    assert len(hybrid) == 1
    (h,) = hybrid
    q = p * gain / ((1 - p) * loss)
    assert h.sender["trustworthy"] == {"gesture": 1.0}
    assert h.sender["untrustworthy"]["gesture"] == pytest.approx(q, abs=1e-12)
    assert h.receiver["gesture"]["cooperate"] == pytest.approx(cost / vu, abs=1e-12)
    assert h.receiver["none"] == {"guard": 1.0}
    assert h.isolated and h.payoffs["untrustworthy"] == pytest.approx(0.0, abs=1e-12)
    pools = [e for e in res if e.kind == "pooling"]
    assert len(pools) == 2
    mixed_pool = next(e for e in pools if not e.isolated)
    lo, hi = mixed_pool.ranges[("receiver", "gesture", "cooperate")]
    assert lo == pytest.approx(0.0, abs=1e-12) and hi == pytest.approx(cost / vt)


def test_pure_patterns_of_the_mixed_search_are_the_pure_equilibria():
    for game in (beer_quiche(), beer_quiche(0.5), job_market(), job_market(0.8)):
        pure = signalling_equilibria(game)
        mixed = signalling_equilibria(game, mixed=True)
        singles = sorted((tuple(sorted(s.items())), tuple(sorted(r.items())))
                         for s, r in filter(None, (e.pure() for e in mixed)))
        want = sorted((tuple(sorted(e.sender.items())), tuple(sorted(e.receiver.items())))
                      for e in pure)
        assert singles == want, game.title


def _idle(game: SignallingGame) -> list[bool]:
    """Messages after which the receiver's action changes no payoff (reported once, as
    ANY_ACTION)."""
    S, R = game.sender, game.receiver
    return [bool((S[:, m] == S[:, m, :1]).all() and (R[:, m] == R[:, m, :1]).all())
            for m in range(game.shape[1])]


def test_a_message_after_which_the_receiver_changes_nothing_is_reported_once():
    """The audience-cost game's "stay quiet" leaves the status quo whatever the target
    does: each equilibrium appears once, with ANY_ACTION there, not once per action."""
    from gametheory.games import audience_cost_game
    from gametheory.solvers.signalling import ANY_ACTION

    game = audience_cost_game(0.3)
    for mixed in (False, True):
        res = signalling_equilibria(game, mixed=mixed)
        assert all(ANY_ACTION in str(e.receiver["stay quiet"]) for e in res)
        assert all("stay quiet" not in e.off_path for e in res)
    assert len(signalling_equilibria(game)) == 1
    assert len(signalling_equilibria(game, mixed=True)) == 3


def _behaviour(game, x, y, splans, rplans):
    """Behaviour strategies of an induced-form profile: sigma(m | t), rho(a | m)."""
    T, M, A = game.shape
    sig, rho = np.zeros((T, M)), np.zeros((M, A))
    for i, s in enumerate(splans):
        for t in range(T):
            sig[t, s[t]] += x[i]
    for j, r in enumerate(rplans):
        for m in range(M):
            rho[m, r[m]] += y[j]
    return sig, rho


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-3, 4), min_size=16, max_size=16), st.integers(1, 9))
def test_mixed_patterns_contain_every_nash_equilibrium_that_sends_every_message(pay, w):
    """Against pygambit's rational enummixed on the induced normal form: every extreme
    Nash equilibrium in which both messages are sent (no free belief, so it is a PBE)
    has its support pattern among ours and lies inside the pattern's ranges; and every
    point we return is a best reply for each type and for the receiver under Bayes'
    rule."""
    S = np.array(pay[:8], float).reshape(2, 2, 2)
    R = np.array(pay[8:], float).reshape(2, 2, 2)
    game = SignallingGame([w / 10, 1 - w / 10], S, R)
    res = signalling_equilibria(game, mixed=True)
    idle = _idle(game)
    found = {}
    for e in res:
        key = (tuple(tuple(sorted(e.sender[t])) for t in game.types),
               tuple(tuple(sorted(e.receiver[m])) for m in game.messages))
        assert key not in found
        found[key] = e
        # verified point: no type gains, the receiver best-replies to Bayes' beliefs
        rho = np.array([[float(a == 0) if idle[k] else e.receiver[m].get(game.actions[a], 0.0)
                         for a in range(2)] for k, m in enumerate(game.messages)])
        sig = np.array([[e.sender[t].get(m, 0.0) for m in game.messages]
                        for t in game.types])
        U = np.einsum("ma,tma->tm", rho, S)
        assert np.all(U.max(axis=1) - (sig * U).sum(axis=1) <= 1e-7)
        for k, m in enumerate(game.messages):
            if m in e.beliefs:
                mu = np.array([e.beliefs[m][t] for t in game.types])
                assert mu == pytest.approx(game.prior * sig[:, k] / (game.prior @ sig[:, k]))
                v = mu @ R[:, k, :]
                assert v.max() - rho[k] @ v <= 1e-7
    from ..conftest import gambit_enummixed

    nf, splans, rplans = _induced(game, prior=[Fraction(w, 10), 1 - Fraction(w, 10)])
    theirs, _ = gambit_enummixed(nf)
    for x, y in theirs:
        sig, rho = _behaviour(game, np.array(x, float), np.array(y, float), splans, rplans)
        if np.any(game.prior @ sig == 0):
            continue
        key = (tuple(tuple(game.messages[m] for m in range(2) if sig[t, m] > 0)
                     for t in range(2)),
               tuple(tuple(game.actions[a] for a in range(2) if rho[m, a] > 0)
                     for m in range(2)))
        key = (tuple(tuple(sorted(k)) for k in key[0]),
               tuple(("(any action)",) if idle[m] else tuple(sorted(k))
                     for m, k in enumerate(key[1])))
        assert key in found, (x, y)
        e = found[key]
        for (side, a, b), (lo, hi) in e.ranges.items():
            if side == "receiver" and idle[game.messages.index(a)]:
                continue
            val = (sig[game.types.index(a), game.messages.index(b)] if side == "sender"
                   else rho[game.messages.index(a), game.actions.index(b)])
            assert lo - 1e-9 <= val <= hi + 1e-9


def test_mixed_search_size_is_checked_before_enumerating(monkeypatch):
    monkeypatch.setattr(signalling_module, "MAX_SIGNALLING_SUPPORTS", 10)
    with pytest.raises(GameTooLargeError, match="support patterns"):
        signalling_equilibria(beer_quiche(), mixed=True)


# ---------------------------------------------------------------- audience costs


@pytest.mark.parametrize("cost", [0.5, 1.0, 2.0, 4.0])
def test_audience_costs_make_threats_less_likely_to_be_resisted(cost):
    """Fearon's tying hands, two types and one round: below mu* = prize / -war_target
    the resolved type threatens, the irresolute one bluffs with probability
    p (1 - mu*) / ((1 - p) mu*) - independent of the audience cost - and the target
    resists with probability prize / (prize + audience_cost), which falls as the
    audience cost rises. (Resolved: war -0.25 >= -cost, so it fights; irresolute: war
    -5 < -cost, so it backs down.)"""
    from gametheory.games import audience_cost_game

    p, prize, war_target = 0.3, 1.0, -2.0
    mu = prize / -war_target
    res = signalling_equilibria(audience_cost_game(p, prize=prize, audience_cost=cost,
                                                   war_resolved=-0.25, war_irresolute=-5.0,
                                                   war_target=war_target), mixed=True)
    (h,) = [e for e in res if e.kind == "hybrid"]
    assert h.sender["resolved"] == {"threaten": 1.0}
    assert h.sender["irresolute"]["threaten"] == pytest.approx(
        p * (1 - mu) / ((1 - p) * mu), abs=1e-12)
    assert h.receiver["threaten"]["resist"] == pytest.approx(prize / (prize + cost), abs=1e-12)
    assert h.beliefs["threaten"]["resolved"] == pytest.approx(mu)
    assert h.payoffs["irresolute"] == pytest.approx(0.0, abs=1e-12)
    # both types quiet, a threat resisted: the resolved type's war payoff is negative
    assert any(e.kind == "pooling" and e.pure() and e.pure()[0] == {
        "resolved": "stay quiet", "irresolute": "stay quiet"} for e in res)


def test_audience_costs_with_likely_resolve_pool_on_the_threat():
    from gametheory.games import audience_cost_game

    res = signalling_equilibria(audience_cost_game(0.7), mixed=True)
    pure = [e.pure() for e in res if e.pure()]
    assert ({"resolved": "threaten", "irresolute": "threaten"},
            {"threaten": "concede", "stay quiet": "(any action)"}) in pure
    assert not [e for e in res if e.kind == "hybrid"]


@pytest.mark.parametrize("p", [0.3, 0.7])
def test_audience_cost_tree_has_the_folded_game_s_pure_equilibria(p):
    """The tree keeps the challenger's last move; its pure PBE are the folded signalling
    game's, with the resolved type fighting and the irresolute one backing down."""
    from gametheory.games import audience_cost_game, audience_cost_tree
    from gametheory.solvers import perfect_bayesian_equilibria

    folded = {(e.sender["resolved"], e.sender["irresolute"], e.receiver["threaten"])
              for e in signalling_equilibria(audience_cost_game(p))}
    tree = perfect_bayesian_equilibria(audience_cost_tree(p))
    assert {(e.choices["R challenger"], e.choices["I challenger"], e.choices["after threat"])
            for e in tree} == folded
    assert all(e.choices["R resisted"] == "fight" and e.choices["I resisted"] == "back down"
               for e in tree)


def test_audience_cost_inputs_are_checked():
    from gametheory.errors import ProfileError
    from gametheory.games import audience_cost_game

    with pytest.raises(ProfileError, match="p_resolved"):
        audience_cost_game(1.5)
    with pytest.raises(PayoffError, match="audience_cost must be >= 0"):
        audience_cost_game(0.3, audience_cost=-1)
    with pytest.raises(PayoffError, match="prize must be finite"):
        audience_cost_game(0.3, prize=float("nan"))
