"""Point forecasts of demand for many products at once, and automatic choice of method per product.

Input: a 2-D array, one row per product, one column per period, oldest first (a 1-D array is one
product). NaN means "not observed": a series may start late, end early or have holes; a row is
forecast exactly as its observed values alone, put end to end, would be. A row with no observation
forecasts NaN. For daily demand, forecast weekly sums (``demand.aggregate(daily, 7)``) and divide by
7: IMAPA on 730 days costs about ten times what it costs on 104 weeks.

Every method returns a ``Fit``: ``level`` is the expected demand per period over the horizon (flat,
except seasonal naive), ``fitted`` the in-sample one-step-ahead forecasts when asked for.
The fixed parameters and initialisations follow Nixtla statsforecast, so that its numbers can serve as
a test oracle: SES starts at the first value; Croston smooths sizes and intervals (the first interval
counted from the first observed period) with the same alpha; SBA is Croston × (1 − alpha/2); TSB
smooths the demand indicator every period and the size at each demand; ADIDA and IMAPA smooth block
sums with alpha chosen by golden-section search of the in-sample squared error on [0.1, 0.3].

Internally series are right-aligned (last observation in the last column) and time-major, so each
recursion step touches one contiguous row of every product.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from server.domain.errors import Invalid

GOLDEN_RATIO = (np.sqrt(5.0) + 1.0) / 2.0


@dataclass(frozen=True)
class Fit:
    """Forecast of many series: ``level`` (n,), optional ``season`` (n, m), optional ``fitted`` (n, T)."""
    level: np.ndarray
    fitted: np.ndarray | None = None
    season: np.ndarray | None = None

    def path(self, h: int) -> np.ndarray:
        """Forecast for periods 1..h after the last one, shape (n, h)."""
        h = _check_horizon(h)
        if self.season is None:
            return np.repeat(self.level[:, None], h, axis=1)
        return self.season[:, np.arange(h) % self.season.shape[1]]


# ---------------------------------------------------------------------------------------------
# Input handling
# ---------------------------------------------------------------------------------------------

def as_demand_matrix(y) -> np.ndarray:
    """Validated float64 copy of ``y`` as (n_series, n_periods), with at least one period."""
    y = np.array(y, dtype=np.float64, ndmin=2)
    if y.ndim != 2 or y.shape[1] == 0:
        raise Invalid("invalid_shape", "Demand must be a 1-D or 2-D array (products × periods) "
                      "with at least one period.", "La demande doit être un tableau 1-D ou 2-D "
                      "(produits × périodes) d'au moins une période.", field="y")
    if np.isinf(y).any():
        raise Invalid("infinite_demand", "Demand contains an infinite value.",
                      "La demande contient une valeur infinie.", field="y")
    if (y < 0).any():
        raise Invalid("negative_demand", "Demand cannot be negative.",
                      "La demande ne peut pas être négative.", field="y")
    return y


@dataclass(frozen=True)
class _Aligned:
    """Series right-aligned and time-major: ``x[t, i]``; NaN only before each series' first value."""
    x: np.ndarray            # (T, n)
    n_obs: np.ndarray        # (n,)
    order: np.ndarray | None  # per moved row, original column of each aligned column
    moved: np.ndarray | None  # indices of rows that had NaN

    @property
    def start(self) -> np.ndarray:
        """Index of each series' first observation (T when it has none)."""
        return self.x.shape[0] - self.n_obs

    def head(self, t: int) -> "_Aligned":
        """The first ``t`` aligned periods: each series as it stood ``T - t`` periods before its end."""
        dropped = self.x.shape[0] - t
        return _Aligned(x=self.x[:t], n_obs=np.maximum(self.n_obs - dropped, 0), order=None, moved=None)

    def to_original(self, aligned_tn: np.ndarray) -> np.ndarray:
        """Inverse of the alignment for an array of per-period values: (T, n) → (n, T)."""
        out = np.ascontiguousarray(aligned_tn.T)
        if self.moved is not None and self.moved.size:
            back = np.full((self.moved.size, out.shape[1]), np.nan)
            np.put_along_axis(back, self.order, out[self.moved], axis=1)
            out[self.moved] = back
        return out


