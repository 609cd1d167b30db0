"""Equilibria of two-player game trees in behaviour strategies, on the sequence form.

* :func:`sequence_lemke` - Lemke's algorithm on the linear complementarity problem
  of the sequence form (Koller, Megiddo & von Stengel 1996): one Nash equilibrium
  per covering vector, several with ``starts``; the same method as Gambit's
  ``lcp_solve`` on a tree. Sizes linear in the tree, not exponential as the reduced
  normal form.
* :func:`sequence_lp` - the zero-sum (or constant-sum) sequence-form linear program
  (von Stengel 1996): the value and optimal behaviour strategies of both players,
  by HiGHS; Gambit's ``lp_solve`` on a tree.

Every returned profile is verified before it is returned: each player's payoff is
within ``tol`` (relative to the payoff range) of its best response in the tree,
computed by backward induction over its information sets
(:meth:`~gametheory.games.SequenceForm.gains`).

The LCP. With ``x, y`` the realisation plans, ``E x = e`` and ``F y = f`` their
constraints, and positive costs ``C1 = K R - A`` and ``C2 = K R - B`` (payoffs shifted
below their minimum over leaves; ``R`` the leaves' chance probabilities, so the
shift changes every payoff by the same constant), find ``z = (x, y, p, q) >= 0``
with ``w = q0 + M z >= 0`` and ``z . w = 0``, where::

    M = [[0,     C1, -E^T,  0  ],      q0 = [ 0,
         [C2^T,  0,   0,  -F^T ],             0,
         [E,     0,   0,    0  ],            -e,
         [0,     F,   0,    0  ]]            -f ]

(``p, q`` are the information sets' best-response costs; positive costs keep them
positive, so ``E x >= e`` binds). Lemke's method adds an artificial variable
``z0`` along a covering vector ``d > 0`` and pivots complementarily until ``z0``
leaves; degenerate ties are broken lexicographically (Eaves 1971), so the path
cannot cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._random import as_generator
from .._validate import check_tolerance
from ..errors import IterationLimitError, SolverError
from ..games.sequence_form import SequenceForm, sequence_form

__all__ = ["BehaviourEquilibrium", "BehaviourResult", "sequence_lemke", "sequence_lp"]


@dataclass(frozen=True, eq=False)
class BehaviourEquilibrium:
    """A Nash equilibrium of a two-player tree in behaviour strategies.

    Attributes
    ----------
    behaviour : tuple of two dicts
        Per player, ``{infoset: {action: probability}}`` (uniform at information sets
        the player's own moves never reach).
    plans : tuple of two arrays
        The realisation plans (over :attr:`SequenceForm.sequences`).
    payoffs : tuple of float
    gains : tuple of float
        Each player's gain from its best response (at most ``tol`` times the payoff
        range: verified).
    """

    behaviour: tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]
    plans: tuple[np.ndarray, np.ndarray] = field(repr=False)
    payoffs: tuple[float, float]
    gains: tuple[float, float] = field(repr=False)

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<tr><td>{i + 1}</td><td>{html.escape(h)}</td><td>"
            + html.escape(", ".join(f"{a} {p:.4g}" for a, p in probs.items())) + "</td></tr>"
            for i, beh in enumerate(self.behaviour) for h, probs in beh.items())
        return ("<table><caption>Behaviour strategies (payoffs "
                + ", ".join(f"{u:.6g}" for u in self.payoffs) + ")</caption><tr><th>player"
                "</th><th>information set</th><th>action probabilities</th></tr>" + rows
                + "</table>")


@dataclass(frozen=True, eq=False)
class BehaviourResult:
    """Equilibria of a tree from :func:`sequence_lemke` or :func:`sequence_lp`.

    Attributes
    ----------
    equilibria : list of BehaviourEquilibrium
    method : str
    form : SequenceForm
    pivots : int
        Lemke pivots over all starts (0 for the LP).
    value : float or None
        Player 1's value (zero-sum LP only).
    guarantee : str
        ``"one"`` (Lemke: one equilibrium per start, not all) or ``"value"`` (the LP:
        every optimal strategy pair has this value).
    """

    equilibria: list[BehaviourEquilibrium]
    method: str
    form: SequenceForm = field(repr=False)
    pivots: int = 0
    value: float | None = None
    guarantee: str = "one"

    def __len__(self) -> int:
        return len(self.equilibria)

    def __getitem__(self, k: int) -> BehaviourEquilibrium:
        return self.equilibria[k]

    def __iter__(self):
        return iter(self.equilibria)

    def to_frame(self):
        """One row per equilibrium, player, information set and action."""
        import pandas as pd

        rows = []
        for k, eq in enumerate(self.equilibria):
            for i, beh in enumerate(eq.behaviour):
                for h, probs in beh.items():
                    for a, p in probs.items():
                        rows.append({"equilibrium": k, "player": self.form.players[i],
                                     "infoset": h, "action": a, "probability": p})
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        from .._format import frame_html

        what = (f"value {self.value:.6g}, " if self.value is not None else "")
        return frame_html(self.to_frame(), f"{len(self)} equilibri"
                          f"{'um' if len(self) == 1 else 'a'} in behaviour strategies "
                          f"({self.method}, {what}{self.pivots} pivots)")


# ------------------------------------------------------------------- helpers
def _form(game) -> SequenceForm:
    if isinstance(game, SequenceForm):
        return game
    from ..games.extensive import GameTree

    if not isinstance(game, GameTree):
        from ..errors import GameError

        raise GameError(f"a sequence-form solver needs a GameTree or a SequenceForm, got "
                        f"{type(game).__name__}")
    return sequence_form(game)


def _costs(sf: SequenceForm):
    """Positive cost matrices (scaled to the payoff range) and that range."""
    R = sf.reach.tocoo()
    out, spans = [], []
    for P in (sf.A, sf.B):
        # entries are chance-weighted sums of leaf payoffs: their averages per entry lie
        # within the leaves' payoff range
        avg = np.asarray(P.tocsr()[R.row, R.col]).ravel() / R.data
        hi, lo = float(avg.max(initial=0.0)), float(avg.min(initial=0.0))
        span = hi - lo if hi > lo else 1.0
        spans.append(span)
        out.append(((hi * sf.reach - P) / span + sf.reach).tocsr())
    return out[0], out[1], spans


def _verify(sf: SequenceForm, x: np.ndarray, y: np.ndarray, tol: float, spans,
            what: str) -> BehaviourEquilibrium:
    for i, (plan, (E, e)) in enumerate(((x, sf.constraints(0)), (y, sf.constraints(1)))):
        if np.abs(E @ plan - e).max(initial=0.0) > 1e-7 or plan.min(initial=0.0) < -1e-9:
            raise SolverError(f"{what}: player {sf.players[i]!r}'s plan violates the "
                              "sequence-form constraints (numerical failure)")
    beh = (sf.behaviour(0, x), sf.behaviour(1, y))
    # re-derive the plans from the behaviour so that the verified profile is the one
    # returned
    x, y = sf.plan(0, beh[0]), sf.plan(1, beh[1])
    g = sf.gains(x, y)
    for i in (0, 1):
        if g[i] > tol * spans[i]:
            raise SolverError(f"{what}: player {sf.players[i]!r} gains {g[i]:.3g} by "
                              "deviating; the profile is not an equilibrium (numerical "
                              "failure)")
    return BehaviourEquilibrium(
        behaviour=(sf.behaviour_dict(0, beh[0]), sf.behaviour_dict(1, beh[1])),
        plans=(x, y), payoffs=sf.payoffs(x, y), gains=g)


# ------------------------------------------------------------------- Lemke
def _lcp(sf: SequenceForm):
    """``(M, q0, n1, n2)`` of the sequence-form LCP (M as CSC)."""
    from scipy import sparse

    C1, C2, spans = _costs(sf)
    E, e = sf.constraints(0)
    F, f = sf.constraints(1)
    n1, n2 = sf.n_sequences
    m1, m2 = E.shape[0], F.shape[0]
    Z = None
    M = sparse.bmat([[Z, C1, -E.T, Z], [C2.T, Z, Z, -F.T], [E, Z, Z, Z], [Z, F, Z, Z]],
                    format="csc", dtype=float)
    n = n1 + n2 + m1 + m2
    if M.shape != (n, n):           # a player without information sets: pad
        M.resize((n, n))
    q0 = np.concatenate([np.zeros(n1 + n2), -e, -f])
    return M, q0, n1, n2, spans


def _lex_order(V: np.ndarray, tol: float) -> int:
    """Index of the lexicographically smallest row of ``V`` (entries compared with a
    relative tolerance)."""
    cand = np.arange(V.shape[0])
    while len(cand) > 1:
        W = V[cand]
        spread = W.max(axis=0) - W.min(axis=0)
        differ = np.flatnonzero(spread > tol * np.maximum(1.0, np.abs(W).max(axis=0)))
        if differ.size == 0:            # identical rows: cannot happen for a basis inverse
            break
        col = W[:, differ[0]]
        cand = cand[col <= col.min() + tol * max(1.0, abs(col.min()))]
    return int(cand[0])


def _leaving_row(alpha: np.ndarray, beta: np.ndarray, basis: np.ndarray, n: int,
                 tol: float, inverse_rows) -> int | None:
    """The ratio test of both engines: the row that leaves when a column ``alpha``
    (the entering variable's, in the current basis) enters; ``z0`` leaves on a tie
    (the path ends), other ties by the lexicographic rule on the rows of the basis
    inverse (``inverse_rows(rows)``) divided by their pivot entries. None on a ray."""
    pos = np.flatnonzero(alpha > tol)
    if pos.size == 0:
        return None
    ratio = beta[pos] / alpha[pos]
    m = ratio.min()
    tied = pos[ratio <= m + tol * max(1.0, abs(m))]
    z0 = np.flatnonzero(basis[tied] == 2 * n)
    if z0.size:
        return int(tied[z0[0]])
    if tied.size == 1:
        return int(tied[0])
    return int(tied[_lex_order(inverse_rows(tied) / alpha[tied, None], tol)])


def _lemke(M, q0: np.ndarray, d: np.ndarray, *, max_pivots: int, tol: float = 1e-9):
    """Lemke's method with covering vector ``d``; returns (z, pivots)."""
    from scipy.linalg.blas import dger

    n = len(q0)
    Binv = np.asfortranarray(np.eye(n))
    beta = q0.astype(float).copy()
    basis = np.arange(n)                       # variable in each row: w_i = i, z_j = n + j
    Mp, Mi, Mx = M.indptr, M.indices, M.data

    def column(var: int) -> np.ndarray:
        if var < n:
            return Binv[:, var].copy()
        if var == 2 * n:
            return -(Binv @ d)
        j = var - n
        lo, hi = Mp[j], Mp[j + 1]
        return -(Binv[:, Mi[lo:hi]] @ Mx[lo:hi])

    def pivot(r: int, col: np.ndarray, var: int) -> None:
        nonlocal Binv
        piv = col[r]
        Binv[r] /= piv
        beta[r] /= piv
        c = col.copy()
        c[r] = 0.0
        Binv = dger(-1.0, c, Binv[r].copy(), a=Binv, overwrite_a=True)
        beta[:] -= c * beta[r]
        basis[r] = var

    # z0 enters: the most negative q0_i / d_i leaves (the largest index on ties keeps
    # the tableau lexicographically positive)
    ratios = -q0 / d
    top = ratios.max()
    if top <= 0:
        return np.zeros(n), 0
    r = int(np.flatnonzero(ratios >= top - tol * max(1.0, top))[-1])
    leaving = int(basis[r])
    pivot(r, column(2 * n), 2 * n)
    pivots = 1
    while True:
        entering = leaving + n if leaving < n else leaving - n
        col = column(entering)
        r = _leaving_row(col, beta, basis, n, tol, lambda rows: Binv[rows])
        if r is None:
            raise SolverError("Lemke's method ended on a ray (no equilibrium found from "
                              "this covering vector)")
        leaving = int(basis[r])
        pivot(r, col, entering)
        pivots += 1
        if leaving == 2 * n:
            break
        if pivots > max_pivots:
            raise IterationLimitError(f"Lemke's method took more than {max_pivots} pivots")
    z = np.zeros(n)
    for row, var in enumerate(basis):
        if n <= var < 2 * n:
            z[var - n] = max(beta[row], 0.0)
    return z, pivots


#: Pivots between refactorisations of the basis (sparse Lemke).
REFACTOR_EVERY = 48


def _lemke_sparse(M, q0: np.ndarray, d: np.ndarray, *, max_pivots: int,
                  tol: float = 1e-9):
    """Lemke's method on a sparse LU of the basis with product-form (eta) updates and
    the same lexicographic rule as :func:`_lemke`: the rows of the basis inverse
    that a tie needs are computed by backward solves (transposed etas, then the LU)
    only when there is a tie. Returns (z, pivots), or None when the path fails
    numerically (the caller then takes the dense path)."""
    from scipy import sparse
    from scipy.sparse.linalg import splu

    n = len(q0)
    Mp, Mi, Mx = M.indptr, M.indices, M.data
    basis = np.arange(n)

    def dense_col(var: int) -> np.ndarray:
        a = np.zeros(n)
        if var < n:
            a[var] = 1.0
        elif var == 2 * n:
            a[:] = -d
        else:
            j = var - n
            a[Mi[Mp[j]:Mp[j + 1]]] = -Mx[Mp[j]:Mp[j + 1]]
        return a

    def factor():
        cols, rows, vals = [], [], []
        for k, var in enumerate(basis):
            if var < n:
                rows.append(np.array([var]))
                vals.append(np.array([1.0]))
            elif var == 2 * n:
                rows.append(np.arange(n))
                vals.append(-d)
            else:
                j = var - n
                rows.append(Mi[Mp[j]:Mp[j + 1]])
                vals.append(-Mx[Mp[j]:Mp[j + 1]])
            cols.append(np.full(len(rows[-1]), k))
        B = sparse.csc_matrix((np.concatenate(vals), (np.concatenate(rows),
                                                      np.concatenate(cols))), shape=(n, n))
        return splu(B, permc_spec="COLAMD")

    etas: list[tuple[int, np.ndarray]] = []
    lu = None

    def ftran(a: np.ndarray) -> np.ndarray:
        u = a.copy() if lu is None else lu.solve(a)
        for r, alpha in etas:
            t = u[r] / alpha[r]
            u -= alpha * t
            u[r] = t
        return u

    def inverse_rows(rows: np.ndarray) -> np.ndarray:
        """Rows of the current basis inverse, shape (len(rows), n)."""
        V = np.zeros((n, len(rows)))
        V[rows, np.arange(len(rows))] = 1.0
        for r, alpha in reversed(etas):
            dots = alpha @ V
            V[r] = V[r] - (dots - V[r]) / alpha[r]
        if lu is not None:
            V = lu.solve(np.asfortranarray(V), trans="T")
        return V.T

    beta = q0.astype(float).copy()
    ratios = -q0 / d
    top = ratios.max()
    if top <= 0:
        return np.zeros(n), 0

    def pivot(r: int, alpha: np.ndarray, var: int) -> None:
        nonlocal lu
        t = beta[r] / alpha[r]
        beta[:] -= alpha * t
        beta[r] = t
        basis[r] = var
        etas.append((r, alpha))
        if len(etas) >= REFACTOR_EVERY:
            etas.clear()
            lu = factor()
            beta[:] = lu.solve(q0)

    r = int(np.flatnonzero(ratios >= top - tol * max(1.0, top))[-1])
    leaving = int(basis[r])
    pivot(r, ftran(dense_col(2 * n)), 2 * n)
    pivots = 1
    try:
        while True:
            entering = leaving + n if leaving < n else leaving - n
            alpha = ftran(dense_col(entering))
            r = _leaving_row(alpha, beta, basis, n, tol, inverse_rows)
            if r is None:
                return None
            leaving = int(basis[r])
            pivot(r, alpha, entering)
            pivots += 1
            if leaving == 2 * n:
                break
            if pivots > max_pivots:
                return None
        etas.clear()
        lu = factor()
        beta = lu.solve(q0)
    except RuntimeError:        # a numerically singular basis: the caller falls back
        return None
    if not np.all(np.isfinite(beta)) or beta.min() < -1e-7:
        return None
    z = np.zeros(n)
    sel = (basis >= n) & (basis < 2 * n)
    z[basis[sel] - n] = np.maximum(beta[sel], 0.0)
    return z, pivots


#: Pivots between fresh basis inverses (compiled engine): rounding errors of the
#: rank-one updates grow about a thousandfold per thousand pivots on random trees.
REINVERT_EVERY = 256
#: The shortest interval the compiled engine retries with before giving up.
MIN_REINVERT = 8
#: Largest normwise backward error of the updated inverse (on a random vector)
#: accepted; the lexicographic rule compares entries with a relative tolerance of 1e-9.
ACCURACY = 1e-12
#: ``engine="auto"`` uses the compiled engine up to this LCP size (its explicit basis
#: inverse takes n^2 floats: 288 MB at 6,000 rows), the sparse-LU engine above.
COMPILED_UP_TO = 6_000
#: Entries of the compiled engine's basis inverse below this are dropped.
DROP = 1e-14
#: The compiled engine's lexicographic rule reads entries of the inverse below this
#: as zero (the rounding residue the updates leave is of order 1e-13).
TINY = 1e-11
#: ``sequence_lemke``'s engines.
ENGINES = ("auto", "compiled", "sparse", "dense")


def _basis_matrix(M, d: np.ndarray, basis: np.ndarray):
    """The basis matrix (CSC) of Lemke's tableau: column k is ``e_i`` for a basic
    ``w_i``, ``-M_j`` for ``z_j`` and ``-d`` for ``z0``."""
    from scipy import sparse

    n = len(d)
    Mp, Mi, Mx = M.indptr, M.indices, M.data
    z = (basis >= n) & (basis < 2 * n)
    lengths = np.where(basis < n, 1, n)
    j = basis[z] - n
    lengths[z] = Mp[j + 1] - Mp[j]
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    rows = np.empty(indptr[-1], dtype=np.int64)
    vals = np.empty(indptr[-1])
    w = np.flatnonzero(basis < n)
    rows[indptr[w]] = basis[w]
    vals[indptr[w]] = 1.0
    for k in np.flatnonzero(basis == 2 * n):
        rows[indptr[k]:indptr[k + 1]] = np.arange(n)
        vals[indptr[k]:indptr[k + 1]] = -d
    ks = np.flatnonzero(z)
    if ks.size:
        lens = lengths[ks]
        within = np.arange(lens.sum()) - np.repeat(np.cumsum(lens) - lens, lens)
        dst = np.repeat(indptr[ks], lens) + within
        src = np.repeat(Mp[j], lens) + within
        rows[dst] = Mi[src]
        vals[dst] = -Mx[src]
    return sparse.csc_matrix((vals, rows, indptr), shape=(n, n))


def _residual(B, binv, v) -> float:
    """Normwise backward error of ``x = binv v`` as the solution of ``B x = v``:
    ``|B x - v| / (|B| |x| + |v|)`` in the max norm."""
    x = binv @ v
    norm = abs(B).sum(axis=1).max()
    return float(np.abs(B @ x - v).max() / (norm * np.abs(x).max() + np.abs(v).max()))


def _lemke_compiled(M, q0: np.ndarray, d: np.ndarray, *, max_pivots: int,
                    tol: float = 1e-9):
    """Lemke's method by the compiled engine (:mod:`._lemke_kernel`): the dense
    engine's rule, a pivot's cost proportional to the non-zeros it changes.

    The updated inverse is checked every ``REINVERT_EVERY`` pivots (the residual
    ``B (B^-1 v) - v`` for a fixed random ``v``) and replaced by a fresh one from a
    sparse LU. When the residual exceeds ``ACCURACY``, a basis comes back (the
    lexicographic rule never revisits one: rounding has broken a near-tie the wrong
    way), or a stretch ends on a ray or at a negative solution, the path goes back
    to the last checked basis and redoes the stretch with half the interval (down to
    ``MIN_REINVERT``). Returns (z, pivots), or None when the path still fails (the
    caller then runs the sparse-LU engine, whose rounding differs, from the start).

    Raises
    ------
    IterationLimitError
        More than ``max_pivots`` pivots.
    SolverError
        An LCP of more than ``COMPILED_UP_TO`` rows (checked before allocating).
    """
    from scipy.sparse.linalg import splu

    from ._lemke_kernel import DONE, PAUSED, RAY, lemke_steps, lu_inverse

    n = len(q0)
    if n > COMPILED_UP_TO:
        raise SolverError(f"the compiled engine keeps an n x n inverse; this LCP has "
                          f"{n:,} rows, more than COMPILED_UP_TO = {COMPILED_UP_TO:,} "
                          "(engine='sparse' needs memory linear in the tree)")
    M = M.tocsc()
    binv = np.zeros((n, n)).T                 # Fortran order
    binv[np.arange(n), np.arange(n)] = 1.0
    first = np.arange(n)
    beta = q0.astype(float).copy()
    basis = np.arange(n)
    nz = np.flatnonzero(q0)
    rng = np.random.default_rng(0)
    probe = rng.uniform(-1.0, 1.0, n)
    keys = rng.integers(-2**62, 2**62, 2 * n + 1)
    state = np.array([-1, 0, keys[:n].sum()], dtype=np.int64)
    hist = np.empty(REINVERT_EVERY, dtype=np.int64)
    seen: set[int] = set()                  # hashes of the bases visited so far
    path: list[int] = []                    # ... in order
    saved = (basis.copy(), state.copy(), beta.copy())   # a basis with an exact inverse
    interval = REINVERT_EVERY

    def refresh(B=None) -> bool:
        try:
            lu = splu(_basis_matrix(M, d, basis) if B is None else B, permc_spec="COLAMD")
        except RuntimeError:            # a numerically singular basis
            return False
        L, U = lu.L.tocsc(), lu.U.tocsc()
        lu_inverse(L.indptr, L.indices, L.data, U.indptr, U.indices, U.data,
                   lu.perm_r, lu.perm_c, binv, first, DROP)
        if state[0] >= 0:
            beta[:] = binv[:, nz] @ q0[nz]
        return True

    while True:
        before = int(state[1])
        stop = min(before + interval, max_pivots)
        status = lemke_steps(M.indptr, M.indices, M.data, d, binv, first, beta, basis,
                             state, stop, tol, DROP, TINY, keys, hist)
        new = hist[:int(state[1]) - before].tolist()
        cycled = len(set(new)) < len(new) or not seen.isdisjoint(new)
        B = _basis_matrix(M, d, basis)           # checked, then factorised
        accurate = status != RAY and not cycled and _residual(B, binv, probe) <= ACCURACY
        if accurate:
            seen.update(new)
            path.extend(new)
        if accurate and status == PAUSED and state[1] < max_pivots and refresh(B):
            saved = (basis.copy(), state.copy(), beta.copy())
            interval = min(2 * interval, REINVERT_EVERY)
            continue
        if accurate and status == DONE:
            if state[1] == 0:
                return np.zeros(n), 0
            try:
                beta = splu(B, permc_spec="COLAMD").solve(q0)
            except RuntimeError:
                beta = np.full(n, np.nan)
            if np.all(np.isfinite(beta)) and beta.min() >= -1e-7:
                break
        if state[1] >= max_pivots:
            raise IterationLimitError(f"Lemke's method took more than {max_pivots} pivots")
        if interval <= MIN_REINVERT:
            return None
        # back to the last checked basis; the stretch again with half the interval
        interval //= 2
        basis[:], state[:], beta[:] = saved
        del path[int(state[1]):]
        seen = set(path)
        if not refresh():
            return None
    z = np.zeros(n)
    sel = (basis >= n) & (basis < 2 * n)
    z[basis[sel] - n] = np.maximum(beta[sel], 0.0)
    return z, int(state[1])


def sequence_lemke(game, *, starts: int = 1, seed=None, tol: float = 1e-7,
                   max_pivots: int | None = None, engine: str = "auto") -> BehaviourResult:
    """Nash equilibria of a two-player tree by Lemke's algorithm on its sequence form.

    Parameters
    ----------
    game : GameTree or SequenceForm
        Two players, perfect recall; chance moves allowed.
    starts : int
        Covering vectors to start from: the first is all ones (Gambit's ``lcp_solve``
        starts there too), the others drawn from ``seed`` (log-uniform in [1/4, 4]).
        Distinct equilibria found are returned once each; this is *not* all
        equilibria.
    seed : int or Generator, optional
    tol : float
        Verification tolerance, relative to each player's payoff range.
    max_pivots : int, optional
        Per start (default 1,000 times the LCP's size: a safety bound; with the
        lexicographic rule the path cannot cycle, but random covering vectors can
        make it long - up to 90 times the size was seen on random trees).
    engine : {"auto", "compiled", "sparse", "dense"}
        ``"dense"``: the explicit basis inverse in NumPy (O(n^2) per pivot);
        ``"compiled"``: the same rule on the explicit inverse in compiled code,
        touching only the entries a pivot changes, with the inverse checked and
        renewed from a sparse LU every ``REINVERT_EVERY`` pivots (n^2 floats of
        memory); ``"sparse"``: a sparse LU of the basis, refactorised every
        ``REFACTOR_EVERY`` pivots, with product-form updates and the rows a
        lexicographic tie needs computed by backward solves. All follow the same
        lexicographic rule, so the same path up to rounding. ``"auto"``: compiled up
        to ``COMPILED_UP_TO`` rows, else sparse; a path that fails numerically is
        retried by the next engine (compiled, sparse, dense).

    Returns
    -------
    BehaviourResult
        ``guarantee == "one"``: each start's path ends at one equilibrium.

    Raises
    ------
    GameTreeError
        Not two players, or imperfect recall.
    SolverError
        A path that ends on a ray, or a profile that fails verification.

    Examples
    --------
    Matching pennies as a tree (the second mover does not see the first move):

    >>> from gametheory.games import GameTree
    >>> t = GameTree(players=("1", "2"))
    >>> t.decision("r", player="1", actions={"H": "a", "T": "b"})
    >>> t.decision("a", player="2", actions={"h": "ah", "t": "at"}, infoset="I")
    >>> t.decision("b", player="2", actions={"h": "bh", "t": "bt"}, infoset="I")
    >>> for n, u in {"ah": (1, -1), "at": (-1, 1), "bh": (-1, 1), "bt": (1, -1)}.items():
    ...     t.terminal(n, u)
    >>> res = sequence_lemke(t)
    >>> res[0].behaviour
    ({'r': {'H': 0.5, 'T': 0.5}}, {'I': {'h': 0.5, 't': 0.5}})
    """
    sf = _form(game)
    tol = check_tolerance(tol)
    if isinstance(starts, bool) or not isinstance(starts, int | np.integer) or starts < 1:
        raise SolverError(f"starts must be a positive integer, got {starts!r}")
    if engine not in ENGINES:
        from ..errors import UnknownNameError

        raise UnknownNameError("engine", engine, ENGINES)
    M, q0, n1, n2, spans = _lcp(sf)
    n = len(q0)
    limit = 1000 * n if max_pivots is None else int(max_pivots)
    if engine == "auto":
        chain = ("compiled", "sparse", "dense") if n <= COMPILED_UP_TO else ("sparse",
                                                                             "dense")
    else:
        chain = (engine,)
    rng = as_generator(seed)
    found: list[BehaviourEquilibrium] = []
    total = 0
    for s in range(int(starts)):
        d = np.ones(n) if s == 0 else np.exp(rng.uniform(np.log(0.25), np.log(4.0), n))
        eq = None
        for k, eng in enumerate(chain):
            last = k == len(chain) - 1
            if eng == "dense":
                z, piv = _lemke(M, q0, d, max_pivots=limit)
                out = (z, piv)
            else:
                run = _lemke_compiled if eng == "compiled" else _lemke_sparse
                out = run(M, q0, d, max_pivots=limit)
            if out is not None:
                z, piv = out
                total += piv
                try:
                    eq = _verify(sf, z[:n1], z[n1:n1 + n2], tol, spans, "sequence_lemke")
                except SolverError:
                    if last:
                        raise
                    eq = None
            if eq is not None:
                break
            if last:
                raise SolverError(f"sequence_lemke: the {eng} engine's path failed "
                                  "numerically (the engines round differently: another "
                                  "engine, or engine='auto', may finish it)")
        if not any(np.allclose(eq.plans[0], o.plans[0], atol=1e-7)
                   and np.allclose(eq.plans[1], o.plans[1], atol=1e-7) for o in found):
            found.append(eq)
    return BehaviourResult(equilibria=found, method="sequence_lemke", form=sf,
                           pivots=total, guarantee="one")


# ------------------------------------------------------------------- zero-sum LP
def sequence_lp(game, *, tol: float = 1e-7) -> BehaviourResult:
    """Value and optimal behaviour strategies of a two-player zero-sum tree.

    Solves the sequence-form linear programs of both players (von Stengel 1996) with
    HiGHS: player 1 maximises ``f.q`` subject to ``F^T q <= A^T x, E x = e, x >= 0``;
    player 2 minimises ``e.p`` subject to ``E^T p >= A y, F y = f, y >= 0``. Constant
    sum (``A + B`` the same at every leaf) is accepted.

    Raises
    ------
    SolverError
        If the game is not constant-sum, the two programs' values differ, or the
        profile fails verification.

    Examples
    --------
    >>> from gametheory.games import GameTree
    >>> t = GameTree(players=("1", "2"))
    >>> t.decision("r", player="1", actions={"H": "a", "T": "b"})
    >>> t.decision("a", player="2", actions={"h": "ah", "t": "at"}, infoset="I")
    >>> t.decision("b", player="2", actions={"h": "bh", "t": "bt"}, infoset="I")
    >>> for n, u in {"ah": (2, -2), "at": (-1, 1), "bh": (-1, 1), "bt": (1, -1)}.items():
    ...     t.terminal(n, u)
    >>> res = sequence_lp(t)
    >>> round(res.value, 6), res[0].behaviour[0]
    (0.2, {'r': {'H': 0.4, 'T': 0.6}})
    """
    from scipy import sparse
    from scipy.optimize import linprog

    sf = _form(game)
    tol = check_tolerance(tol)
    A, R = sf.A, sf.reach.tocoo()
    total = (A + sf.B).tocsr()
    const = np.asarray(total[R.row, R.col]).ravel() / R.data
    _, _, spans = _costs(sf)
    if const.size and const.max() - const.min() > 1e-9 * max(spans):
        raise SolverError("sequence_lp needs a zero-sum (constant-sum) tree: the players' "
                          "payoffs do not add up to the same constant at every leaf")
    E, e = sf.constraints(0)
    F, f = sf.constraints(1)
    n1, n2 = sf.n_sequences
    m1, m2 = E.shape[0], F.shape[0]
    # player 1: variables (x, q); maximise f.q
    A_ub = sparse.hstack([-A.T, F.T], format="csr")
    A_eq = sparse.hstack([E, sparse.csr_matrix((m1, m2))], format="csr")
    r1 = linprog(np.concatenate([np.zeros(n1), -f]), A_ub=A_ub, b_ub=np.zeros(n2),
                 A_eq=A_eq, b_eq=e, bounds=[(0, None)] * n1 + [(None, None)] * m2,
                 method="highs")
    # player 2: variables (y, p); minimise e.p
    A_ub2 = sparse.hstack([A, -E.T], format="csr")
    A_eq2 = sparse.hstack([F, sparse.csr_matrix((m2, m1))], format="csr")
    r2 = linprog(np.concatenate([np.zeros(n2), e]), A_ub=A_ub2, b_ub=np.zeros(n1),
                 A_eq=A_eq2, b_eq=f, bounds=[(0, None)] * n2 + [(None, None)] * m1,
                 method="highs")
    if r1.status != 0 or r2.status != 0:
        raise SolverError(f"sequence_lp: HiGHS failed ({r1.message}; {r2.message})")
    v1, v2 = -float(r1.fun), float(r2.fun)
    if abs(v1 - v2) > tol * spans[0]:
        raise SolverError(f"sequence_lp: the players' programs disagree on the value "
                          f"({v1:.9g} vs {v2:.9g})")
    x = np.clip(r1.x[:n1], 0.0, None)
    y = np.clip(r2.x[:n2], 0.0, None)
    eq = _verify(sf, x, y, tol, spans, "sequence_lp")
    return BehaviourResult(equilibria=[eq], method="sequence_lp", form=sf, value=v1,
                           guarantee="value")
