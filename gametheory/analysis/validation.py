"""Out-of-sample checks: does the fitted model predict the moves it never saw?

The calibration stops at ``holdout_from``; the moves after it are classified by
the same rules (:meth:`Calibration.holdout_moves`) and turned into turns that
continue the record. Each holdout turn is then predicted from everything before
it, by the strategies fitted on the calibration period and by naive baselines
fitted on the same period, and scored by log score (the mean log probability of
the level that happened) and accuracy (a forecast's most likely level; when
several levels tie for most likely, the hit counts as a fraction, so ties stay
ties).

The forecasters, each a probability over the levels for the side to move:

* ``fitted strategies`` - the candidates of :func:`fit_sides`, each with its β
  (Dal Bó & Fréchette's tremble), mixed by their Akaike weights;
* ``best fitted strategy`` - the candidates with the lowest AIC only (equal
  shares when tied);
* ``uniform`` - every level alike;
* ``repeat own last`` - the side's previous level with the probability it
  repeated itself in the calibration period (fitted, at least 1/K), the rest
  spread evenly;
* ``mirror other's last`` - the other side's last level, with the probability
  that the side mirrored in the calibration period;
* ``empirical frequencies`` - the side's calibration-period level frequencies
  with add-one smoothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import SequenceTooShortError
from .calibration import Calibration, _decisions, _turns, classify_moves

__all__ = ["HoldoutScore", "cross_dispute", "holdout_turns", "out_of_sample"]

BASELINES = ("uniform", "repeat own last", "mirror other's last", "empirical frequencies")
MODELS = ("fitted strategies", "best fitted strategy")
STRUCTURAL = "structural model"


def holdout_turns(cal: Calibration):
    """The turns of the calibration period followed by those of the holdout period.

    Moves of both periods are classified by the calibration's rules and turned
    into one alternating sequence (so the first holdout turn may be an idle turn
    inserted before a side moves again); column ``holdout`` marks the turns after
    those of the calibration.
    """
    import pandas as pd

    params = cal.params
    if params.holdout_from is None:
        raise SequenceTooShortError("the parameters set no holdout_from: nothing to predict")
    moves = pd.concat([cal.moves_, classify_moves(cal.events, params, period="holdout")],
                      ignore_index=True)
    turns = _turns(_decisions(moves, params), params)
    n = len(cal.turns_)
    same = (turns.actor.iloc[:n].tolist() == cal.turns_.actor.tolist()
            and turns.level_index.iloc[:n].tolist() == cal.turns_.level_index.tolist())
    if not same:    # a holdout move merged into the last calibration turn
        from ..errors import ParameterError

        raise ParameterError("holdout_from: the first holdout move joins the last turn of "
                             "the calibration period (within merge_within_days); move "
                             "holdout_from so that the periods do not share a turn")
    # every turn after the calibration's is held out, including an idle turn inserted
    # before the first holdout move (only the holdout reveals it)
    turns["holdout"] = np.arange(len(turns)) >= n
    return turns


def _histories(turns, players, idle: int):
    """Per turn: (side index, own levels before, observed levels before) as in
    :meth:`Calibration.sequences` (the side that did not open starts with an idle turn
    answered by the opening move)."""
    levels = turns.level_index.to_numpy()
    actors = [players.index(a) for a in turns.actor]
    own = {0: [], 1: []}
    seen = {0: [], 1: []}
    opener = actors[0]
    own[1 - opener].append(idle)
    out = []
    for side, lv in zip(actors, levels, strict=True):
        out.append((side, list(own[side]), list(seen[side])))
        own[side].append(int(lv))
        # this move answers the other side's last turn
        if len(seen[1 - side]) < len(own[1 - side]):
            seen[1 - side].append(int(lv))
    return out


def _hit_rate(pairs: list[tuple[int, int]], k: int) -> float:
    """ML probability that the forecast level is the one played (at least 1/K)."""
    if not pairs:
        return 1.0 / k
    return float(np.clip(np.mean([a == b for a, b in pairs]), 1.0 / k, 1.0 - 1e-6))


@dataclass
class HoldoutScore:
    """Scores of each forecaster on the holdout turns (:func:`out_of_sample`).

    Attributes
    ----------
    scores : DataFrame
        One row per forecaster: ``kind`` (model or baseline), ``log_score`` (mean log
        probability of what happened; higher is better), ``accuracy`` and ``n``.
    predictions : DataFrame
        One row per holdout turn and forecaster: the side, the level that happened,
        its probability and the forecaster's most likely level(s).
    """

    scores: Any
    predictions: Any

    def worse_than_baselines(self) -> list[str]:
        """Baselines whose log score beats the fitted strategies'."""
        s = self.scores.set_index("forecaster")
        model = s.loc["fitted strategies", "log_score"]
        return [b for b in BASELINES if s.loc[b, "log_score"] > model + 1e-12]

    def summary(self) -> str:
        """One paragraph, saying where the model does worse than a baseline."""
        s = self.scores.set_index("forecaster")
        n = int(s.n.iloc[0])
        m = s.loc["fitted strategies"]
        worse = self.worse_than_baselines()
        text = (f"On {n} holdout turns the fitted strategies score {m.log_score:.2f} "
                f"(mean log probability) with accuracy {m.accuracy:.2f}; ")
        if worse:
            text += ("worse than the baseline(s) " + ", ".join(
                f"{b} ({s.loc[b, 'log_score']:.2f})" for b in worse) + ".")
        else:
            text += "no baseline does better."
        if STRUCTURAL in s.index:
            st = s.loc[STRUCTURAL]
            better = [b for b in BASELINES if s.loc[b, "log_score"] > st.log_score + 1e-12]
            acc = [f"{b} ({s.loc[b, 'accuracy']:.2f})" for b in BASELINES
                   if s.loc[b, "accuracy"] > st.accuracy + 1e-12]
            text += (f" The structural model (the dispute game's logit equilibrium at the "
                     f"weights fitted to the calibration period) scores {st.log_score:.2f} "
                     f"with accuracy {st.accuracy:.2f}; by log score "
                     + ("it is worse than " + ", ".join(better) if better else
                        "no baseline does better")
                     + ("; by accuracy it is worse than " + ", ".join(acc) if acc else
                        "; no baseline is more accurate") + ".")
        if n < 20:
            text += f" With {n} turns this is weak evidence either way."
        return text

    def _repr_html_(self) -> str:
        import html

        return (f"<p>{html.escape(self.summary())}</p>"
                + self.scores.to_html(index=False, float_format=lambda v: f"{v:.3f}"))