def _align(y: np.ndarray) -> _Aligned:
    observed = ~np.isnan(y)
    n_obs = observed.sum(axis=1)
    moved = np.flatnonzero(n_obs < y.shape[1])
    order = None
    if moved.size:
        y = y.copy()
        # A stable sort on "observed" puts the NaNs first and keeps the observations in time order.
        order = np.argsort(observed[moved], axis=1, kind="stable")
        y[moved] = np.take_along_axis(y[moved], order, axis=1)
    return _Aligned(x=np.ascontiguousarray(y.T), n_obs=n_obs, order=order, moved=moved)


def _backfilled(x: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Leading NaNs replaced by each series' first value, so that SES needs no mask: ``_ses_run``
    and ``_ses_sse`` hold the level at that value through the padding (``_Padding``)."""
    n = x.shape[1]
    first = x[np.minimum(start, x.shape[0] - 1), np.arange(n)]
    return np.where(np.isnan(x), first, x)


def _check_alpha(alpha, name: str = "alpha") -> float:
    if not (0.0 < float(alpha) <= 1.0):
        raise Invalid("invalid_smoothing", f"{name} must be in (0, 1].",
                      f"{name} doit être dans ]0, 1].", field=name)
    return float(alpha)


def _check_horizon(h) -> int:
    if int(h) != h or h < 0:
        raise Invalid("invalid_horizon", "The horizon must be a non-negative integer.",
                      "L'horizon doit être un entier positif ou nul.", field="h")
    return int(h)


# ---------------------------------------------------------------------------------------------
# Kernels: each works on aligned series and returns (level, states). ``states[t]`` is the forecast
# of period t made from the periods before it (NaN up to each series' first observation); methods
# that are not recursive return None and are re-run when a past forecast is needed.
# ---------------------------------------------------------------------------------------------

def _masked_states(aligned: _Aligned, states: np.ndarray | None) -> np.ndarray | None:
    if states is not None:
        states[np.arange(states.shape[0])[:, None] <= aligned.start[None, :]] = np.nan
    return states


class _Padding:
    """Holds each SES level at its series' first value through the backfilled padding.

    Updating a level with its own value can move it by one unit in the last place, and the golden
    section reacts to such bits; the reference starts at the first value, so the padding must leave
    the level exactly there. With series sorted by decreasing start, the padded ones are a prefix."""

    def __init__(self, x: np.ndarray, start: np.ndarray | None):
        self.until = 0 if start is None or not start.size else int(start.max())
        if not self.until:
            return
        self.first = x[np.minimum(start, x.shape[0] - 1), np.arange(x.shape[1])]
        self.start = start
        self.sorted = bool(np.all(start[:-1] >= start[1:]))
        if self.sorted:   # self.padded[t]: how many series are still padding at period t
            self.padded = np.searchsorted(-start, -np.arange(self.until), side="left")

    def hold(self, level: np.ndarray, t: int) -> None:
        """After the update with period ``t``: back to the first value where ``t`` was padding."""
        if t >= self.until:
            return
        if self.sorted:
            k = self.padded[t]
            level[:k] = self.first[:k]
        else:
            padding = t < self.start
            level[padding] = self.first[padding]


def _ses_run(x: np.ndarray, alpha, keep_states: bool, start: np.ndarray | None = None):
    """SES over time-major ``x`` without NaN, level starting at each series' first value (at row
    ``start``, the rows before being padding): (final level, states)."""
    padding = _Padding(x, start)
    level = x[0].copy()
    states = np.empty_like(x) if keep_states else None
    keep = 1.0 - alpha
    scratch = np.empty_like(level)
    for t in range(x.shape[0]):
        if keep_states:
            states[t] = level
        np.multiply(alpha, x[t], out=scratch)
        level *= keep
        level += scratch
        padding.hold(level, t)
    return level, states


def _ses_sse(x: np.ndarray, alpha, start: np.ndarray | None = None) -> np.ndarray:
    """In-sample sum of squared one-step SES errors per series (time-major, no NaN, padding
    before row ``start`` contributing nothing).

    Same arithmetic, in the same order, as the reference: the golden section compares SSEs that
    can differ only in their last bits, and another rounding or summation order changes its path.
    Period by period with one scratch row: faster than whole-array steps, which leave the cache."""
    padding = _Padding(x, start)
    level = x[0].copy()
    sse = np.zeros_like(level)
    keep = 1.0 - alpha
    scratch = np.empty_like(level)
    for t in range(1, x.shape[0]):
        np.multiply(alpha, x[t - 1], out=scratch)
        level *= keep
        level += scratch
        padding.hold(level, t - 1)
        np.subtract(x[t], level, out=scratch)   # exactly 0 in the padding and at the first value
        scratch *= scratch
        sse += scratch
    return sse


def ses_optimal_alpha(x: np.ndarray, lower: float = 0.1, upper: float = 0.3,
                      tol: float = 1e-12, start: np.ndarray | None = None) -> np.ndarray:
    """Per series, the alpha in [lower, upper] minimising the SES in-sample squared error.

    ``x`` is time-major (T, n) without NaN; rows before ``start`` (per series) are padding holding
    the first value, as ``_backfilled`` makes them. Golden-section search, all series in step, as
    statsforecast does it: a series stops when its bracket is narrower than ``tol`` or when both
    probes tie (a flat error curve), and gets the middle of its bracket."""
    alpha = np.full(x.shape[1], (lower + upper) / 2.0)
    rows = np.arange(x.shape[1])   # series still searching; columns of x, a, b... follow them
    start = np.zeros(rows.size, dtype=np.int64) if start is None else np.asarray(start)
    a = np.full(rows.size, float(lower))
    b = np.full(rows.size, float(upper))
    c = b - (b - a) / GOLDEN_RATIO
    d = a + (b - a) / GOLDEN_RATIO
    fc, fd = _ses_sse(x, c, start), _ses_sse(x, d, start)
    while rows.size:
        go_left = fc < fd
        searching = (np.abs(b - a) >= tol) & (go_left | (fd < fc))
        if not searching.all():
            # Drop the finished series once, rather than skipping them at every probe.
            alpha[rows[~searching]] = (a[~searching] + b[~searching]) / 2.0
            rows, x, start, a, b, c, d, fc, fd, go_left = (
                rows[searching], x[:, searching], start[searching], a[searching], b[searching],
                c[searching], d[searching], fc[searching], fd[searching], go_left[searching])
            if not rows.size:
                break
        # Left: the minimum is in [a, d]; d becomes c and a new c is probed. Right: mirror image.
        a, b = np.where(go_left, a, c), np.where(go_left, d, b)
        c, d = (np.where(go_left, b - (b - a) / GOLDEN_RATIO, d),
                np.where(go_left, c, a + (b - a) / GOLDEN_RATIO))
        probed = _ses_sse(x, np.where(go_left, c, d), start)
        fc, fd = np.where(go_left, probed, fd), np.where(go_left, fc, probed)
    return alpha


def _ses_kernel(aligned: _Aligned, alpha: float, keep_states: bool):
    start = aligned.start
    level, states = _ses_run(_backfilled(aligned.x, start), alpha, keep_states, start)
    level[aligned.n_obs == 0] = np.nan
    return level, _masked_states(aligned, states)


def _naive_kernel(aligned: _Aligned, keep_states: bool):
    x = aligned.x
    states = None
    if keep_states:
        states = np.empty_like(x)
        states[0] = np.nan
        states[1:] = x[:-1]
    return x[-1].copy(), _masked_states(aligned, states)


def _zero_kernel(aligned: _Aligned, keep_states: bool):
    level = np.where(aligned.n_obs > 0, 0.0, np.nan)
    states = np.zeros_like(aligned.x) if keep_states else None
    return level, _masked_states(aligned, states)


def _croston_kernel(aligned: _Aligned, alpha: float, factor: float, keep_states: bool):
    """Smoothed size over smoothed interval, both updated at each demand, times ``factor``."""
    x = aligned.x
    n = x.shape[1]
    size = np.full(n, np.nan)
    interval = np.full(n, np.nan)
    since_last = np.zeros(n)
    states = np.empty_like(x) if keep_states else None
    keep = 1.0 - alpha
    for t in range(x.shape[0]):
        if keep_states:
            states[t] = np.where(np.isnan(size), 0.0, size / interval)
        obs = x[t]
        since_last += ~np.isnan(obs)
        demand = obs > 0
        if not demand.any():
            continue
        first = demand & np.isnan(size)
        size[first] = obs[first]
        interval[first] = since_last[first]
        size[demand] = alpha * obs[demand] + keep * size[demand]
        interval[demand] = alpha * since_last[demand] + keep * interval[demand]
        since_last[demand] = 0.0
    # No demand at all: statsforecast falls back to naive, i.e. the last (zero) value.
    level = np.where(np.isnan(size), x[-1], size / interval) * factor
    if keep_states:
        states *= factor
    return level, _masked_states(aligned, states)


def _tsb_kernel(aligned: _Aligned, alpha_d: float, alpha_p: float, keep_states: bool):
    """Smoothed probability of demand (every period) × smoothed size (at each demand)."""
    x = aligned.x
    n = x.shape[1]
    probability = np.full(n, np.nan)
    size = np.full(n, np.nan)
    states = np.empty_like(x) if keep_states else None
    for t in range(x.shape[0]):
        if keep_states:
            states[t] = probability * np.where(np.isnan(size), 0.0, size)
        obs = x[t]
        occurred = np.where(np.isnan(obs), np.nan, obs > 0)
        probability = np.where(np.isnan(probability), occurred, probability)
        probability = alpha_p * occurred + (1.0 - alpha_p) * probability
        demand = obs > 0
        if demand.any():
            first = demand & np.isnan(size)
            size[first] = obs[first]
            size[demand] = alpha_d * obs[demand] + (1.0 - alpha_d) * size[demand]
    level = probability * np.where(np.isnan(size), 0.0, size)
    return level, _masked_states(aligned, states)


def _mean_demand_interval(aligned: _Aligned) -> np.ndarray:
    """Mean interval between demands, the first counted from the first observation (NaN if none)."""
    x = aligned.x
    demand = x > 0
    count = demand.sum(axis=0)
    last = x.shape[0] - 1 - np.argmax(demand[::-1], axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(count > 0, (last - aligned.start + 1) / count, np.nan)


def _aggregation_level(aligned: _Aligned) -> np.ndarray:
    # statsforecast rounds the mean interval half to even (Python's round), as rint does.
    interval = _mean_demand_interval(aligned)
    return np.where(np.isnan(interval), 0, np.rint(interval)).astype(np.int64)


def _block_sum_forecast(x: np.ndarray, n_obs: np.ndarray, width: int, tol: float) -> np.ndarray:
    """Per series: SES (golden-section alpha) forecast of its sums over blocks of ``width`` periods.

    Blocks end at the last observation; the oldest incomplete block is dropped; a single block
    forecasts its own sum."""
    n_blocks = x.shape[0] // width
    blocks = x[x.shape[0] - n_blocks * width:].reshape(n_blocks, width, x.shape[1]).sum(axis=1)
    start = n_blocks - n_obs // width
    order = np.argsort(-start, kind="stable")   # latest starts first: see _Padding
    start, blocks = start[order], blocks[:, order]
    blocks = _backfilled(blocks, start)
    alpha = ses_optimal_alpha(blocks, tol=tol, start=start)
    level = np.empty(x.shape[1])
    level[order], _ = _ses_run(blocks, alpha, keep_states=False, start=start)
    return level


def _aggregation_kernel(aligned: _Aligned, tol: float, widths: str = "top"):
    """Per-period forecasts from block sums: (ADIDA, IMAPA) levels.

    With ``widths="top"`` only each series' own width is computed (ADIDA alone, IMAPA is None);
    with ``"all"`` every width up to it, and ADIDA is IMAPA's term at the widest block."""
    top = _aggregation_level(aligned)
    # Series sorted by decreasing width: those needing width w are then a slice, not a gather.
    order = np.argsort(-top, kind="stable")
    x, n_obs, top_sorted = aligned.x[:, order], aligned.n_obs[order], top[order]
    adida = np.where(n_obs > 0, 0.0, np.nan)   # observed but no demand: zero
    total = np.zeros(top.size)
    for w in range(1, int(top.max(initial=0)) + 1):
        last = np.searchsorted(-top_sorted, -w, side="right")    # top_sorted >= w in [0, last)
        first = 0 if widths == "all" else np.searchsorted(-top_sorted, -w, side="left")
        if first == last:
            continue
        cols = slice(first, last)
        per_period = _block_sum_forecast(x[:, cols], n_obs[cols], w, tol) / w
        total[cols] += per_period
        widest = top_sorted[cols] == w
        adida[cols][widest] = per_period[widest]
    adida_out = np.empty_like(adida)
    adida_out[order] = adida
    if widths != "all":
        return adida_out, None
    imapa = np.empty_like(total)
    imapa[order] = total / np.maximum(top_sorted, 1)
    return adida_out, np.where(aligned.n_obs > 0, imapa, np.nan)


# ---------------------------------------------------------------------------------------------
# Public methods
# ---------------------------------------------------------------------------------------------

def _fit(y, kernel, fitted: bool) -> Fit:
    aligned = _align(as_demand_matrix(y))
    level, states = kernel(aligned, fitted)
    return Fit(level=level, fitted=aligned.to_original(states) if fitted else None)


def naive(y, *, fitted: bool = False) -> Fit:
    """Last observed value."""
    return _fit(y, _naive_kernel, fitted)


def ses(y, alpha: float = 0.1, *, fitted: bool = False) -> Fit:
    """Simple exponential smoothing with a fixed ``alpha``, initialised at the first observation."""
    alpha = _check_alpha(alpha)
    return _fit(y, lambda aligned, keep: _ses_kernel(aligned, alpha, keep), fitted)


def croston(y, alpha: float = 0.1, *, fitted: bool = False) -> Fit:
    """Croston: smoothed non-zero size / smoothed interval between demands (biased high)."""
    alpha = _check_alpha(alpha)
    return _fit(y, lambda aligned, keep: _croston_kernel(aligned, alpha, 1.0, keep), fitted)


def sba(y, alpha: float = 0.1, *, fitted: bool = False) -> Fit:
    """Syntetos–Boylan approximation: Croston × (1 − alpha/2), which removes most of its bias."""
    alpha = _check_alpha(alpha)
    return _fit(y, lambda aligned, keep: _croston_kernel(aligned, alpha, 1.0 - alpha / 2.0, keep),
                fitted)