def out_of_sample(cal: Calibration, *, candidates=None, structural: bool = False,
                  staffing=None, fit=None) -> HoldoutScore:
    """Predict every holdout turn from the turns before it; score models and baselines.

    Parameters
    ----------
    cal : Calibration
        Its parameters must set ``holdout_from``; every fit uses only the
        calibration period.
    candidates : strategies, optional
        As in :func:`fit_sides` (default :func:`dispute_candidates`).
    structural : bool
        Also score the **structural model**: the logit Markov QRE of the dispute game
        at the weights :func:`~gametheory.analysis.fit_weights` estimates from the
        calibration period (parity weights and λ free), each turn predicted from the
        state the turns before it lead to (the likelihood's filter run on). About 5 s.
    staffing : DataFrame, optional
        A model's staffing series: the structural model is then fitted and every turn
        (held-out ones too) predicted from the mission sizes recorded before it
        (:func:`~gametheory.analysis.recorded_staff`), restrictions and seized property
        following the model's effects of the levels before it.
    fit : WeightFit, optional
        The structural fit to forecast with (fitted on the calibration period, with the
        same ``staffing``); default: fitted here.

    Examples
    --------
    >>> from gametheory.analysis import calibrate
    >>> res = out_of_sample(calibrate())
    >>> res.scores.forecaster.tolist()[:2], int(res.scores.n.iloc[0])
    (['fitted strategies', 'best fitted strategy'], 7)
    """
    import pandas as pd

    from .inference import dispute_candidates, fit_sides, next_move_probabilities

    turns = holdout_turns(cal)
    if not turns.holdout.any():
        raise SequenceTooShortError("no turns on or after holdout_from to predict")
    players = cal.players
    levels = list(cal.levels)
    k = len(levels)
    idle = levels.index(cal.params.classification.idle_level)
    from ..strategies.base import as_strategy

    cands = ([as_strategy(c) for c in candidates] if candidates is not None
             else dispute_candidates(cal))
    fits = fit_sides(cal, cands)
    game = cal.stage_game()
    mags = cal.magnitudes()
    hist = _histories(turns, players, idle)
    train = [h for h, hold in zip(hist, turns.holdout, strict=True) if not hold]
    train_levels = [int(v) for v, hold in zip(turns.level_index, turns.holdout, strict=True)
                    if not hold]
    rates, freqs = {}, {}
    for side in (0, 1):
        mine = [(h, lv) for h, lv in zip(train, train_levels, strict=True) if h[0] == side]
        rates[side] = {
            "repeat own last": _hit_rate([(h[1][-1], lv) for h, lv in mine if h[1]], k),
            "mirror other's last": _hit_rate([(h[2][-1], lv) for h, lv in mine if h[2]], k)}
        counts = np.bincount([lv for _, lv in mine], minlength=k) + 1.0
        freqs[side] = counts / counts.sum()
    by_name = {}
    for side, p in enumerate(players):
        t = fits[p].table
        by_name[side] = {row.strategy: (row.beta, row.weight, row.standing)
                         for row in t.itertuples()}

    def strategy_forecast(side, own, seen, best_only: bool) -> np.ndarray:
        total = np.zeros(k)
        wsum = 0.0
        for c in cands:
            beta, weight, standing = by_name[side][c.name]
            if best_only:
                if standing != "best":
                    continue
                weight = 1.0
            padded = (seen + [idle] * (len(own) - len(seen)))[:len(own)]
            p = next_move_probabilities(c, own, padded, game, player=side, magnitudes=mags)
            q = beta * p + (1 - beta) * (1 - p) / (k - 1)
            total += weight * q / q.sum()
            wsum += weight
        return total / wsum

    def forecast(name, side, own, seen) -> np.ndarray:
        if name == "fitted strategies":
            return strategy_forecast(side, own, seen, False)
        if name == "best fitted strategy":
            return strategy_forecast(side, own, seen, True)
        if name == "uniform":
            return np.full(k, 1.0 / k)
        if name == "empirical frequencies":
            return freqs[side]
        last = (own if name == "repeat own last" else seen)
        if not last:
            return np.full(k, 1.0 / k)
        h = rates[side][name]
        q = np.full(k, (1 - h) / (k - 1))
        q[last[-1]] = h
        return q

    names = MODELS + BASELINES
    if structural:
        from .estimation import structural_forecast

        struct = structural_forecast(cal, turns, fit, staffing=staffing)
        names = (*MODELS, STRUCTURAL, *BASELINES)
    rows = []
    for t, ((side, own, seen), row) in enumerate(zip(hist, turns.itertuples(), strict=True)):
        if not row.holdout:
            continue
        for name in names:
            q = struct[t] if name == STRUCTURAL else forecast(name, side, own, seen)
            top = np.flatnonzero(np.isclose(q, q.max()))
            hit = float(row.level_index in top) / len(top)
            rows.append({"turn": int(row.turn), "start": row.start, "side": players[side],
                         "idle": bool(row.idle), "happened": row.level,
                         "forecaster": name,
                         "kind": "baseline" if name in BASELINES else "model",
                         "probability": float(q[row.level_index]),
                         "most_likely": " / ".join(levels[a] for a in top), "hit": hit})
    pred = pd.DataFrame(rows)
    scores = (pred.groupby(["forecaster", "kind"], sort=False)
              .agg(log_score=("probability", lambda p: float(np.mean(np.log(p)))),
                   accuracy=("hit", "mean"), n=("hit", "size")).reset_index())
    return HoldoutScore(scores=scores, predictions=pred)