def tsb(y, alpha_d: float = 0.1, alpha_p: float = 0.1, *, fitted: bool = False) -> Fit:
    """Teunter–Syntetos–Babai: smoothed probability of demand × smoothed size.

    The probability is updated every period, so the forecast decays while demand has stopped."""
    alpha_d, alpha_p = _check_alpha(alpha_d, "alpha_d"), _check_alpha(alpha_p, "alpha_p")
    return _fit(y, lambda aligned, keep: _tsb_kernel(aligned, alpha_d, alpha_p, keep), fitted)


def adida(y, *, tol: float = 1e-12) -> Fit:
    """Aggregate–disaggregate intermittent demand approach.

    Sum demand over blocks as long as the rounded mean demand interval, forecast the block sums by
    SES (alpha by golden section within ``tol``), spread the result evenly over a block."""
    return _fit(y, lambda aligned, keep: (_aggregation_kernel(aligned, tol)[0], None), False)


def imapa(y, *, tol: float = 1e-12) -> Fit:
    """Intermittent multiple aggregation prediction algorithm: the ADIDA forecasts at every block
    width from 1 to the rounded mean demand interval, averaged."""
    return _fit(y, lambda aligned, keep: (_aggregation_kernel(aligned, tol, "all")[1], None), False)


def zero(y, *, fitted: bool = False) -> Fit:
    """Forecast nothing: the benchmark that wins on MASE for intermittent data, and sells nothing."""
    return _fit(y, _zero_kernel, fitted)


def seasonal_naive(y, season_length: int) -> Fit:
    """Value of the same period one season ago; ``level`` is the mean over a season.

    Series with fewer than ``season_length`` observations get NaN: there is no season to repeat."""
    if int(season_length) != season_length or season_length < 1:
        raise Invalid("invalid_season_length", "The season length must be a positive integer.",
                      "La longueur de saison doit être un entier positif.", field="season_length")
    x = _align(as_demand_matrix(y)).x
    if x.shape[0] < season_length:
        season = np.full((x.shape[1], int(season_length)), np.nan)
    else:
        season = np.ascontiguousarray(x[x.shape[0] - int(season_length):].T)
    return Fit(level=season.mean(axis=1), season=season)


def mean_demand_interval(y) -> np.ndarray:
    """Per series, the mean interval between demands as ADIDA uses it (the first interval counted
    from the first observation): last demand's position / number of demands. NaN when no demand."""
    return _mean_demand_interval(_align(as_demand_matrix(y)))


# ---------------------------------------------------------------------------------------------
# Automatic selection by rolling origin
# ---------------------------------------------------------------------------------------------

# The candidates and the criterion were chosen on 13 splits made inside carparts' 39 training months
# (bench/README.forecast.md): SBA, Croston and naive never helped there. "zero" lets a product whose
# demand has stopped be forecast low (with the anchor: half of IMAPA); "ses_0.2" and "tsb_0.2" follow
# a falling level faster than their 0.1 versions. SES comes first because ties go to it: candidates
# tie when none had demand to forecast before the first origin (a new product), and SES followed such
# new demand best on those splits.
DEFAULT_CANDIDATES = ("ses", "tsb", "adida", "imapa", "zero", "ses_0.2", "tsb_0.2")
# Weight of the squared mean error added to the mean squared error in the selection criterion.
DEFAULT_BIAS_WEIGHT = 2.0