def cross_dispute(cals: dict[str, Calibration], *, candidates=None):
    """Fit on all disputes but one, predict every scored turn of the one left out.

    The candidates' β are fitted on the pooled turns of the training disputes (both
    sides), their Akaike weights from the pooled likelihood; the baselines' rates and
    level frequencies are pooled the same way. Each held-out dispute's turns are then
    scored by the log probability each forecaster gave the level that happened.

    Parameters
    ----------
    cals : dict of name -> Calibration
        At least two disputes over the same ordered levels.
    candidates : strategies, optional
        Default :func:`dispute_candidates` of the first calibration.

    Returns
    -------
    DataFrame
        One row per held-out dispute and forecaster: ``log_score`` (mean log
        probability), ``n`` (turns scored) and ``kind``.

    Examples
    --------
    >>> import warnings
    >>> from gametheory.analysis import calibrate
    >>> from gametheory.models import load_model
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     cals = {k: calibrate(load_model(k).events, load_model(k).path / "parameters.yaml")
    ...             for k in ("us-russia", "czech-russia-2021", "us-china-2020")}
    >>> table = cross_dispute(cals)
    >>> sorted(set(table.held_out)), int(table[table.held_out == "us-russia"].n.iloc[0])
    (['czech-russia-2021', 'us-china-2020', 'us-russia'], 20)
    """
    import pandas as pd

    from ..errors import ParameterError
    from ..strategies.base import as_strategy
    from .inference import _fit_beta, _loglik, dispute_candidates, move_probabilities

    if len(cals) < 2:
        raise SequenceTooShortError("cross_dispute needs at least two disputes")
    names = list(cals)
    levels = {tuple(c.levels) for c in cals.values()}
    if len(levels) != 1:
        raise ParameterError("the disputes' levels differ; cross-dispute prediction needs "
                             "the same ordered levels", key="levels")
    k = len(next(iter(levels)))
    first = cals[names[0]]
    cands = ([as_strategy(c) for c in candidates] if candidates is not None
             else dispute_candidates(first))
    data = {}
    for name, cal in cals.items():
        game, mags = cal.stage_game(), cal.magnitudes()
        sides = []
        for i, (_, mv) in enumerate(cal.sequences().items()):
            own, obs, start = list(mv.own), list(mv.observed), mv.start
            p = {c.name: move_probabilities(c, own, obs, game, player=i,
                                            magnitudes=mags)[start:] for c in cands}
            moves = own[start:]
            prev_own = [own[t - 1] if t >= 1 else None for t in range(start, len(own))]
            prev_obs = [obs[t - 1] if t >= 1 else None for t in range(start, len(own))]
            sides.append({"p": p, "moves": moves, "prev_own": prev_own,
                          "prev_obs": prev_obs})
        data[name] = sides
    rows = []
    for held in names:
        train = [s for n in names if n != held for s in data[n]]
        fits = {}
        for c in cands:
            p = np.concatenate([s["p"][c.name] for s in train])
            beta = _fit_beta(p, k)
            fits[c.name] = (beta, float(_loglik(beta, p, k)))
        aic = np.array([2 - 2 * ll for _, ll in fits.values()])
        w = np.exp(-(aic - aic.min()) / 2)
        w /= w.sum()
        pairs_own = [(a, b) for s in train for a, b in zip(s["prev_own"], s["moves"],
                                                              strict=True) if a is not None]
        pairs_obs = [(a, b) for s in train for a, b in zip(s["prev_obs"], s["moves"],
                                                              strict=True) if a is not None]
        h_own, h_obs = _hit_rate(pairs_own, k), _hit_rate(pairs_obs, k)
        freq = np.bincount([m for s in train for m in s["moves"]], minlength=k) + 1.0
        freq /= freq.sum()
        scores = {n: [] for n in ("fitted strategies", *BASELINES)}
        for s in data[held]:
            qs = [beta * s["p"][c.name] + (1 - beta) * (1 - s["p"][c.name]) / (k - 1)
                  for c, (beta, _) in zip(cands, fits.values(), strict=True)]
            mix = np.sum([wc * q for wc, q in zip(w, qs, strict=True)], axis=0)
            scores["fitted strategies"].extend(np.log(mix))
            for t, m in enumerate(s["moves"]):
                scores["uniform"].append(np.log(1.0 / k))
                for key, prev, h in (("repeat own last", s["prev_own"], h_own),
                                     ("mirror other's last", s["prev_obs"], h_obs)):
                    a = prev[t]
                    q = 1.0 / k if a is None else (h if a == m else (1 - h) / (k - 1))
                    scores[key].append(np.log(q))
                scores["empirical frequencies"].append(np.log(freq[m]))
        for n, v in scores.items():
            rows.append({"held_out": held, "forecaster": n,
                         "kind": "model" if n == "fitted strategies" else "baseline",
                         "log_score": float(np.mean(v)), "n": len(v)})
    return pd.DataFrame(rows)