# Recursive methods: their states give the forecast from every past origin in one pass.
_RECURSIVE = {
    "naive": lambda aligned: _naive_kernel(aligned, True),
    "ses": lambda aligned: _ses_kernel(aligned, 0.1, True),
    "croston": lambda aligned: _croston_kernel(aligned, 0.1, 1.0, True),
    "sba": lambda aligned: _croston_kernel(aligned, 0.1, 1.0 - 0.1 / 2.0, True),
    "tsb": lambda aligned: _tsb_kernel(aligned, 0.1, 0.1, True),
    "ses_0.2": lambda aligned: _ses_kernel(aligned, 0.2, True),
    "tsb_0.2": lambda aligned: _tsb_kernel(aligned, 0.2, 0.2, True),
    "zero": lambda aligned: _zero_kernel(aligned, True),
}
# Block-sum methods are re-run on the history cut at each origin.
_AGGREGATED = ("adida", "imapa")
METHOD_NAMES = tuple(_RECURSIVE) + _AGGREGATED


@dataclass(frozen=True)
class Selection:
    """Outcome of ``select_forecast``; per-candidate arrays have one column per candidate."""
    candidates: tuple[str, ...]
    choice: np.ndarray     # (n,) index of the chosen candidate
    level: np.ndarray      # (n,) forecast per period: chosen candidate, averaged with the anchor
    levels: np.ndarray     # (n, k) every candidate's forecast on all the history
    rmse: np.ndarray       # (n, k) validation root mean squared error per period (NaN: not scored)
    bias: np.ndarray       # (n, k) validation mean error per period, forecast − actual
    n_scored: np.ndarray   # (n,) validation points behind each series' scores

    @property
    def methods(self) -> np.ndarray:
        """Name of the chosen method, per series."""
        return np.asarray(self.candidates, dtype=object)[self.choice]


def rolling_origins(n_periods: int, span: int, n_origins: int) -> np.ndarray:
    """``n_origins`` forecast origins spread evenly over the last ``span`` periods of the history.

    Origin t forecasts from periods [0, t); the selection judges it on the periods after it, up to
    the horizon and never past the history."""
    if int(n_origins) != n_origins or n_origins < 1 or int(span) != span or span < 1:
        raise Invalid("invalid_origins", "The validation span and the number of origins must be "
                      "positive integers.", "La période de validation et le nombre d'origines "
                      "doivent être des entiers positifs.", field="n_origins")
    span = min(int(span), n_periods - 1)
    origins = n_periods - span + (np.arange(int(n_origins)) * span) // int(n_origins)
    return np.unique(origins[origins >= 1])


def select_forecast(y, h: int, *, candidates=DEFAULT_CANDIDATES, anchor: str | None = "imapa",
                    n_origins: int = 4, span: int | None = None, tol: float = 1e-4,
                    bias_weight: float = DEFAULT_BIAS_WEIGHT, anchor_weight: float = 0.5) -> Selection:
    """Choose, per series, the candidate whose past forecasts erred least, and forecast with it.

    Each candidate forecasts from ``n_origins`` origins spread over the last ``span`` periods of the
    history (default ``h``) and is judged on the periods that followed, up to ``h`` of them. The
    criterion is the mean squared error plus ``bias_weight`` times the squared mean error:
    MSE + λ·ME² (λ = 0: MSE alone, i.e. RMSSE, since every candidate of a series shares its scale).
    Squared errors do not reward forecasting zero the way MASE does on intermittent demand; the
    extra weight on the mean error prefers, among candidates erring about as much, the one that
    was right on average, since a persistent over- or under-forecast is what costs stock or sales.
    Ties and series that cannot be scored (no demand before any origin: a new product) go to the
    first candidate. Origins are counted back from each series' last observation.

    The forecast is the chosen candidate with weight 1 − ``anchor_weight`` plus the ``anchor``
    candidate with weight ``anchor_weight`` (anchor None: the chosen one alone). A dozen validation
    points pick the winner partly by luck, and the lucky winner's forecast tends to be high or, for
    "zero", low; sharing the weight with IMAPA keeps most of the gain and halves the added bias.
    The defaults (candidates, λ = 2, weight 0.5) won on 13 splits made inside carparts' training
    months (bench/README.forecast.md).
    ADIDA and IMAPA search their alpha to ``tol`` (1e-4: a third of the time of statsforecast's
    1e-12, for forecasts that differ in the fourth significant digit at most).
    """
    candidates = tuple(candidates)
    unknown = [name for name in candidates if name not in METHOD_NAMES]
    if anchor is not None and anchor not in candidates:
        unknown.append(anchor)
    if unknown or not candidates:
        raise Invalid("unknown_method", f"Unknown forecasting methods: {unknown}.",
                      f"Méthodes de prévision inconnues : {unknown}.", field="candidates")
    if not (np.isfinite(bias_weight) and bias_weight >= 0):
        raise Invalid("invalid_bias_weight", "The bias weight must be a non-negative number.",
                      "Le poids du biais doit être un nombre positif ou nul.", field="bias_weight")
    if not (0.0 <= anchor_weight <= 1.0):
        raise Invalid("invalid_anchor_weight", "The anchor weight must be in [0, 1].",
                      "Le poids de l'ancre doit être dans [0, 1].", field="anchor_weight")
    h = _check_horizon(h)
    if h < 1:
        raise Invalid("invalid_horizon", "The horizon must be at least one period.",
                      "L'horizon doit compter au moins une période.", field="h")
    aligned = _align(as_demand_matrix(y))
    origins = rolling_origins(aligned.x.shape[0], h if span is None else span, n_origins)
    levels, past = _candidate_forecasts(aligned, candidates, origins, tol)
    n = levels.shape[0]
    sse, error = np.zeros_like(levels), np.zeros_like(levels)
    n_scored = np.zeros(n)
    for i, t in enumerate(origins):
        residual = past[i][None, :, :] - aligned.x[t:t + h, :, None]   # (periods, n, k)
        sse += np.nansum(residual * residual, axis=0)
        error += np.nansum(residual, axis=0)
        n_scored += (~np.isnan(residual[:, :, 0])).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rmse = np.where(n_scored[:, None] > 0, np.sqrt(sse / n_scored[:, None]), np.nan)
        bias = np.where(n_scored[:, None] > 0, error / n_scored[:, None], np.nan)
    # n·(MSE + λ·ME²): the same ranking as the per-period criterion, in sums.
    score = sse + bias_weight * error * error / np.maximum(n_scored, 1)[:, None]
    choice = np.where(n_scored > 0, np.argmin(score, axis=1), 0)
    level = levels[np.arange(n), choice]
    if anchor is not None:
        level = (1.0 - anchor_weight) * level + anchor_weight * levels[:, candidates.index(anchor)]
    return Selection(candidates=candidates, choice=choice, level=level, levels=levels, rmse=rmse,
                     bias=bias, n_scored=n_scored)


def _candidate_forecasts(aligned: _Aligned, candidates, origins, tol):
    """Each candidate's level on the whole history (n, k), and from each origin (origins, n, k)."""
    n, k = aligned.x.shape[1], len(candidates)
    levels = np.empty((n, k))
    past = np.empty((len(origins), n, k))
    for j, name in enumerate(candidates):
        if name in _RECURSIVE:
            levels[:, j], states = _RECURSIVE[name](aligned)
            past[:, :, j] = states[origins]
    wanted = [name for name in _AGGREGATED if name in candidates]
    if wanted:
        widths = "all" if "imapa" in wanted else "top"
        for i, t in [(None, None)] + list(enumerate(origins)):
            cut = aligned if t is None else aligned.head(int(t))
            by_name = dict(zip(_AGGREGATED, _aggregation_kernel(cut, tol, widths)))
            for name in wanted:
                target = levels if i is None else past[i]
                target[:, candidates.index(name)] = by_name[name]
    return levels, past
