"""The replenishment plan of one product, every number explained (DESIGN §5).

Conventions (days throughout):
- d̄, σ_d: mean and standard deviation of daily demand; E[L], σ_L: lead time mean and sd (days).
- A lead time of L days means L days of demand happen between the order (end of a day) and the goods being
  usable, so the lead-time demand D_L has mean d̄·E[L] and variance E[L]·σ_d² + d̄²·σ_L² (both variabilities).
- Review is daily: "order when the inventory position (on hand + on order − backorders) ≤ s". The position
  is only looked at once a day, so it has usually fallen *below* s when the order goes out: that undershoot U
  adds to the demand the reorder point must cover (see ``expected_undershoot``).
- Shortages are backordered (B2B customers wait); the fill rate β is the share of demand served from stock.

Scalar entry point: ``plan_policy`` → ``PolicyResult`` (every number with its formula and source).
The maths lives in short modules, all re-exported here (``from server.domain.policy import …`` keeps working):
  normal.py           standard normal: Φ, 1 − Φ, Φ⁻¹, loss function G(k)
  gamma.py            gamma by mean and sd: tail and loss function
  numeric.py          scalar-or-array results, bracketed root finder
  leadtime_demand.py  daily moments, σ_DL, undershoot, lead-time demand measured on the history (clustering,
                      estimation noise), predictive lead-time sd (estimation noise of a few receptions),
                      variance of a window's demand for periodic review
  reorder.py          (s, Q) reorder points and (R, S) order-up-to levels; normal or gamma
  quantities.py       EOQ, packs and MOQ
  classify.py         ABC, push/pull rule, default fill-rate targets
  promise.py          customer promise date
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Any, Mapping

from .classify import (ABC_CUTS, CRITICAL_FILL_RATE, FILL_RATE_TARGETS, PULL, PUSH, REASONS,  # noqa: F401
                       VARIABILITY_CLASSES, abc_classes, check_classes, default_fill_rate, push_pull,
                       push_pull_modes, push_pull_reason)
from .errors import Invalid
from .gamma import GammaDistribution, gamma_loss, gamma_sf  # noqa: F401
from .leadtime_demand import (BLOCK_DAYS, MIN_DOF, PREDICTIVE_MIN_N, DemandMoments, LeadTimeDemand,  # noqa: F401
                              clustered_variance, daily_demand_moments, expected_undershoot, lead_time_demand,
                              predictive_lead_time_sd, sigma_dl, undershoot_moments, window_sum_variance)
from .normal import norm_cdf, norm_pdf, norm_ppf, norm_sf, normal_loss, normal_loss_at  # noqa: F401
from .promise import Arrival, Incoming, Promise, expected_day, incoming, promise_date  # noqa: F401
from .quantities import (DAYS_PER_YEAR, HOLDING_RATE, ORDER_COVER_WEEKS, base_order_quantity, eoq,  # noqa: F401
                         pull_purchase_quantity, round_order_quantity)
from .reorder import (GAMMA, GAMMA_MAX_SHAPE, NORMAL, OrderUpToLevels, ReorderPoints, distribution_for_class,  # noqa: F401
                      k_for_fill_rate, one_target, order_up_to_levels, reorder_points, z_for_cycle_service)
from .words import en_word, fr_number, fr_percent, fr_word


Text = tuple[str, str]  # (English, French)


@dataclass(frozen=True)
class Step:
    """One number of the plan: what it is, its value, how it was computed (in symbols every reader shares),
    where its inputs came from and what the computation means (in English and French)."""
    name: str
    value: Any
    formula: str
    source: Text
    note: Text = ("", "")

    @property
    def formula_fr(self) -> str:
        """The formula as a French reader writes its numbers (decimal comma); its symbols are the same."""
        return decimal_comma(self.formula)


MODE_FR = {"push": "flux poussé", "pull": "flux tiré"}  # as the page's French says it
INPUT, COMPUTED, OVERRIDE = ("input", "saisie"), ("computed", "calculé"), ("buyer override", "forçage de l'acheteur")
HISTORY = ("demand history", "historique de la demande")
LEAD_TIME_SOURCES = {"measured": ("measured", "mesuré"),
                     "shrunk_to_supplier": ("measured, shrunk toward the supplier's",
                                            "mesuré, rapproché de celui du fournisseur"),
                     "supplier_pool": ("measured on the supplier's other products (none of this one received yet)",
                                       "mesuré sur les autres produits du fournisseur (aucune réception de celui-ci)"),
                     "declared": ("declared by the supplier", "annoncé par le fournisseur"),
                     "forced": ("forced by the buyer", "forcé par l'acheteur")}


def _lead_time_source(p: PolicyInput) -> Text:
    en, fr = LEAD_TIME_SOURCES.get(p.lead_time_source, (p.lead_time_source, p.lead_time_source))
    return f"lead time: {en}; demand: forecast", f"délai : {fr} ; demande : prévision"


@dataclass(frozen=True)
class AppliedOverride:
    name: str
    computed: Any
    value: Any


@dataclass(frozen=True)
class PolicyInput:
    demand_mean: float                       # d̄, units/day (forecast)
    demand_sd: float                         # σ_d, units/day
    lead_time_mean: float                    # E[L], days
    lead_time_sd: float                      # σ_L, days
    variability_class: str                   # smooth | erratic | intermittent | lumpy
    abc_class: str                           # A | B | C
    critical: bool = False
    lead_time_source: str = "measured"       # from leadtime.LeadTimeEstimate.source
    lead_time_n: int | None = None           # receptions behind E[L], σ_L if they are plain sample figures:
                                             # σ_L then becomes the predictive sd (``predictive_lead_time_sd``)
    fill_rate_target: float | None = None    # β; default from the ABC class / critical flag
    cycle_service_target: float | None = None
    demand_m3: float | None = None           # E[D³], for the undershoot's spread
    demand_history_mean: float | None = None  # d̄ of the history σ_d and E[D³] come from, when demand_mean is
                                             # a forecast: the undershoot uses it (None: demand_mean)
    lead_time_demand_mean: float | None = None   # measured on the history (domain.plan), if known
    lead_time_demand_sd: float | None = None
    order_quantity: float | None = None      # fixed Q (e.g. agreed); else EOQ from the two costs
    ordering_cost: float | None = None       # S, per purchase order
    holding_cost_per_unit_year: float | None = None   # H; or from the two below
    holding_rate: float | None = None        # a year, of the unit cost: H = rate × unit cost
    unit_cost: float | None = None
    order_cover_weeks: float | None = None   # without Q or the costs: Q = this many weeks of demand
    moq: float = 0.0
    pack_multiple: float = 1.0
    review_period_days: float | None = None  # None: daily review (s, Q); else periodic (R, S)
    demand_var_rl: float | None = None      # (R, S): variance of R + E[L] days of demand measured on the history
    demand_var_l: float | None = None       # and of E[L] days (``window_sum_variance``); None: the formula
    overrides: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PolicyResult:
    mode: str                                # push | pull (after overrides)
    reason_en: str
    reason_fr: str
    abc_class: str
    variability_class: str
    critical: bool
    service_kind: str                        # fill_rate | cycle_service
    service_target: float
    distribution: str                        # normal | gamma
    mean_lead_time_demand: float
    sigma_dl: float
    undershoot: float
    safety_factor: float                     # k (z for a cycle service level)
    safety_stock: float | None               # None for a pull item
    reorder_point: float | None              # (s, Q): order when position ≤ s; None for pull or (R, S)
    order_up_to: float | None                # (R, S) only
    order_quantity: float | None             # (s, Q) only
    eoq: float | None
    review_period_days: float | None
    overrides: tuple[AppliedOverride, ...]
    steps: tuple[Step, ...]

    @property
    def stocked(self) -> bool:
        return self.mode == PUSH


# The buyer may force what the computation starts from — the demand level, the lead time (a promotion ahead, a
# supplier's new delay) and the service target (one of the two kinds) — and any computed value, which replaces
# what was computed.
INPUT_OVERRIDES = ("demand_mean", "lead_time_mean", "lead_time_sd")
TARGET_OVERRIDES = ("fill_rate_target", "cycle_service_target")
VALUE_OVERRIDES = ("order_quantity", "safety_stock", "reorder_point", "order_up_to", "mode")
OVERRIDABLE = INPUT_OVERRIDES + TARGET_OVERRIDES + VALUE_OVERRIDES


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _fr(x: float) -> str:
    """``_fmt`` with a decimal comma, for French texts: 0.1785 → "0,1785"."""
    return fr_number(x, ".4g")


_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


def decimal_comma(text: str) -> str:
    """The numbers of a text built with ``_fmt`` with a decimal comma: "0.1785·5.396" → "0,1785·5,396". A point
    between two digits is a decimal point in these texts (a list separator is a comma and a space, left as is)."""
    return _DECIMAL_POINT.sub(",", text)


def _percent(share: float) -> tuple[str, str]:
    """A service target as the buyer types it, in %: 0.995 → "99.5%", "99,5 %" (a narrow no-break space) in French."""
    return f"{share * 100:.4g}%", fr_percent(share, ".4g")


def _check_policy_input(p: PolicyInput) -> None:
    check_classes(p.abc_class, p.variability_class)
    for name in ("demand_mean", "demand_sd", "lead_time_mean", "lead_time_sd"):
        value = getattr(p, name)
        if not (math.isfinite(value) and value >= 0):
            raise Invalid(f"{name}_invalid", f"{name} must be a number, zero or more.",
                          f"{name} doit être un nombre positif ou nul.", field=name)
    unknown = set(p.overrides) - set(OVERRIDABLE)
    if unknown:
        raise Invalid("override_unknown", f"Cannot override: {', '.join(sorted(unknown))}.",
                      f"Impossible de forcer : {', '.join(sorted(unknown))}.", field="overrides")
    if p.overrides.get("mode", PUSH) not in (PUSH, PULL):
        raise Invalid("mode_invalid", "The mode must be push or pull.", "Le mode doit être push ou pull.",
                      field="overrides")


def _predictive_lead_time(p: PolicyInput, steps: list[Step]) -> PolicyInput:
    """σ_L of the next delivery, not of the n measured ones (estimation noise), when n is given."""
    if p.lead_time_n is None:
        return p
    if not p.lead_time_n >= 1:
        raise Invalid("lead_time_n_invalid", "The number of receptions must be at least one.",
                      "Le nombre de réceptions doit être d'au moins un.", field="lead_time_n")
    n = max(p.lead_time_n, PREDICTIVE_MIN_N)
    sd = float(predictive_lead_time_sd(p.lead_time_sd, p.lead_time_n))
    steps.append(Step("lead_time_sd_predictive", sd, f"σ_L·√((1 + 1/n)(n − 1)/(n − 3)) = {_fmt(p.lead_time_sd)}·"
                      f"√((1 + 1/{n})·{n - 1}/{n - 3})", _lead_time_source(p),
                      (f"n = {p.lead_time_n} receptions: the next delivery's spread, not the measured ones'",
                       f"n = {p.lead_time_n} réceptions : la dispersion de la prochaine livraison, pas celle des "
                       "livraisons mesurées")))
    return replace(p, lead_time_sd=sd)


def _forced_inputs(p: PolicyInput, steps: list[Step]) -> tuple[PolicyInput, list[AppliedOverride]]:
    """The buyer's demand level or lead time in place of the measured ones. Lead-time demand measured on the
    history keeps its ratios to the formula (its clustering), as the page's "if declared" does; a forced demand is
    more orders of the same kind (σ_d × √k); the measured windows of a periodic review give way to the formula
    (they were for the measured E[L])."""
    forced = {name: float(p.overrides[name]) for name in INPUT_OVERRIDES if name in p.overrides}
    if not forced:
        return p, []
    for name, value in forced.items():
        if not (math.isfinite(value) and value >= 0) or (name == "lead_time_mean" and value == 0):
            raise Invalid("override_invalid", f"The forced {name} must be a number, more than zero for a lead time.",
                          f"La valeur forcée {name} doit être un nombre, plus que zéro pour un délai.", field=name)
    d = forced.get("demand_mean", p.demand_mean)
    lt, lt_sd = forced.get("lead_time_mean", p.lead_time_mean), forced.get("lead_time_sd", p.lead_time_sd)
    # More demand is more orders like the history's, not bigger ones (a promotion, a new customer): a day's demand
    # becomes the sum of k days like those measured, so its cumulants grow k-fold — σ_d by √k, not k — and the
    # history's d̄ and E[D³] the undershoot is taken on move with it.
    k = d / p.demand_mean if p.demand_mean > 0 else 1.0
    d_sd = p.demand_sd * math.sqrt(k)
    mean_h = p.demand_mean if p.demand_history_mean is None else p.demand_history_mean
    history = {"demand_history_mean": None if p.demand_history_mean is None else mean_h * k, "demand_m3": None}
    if p.demand_m3 is not None:
        kappa3 = p.demand_m3 - 3 * p.demand_sd ** 2 * mean_h - mean_h ** 3
        history["demand_m3"] = k * kappa3 + 3 * (k * p.demand_sd ** 2) * (k * mean_h) + (k * mean_h) ** 3
    formula_mu = p.demand_mean * p.lead_time_mean
    formula_sd = float(sigma_dl(p.demand_mean, p.demand_sd, p.lead_time_mean, p.lead_time_sd))
    ltd_mean = ltd_sd = None
    if p.lead_time_demand_mean is not None and formula_mu > 0:
        ltd_mean = p.lead_time_demand_mean / formula_mu * d * lt
    if p.lead_time_demand_sd is not None and formula_sd > 0:
        ltd_sd = p.lead_time_demand_sd / formula_sd * float(sigma_dl(d, d_sd, lt, lt_sd))
    applied = []
    for name, value in forced.items():
        was = getattr(p, name)
        applied.append(AppliedOverride(name, was, value))
        was_fr = _fr(was)
        steps.append(Step(name, value, "", OVERRIDE, (f"forced by the buyer (measured: {_fmt(was)})",
                                                      f"forcé par l'acheteur (mesuré : {was_fr})")))
    lead_time_forced = "lead_time_mean" in forced or "lead_time_sd" in forced
    return replace(p, demand_mean=d, demand_sd=d_sd, **history, lead_time_mean=lt, lead_time_sd=lt_sd,
                   lead_time_demand_mean=ltd_mean, lead_time_demand_sd=ltd_sd, demand_var_rl=None, demand_var_l=None,
                   lead_time_source="forced" if lead_time_forced else p.lead_time_source), applied


def _forced_target(p: PolicyInput, steps: list[Step]) -> tuple[str, float, AppliedOverride] | None:
    """The buyer's service target, in place of the default one (a target given as input is not overridden)."""
    forced = {name: p.overrides[name] for name in TARGET_OVERRIDES if name in p.overrides}
    if not forced or p.fill_rate_target is not None or p.cycle_service_target is not None:
        return None
    one_target(forced.get("fill_rate_target"), forced.get("cycle_service_target"))
    (name, value), = forced.items()
    value = float(value)
    if not 0 < value < 1:
        raise Invalid("override_invalid", f"The forced {name} must be strictly between 0 and 1.",
                      f"La valeur forcée {name} doit être strictement entre 0 et 1.", field=name)
    default = default_fill_rate(p.abc_class, p.critical)
    en, fr = _percent(default)
    why = (f"forced by the buyer (default: a fill rate of {en})",
           f"forcé par l'acheteur (par défaut : un taux de satisfaction de {fr})")
    steps.append(Step(name, value, "", OVERRIDE, why))
    kind = "fill_rate" if name == "fill_rate_target" else "cycle_service"
    return kind, value, AppliedOverride(name, default, value)


def _service_target(p: PolicyInput, steps: list[Step]) -> tuple[str, float]:
    if p.fill_rate_target is not None and p.cycle_service_target is not None:
        one_target(p.fill_rate_target, p.cycle_service_target)
    if p.cycle_service_target is not None:
        steps.append(Step("cycle_service_target", p.cycle_service_target, "", INPUT))
        return "cycle_service", float(p.cycle_service_target)
    if p.fill_rate_target is not None:
        steps.append(Step("fill_rate_target", p.fill_rate_target, "", INPUT))
        return "fill_rate", float(p.fill_rate_target)
    beta = default_fill_rate(p.abc_class, p.critical)
    rule = (("a critical reference", "un article critique") if p.critical
            else (f"class {p.abc_class}", f"la classe {p.abc_class}"))
    steps.append(Step("fill_rate_target", beta, "", ("default targets", "cibles par défaut"),
                      (f"default for {rule[0]}", f"par défaut pour {rule[1]}")))
    return "fill_rate", beta


def _order_quantity(p: PolicyInput, steps: list[Step]) -> tuple[float, float | None]:
    holding, h_text = p.holding_cost_per_unit_year, ""
    if holding is None and p.holding_rate is not None and p.unit_cost:     # no unit cost: nothing to hold
        holding = p.holding_rate * p.unit_cost
        h_text = f", H = r·c = {_fmt(p.holding_rate)}·{_fmt(p.unit_cost)}"   # (the source says what r and c are)
    if p.order_quantity is not None:
        raw, eoq_value = float(p.order_quantity), None
        steps.append(Step("order_quantity_given", raw, "", INPUT))
    elif (p.ordering_cost is None or holding is None) and p.order_cover_weeks is not None:
        raw, eoq_value = p.demand_mean * 7 * p.order_cover_weeks, None
        weeks = _fmt(p.order_cover_weeks)
        why = (("no cost of an order is set for the supplier, so there is nothing to weigh against the cost of "
                "holding stock", "aucun coût de commande n'est renseigné pour le fournisseur, rien à mettre en balance "
                "avec le coût de possession") if p.ordering_cost is None else
               ("the product has no unit cost, so holding it has no cost to weigh against the supplier's cost of an "
                "order", "le produit n'a pas de coût unitaire, sa possession n'a pas de coût à mettre en balance avec "
                "le coût d'une commande chez le fournisseur"))
        steps.append(Step("order_quantity_cover", raw, f"d̄·7·{weeks} = {_fmt(p.demand_mean)}·7·{weeks}",
                          ("forecast", "prévision"),
                          (f"{weeks} weeks of demand: {why[0]}",
                           f"{_fr(p.order_cover_weeks)} semaines de demande : {why[1]}")))
    else:
        if p.ordering_cost is None or holding is None:
            raise Invalid("order_quantity_unknown", "Give an order quantity, or the ordering and holding costs.",
                          "Indiquez une quantité de commande, ou les coûts de commande et de possession.",
                          field="order_quantity")
        annual = p.demand_mean * DAYS_PER_YEAR
        raw = eoq_value = float(eoq(annual, p.ordering_cost, holding))
        steps.append(Step("eoq", raw, f"√(2·D·S/H) = √(2·{_fmt(annual)}·{_fmt(p.ordering_cost)}/{_fmt(holding)}), "
                          f"D = d̄·365{h_text}",
                          ("S: the supplier's cost of an order; H = r·c: a yearly holding rate r × the unit cost c",
                           "S : coût d'une commande chez le fournisseur ; H = r·c : un taux de possession annuel r × "
                           "le coût unitaire c")))
    q = float(round_order_quantity(raw, p.moq, p.pack_multiple))
    steps.append(Step("order_quantity", q, f"pack {_fmt(p.pack_multiple)}, MOQ {_fmt(p.moq)}", COMPUTED,
                      ("the nearest multiple of the pack (one pack at least), and at least the MOQ in whole packs",
                       "le multiple du colisage le plus proche (un colis au moins), et au moins le minimum de "
                       "commande en colis entiers")))
    return q, eoq_value


def _continuous_review(p: PolicyInput, kind: str, target: float, q: float, gamma: bool, steps: list[Step]):
    target_kw = {"fill_rate": target} if kind == "fill_rate" else {"cycle_service": target}
    r = reorder_points(p.demand_mean, p.demand_sd, p.lead_time_mean, p.lead_time_sd, q, d_m3=p.demand_m3,
                       gamma=gamma, ltd_mean=p.lead_time_demand_mean, ltd_sd=p.lead_time_demand_sd,
                       d_hist_mean=p.demand_history_mean, **target_kw)
    lt_src = _lead_time_source(p)
    if p.lead_time_demand_mean is None:
        steps.append(Step("mean_lead_time_demand", r.mean_lead_time_demand,
                          f"d̄·E[L] = {_fmt(p.demand_mean)}·{_fmt(p.lead_time_mean)}", lt_src))
        steps.append(Step("sigma_dl", r.sigma_dl, f"√(E[L]·σ_d² + d̄²·σ_L²) = √({_fmt(p.lead_time_mean)}·"
                          f"{_fmt(p.demand_sd)}² + {_fmt(p.demand_mean)}²·{_fmt(p.lead_time_sd)}²)", lt_src))
    else:
        formula_mu = p.demand_mean * p.lead_time_mean
        c = float(r.mean_lead_time_demand) / formula_mu - 1.0 if formula_mu > 0 else 0.0
        steps.append(Step("mean_lead_time_demand", r.mean_lead_time_demand,
                          f"d̄·E[L]·(1 + c) = {_fmt(p.demand_mean)}·{_fmt(p.lead_time_mean)}·(1 + {_fmt(c)})",
                          HISTORY,
                          (f"c = {_fmt(c)}: the extra demand in the E[L] days before each unit demanded, measured on "
                           "the history",
                           f"c = {_fr(c)} : le surcroît de demande dans les E[L] jours précédant chaque unité "
                           "demandée, mesuré sur l'historique")))
        steps.append(Step("sigma_dl", r.sigma_dl, f"√(V·ν/(ν − 2) + Var μ̂ + (d̄(1 + c)·σ_L)²), c = {_fmt(c)}", HISTORY,
                          ("the spread of that demand (clustered), widened by the estimation noise of the history "
                           "(block jackknife)",
                           "la dispersion de cette demande (groupée), élargie du bruit d'estimation de l'historique "
                           "(jackknife par blocs)")))
    history = p.demand_history_mean is not None
    d_u = p.demand_history_mean if history else p.demand_mean
    d_sym = "d̄_h" if history else "d̄"     # the history's d̄ is not the forecast's: its own symbol
    steps.append(Step("undershoot", r.undershoot, f"E[U] = (σ_d² + {d_sym}²)/(2·{d_sym}) = ({_fmt(p.demand_sd)}² + "
                      f"{_fmt(d_u)}²)/(2·{_fmt(d_u)})", COMPUTED, _undershoot_note(p, d_u) if history else
                      ("daily review: the position goes below s by a day's demand",
                       "revue quotidienne : la position passe sous s d'une journée de demande")))
    spread = f"E[D³]/(3·{d_sym}) − E[U]²" if p.demand_m3 is not None else "E[U]²/3"
    steps.append(Step("sigma_x", r.sigma_x, f"√(σ_DL² + Var U) = √({_fmt(r.sigma_dl)}² + {_fmt(r.undershoot_sd)}²),"
                      f" Var U = {spread}", COMPUTED,
                      ("", "") if p.demand_m3 is not None else ("no E[D³] given", "E[D³] non fourni")))
    distribution = GAMMA if r.gamma else NORMAL
    if kind == "fill_rate" and distribution == NORMAL:
        formula = (f"G(k) − G(k + Q/σ_X) = Q(1 − β)/σ_X = {_fmt(q)}·{_fmt(1 - target)}/{_fmt(r.sigma_x)}, "
                   f"G(k) = φ(k) − k(1 − Φ(k))")
    elif kind == "fill_rate":
        formula = "E[(X − s)⁺] − E[(X − s − Q)⁺] = Q(1 − β), X gamma; k = (s − E[X])/σ_X"
    else:
        formula = f"Φ⁻¹({_fmt(target)})" if distribution == NORMAL else f"F_X⁻¹({_fmt(target)}), X gamma"
    law = ("gamma", "gamma") if distribution == GAMMA else ("normal", "normale")
    steps.append(Step("safety_factor", r.k, formula, (f"{law[0]} lead-time demand",
                                                      f"demande pendant le délai, loi {law[1]}")))
    steps.append(Step("safety_stock", r.safety_stock, f"k·σ_X = {_fmt(r.k)}·{_fmt(r.sigma_x)}", COMPUTED,
                      _negative_safety_stock(p, kind, target, float(r.safety_stock), q=q)))
    floored = float(r.mean_lead_time_demand + r.undershoot + r.safety_stock) < 0
    steps.append(Step("reorder_point", r.reorder_point, f"max(0, d̄·E[L] + E[U] + SS) = {_fmt(r.mean_lead_time_demand)}"
                      f" + {_fmt(r.undershoot)} + {_fmt(r.safety_stock)}", COMPUTED,
                      ("order Q when the position (on hand + on order − reserved) is at s or below"
                       + ("; the sum is below 0, so s is 0: order when nothing is left nor on order" * floored),
                       "commander Q quand la position (stock + en commande − réservé) est à s ou moins"
                       + (" ; la somme est sous 0, donc s vaut 0 : commander quand il ne reste rien, ni en stock ni "
                          "en commande" * floored))))
    return r, distribution


def _undershoot_note(p: PolicyInput, d_h: float) -> Text:
    """The undershoot is taken on the history's own d̄ (its σ_d and E[D³] are the history's): named apart from the
    forecast's d̄, and said to be scaled when the buyer forced the demand (a figure the history never had)."""
    forced = "demand_mean" in p.overrides
    en, fr = ((f"d̄_h = {_fmt(d_h)}: the history's d̄ scaled to the forced demand (d̄ = {_fmt(p.demand_mean)})",
               f"d̄_h = {_fr(d_h)} : d̄ de l'historique mis à l'échelle de la demande forcée (d̄ = "
               f"{_fr(p.demand_mean)})") if forced else
              (f"d̄_h = {_fmt(d_h)}: d̄ of the history, on which σ_d is measured (d̄ = {_fmt(p.demand_mean)} is the "
               "forecast)",
               f"d̄_h = {_fr(d_h)} : d̄ de l'historique, sur lequel σ_d est mesuré (d̄ = {_fr(p.demand_mean)} est la "
               "prévision)"))
    return (f"daily review: the position goes below s by a day's demand; {en}",
            f"revue quotidienne : la position passe sous s d'une journée de demande ; {fr}")


def _cover(days: float) -> Text:
    """A span of days as a buyer says it, rounded: "about 7 months", "environ 3 semaines"."""
    if days >= 61:
        n = round(days / (365 / 12))
        return f"about {n} months", f"environ {n} mois"
    if days >= 14:
        n = round(days / 7)
        return f"about {n} weeks", f"environ {n} semaines"
    n = max(1, round(days))
    return f"about {n} {'day' if n == 1 else 'days'}", f"environ {n} {'jour' if n == 1 else 'jours'}"


def _negative_safety_stock(p: PolicyInput, kind: str, target: float, safety_stock: float, *, q: float | None = None,
                           review_days: float | None = None) -> Text:
    """Why a safety stock is below zero, in words (the maths is right; a buyer still needs to know why).

    With a fill-rate target β, each cycle of an order Q may leave Q(1 − β) units unserved (d̄·R·(1 − β) per review
    period R): when that is more than the lead-time demand's spread calls for, the reorder point (order-up-to level)
    sits below the mean demand it covers."""
    if not safety_stock < 0:
        return "", ""
    act = ("Force a safety stock or a higher target if that is not acceptable.",
           "Forcez un stock de sécurité ou une cible plus haute si ce n'est pas acceptable.")
    share = _percent(target)
    if kind == "fill_rate":
        if review_days is None:
            cover = _cover(q / p.demand_mean) if p.demand_mean > 0 else ("", "")
            unserved, symbols = q * (1 - target), "Q(1 − β)"
            covers = (f"one order covers {cover[0]} of demand", f"une commande couvre {cover[1]} de demande")
            cycle = ("cycle", "cycle")
        else:
            unserved, symbols = p.demand_mean * review_days * (1 - target), "d̄·R·(1 − β)"
            covers = (f"each order covers the {_fmt(review_days)} days to the next review",
                      f"chaque commande couvre les {_fr(review_days)} jours jusqu'à la revue suivante")
            cycle = ("period", "période")
        units = (en_word(unserved, "unit", "units"), fr_word(unserved, "unité", "unités"))
        return (f"Negative: {covers[0]}, so {share[0]} of demand is served even if the shelf is empty for part of each "
                f"{cycle[0]} (up to {symbols} = {_fmt(unserved)} {units[0]} per {cycle[0]} may go unserved). {act[0]}",
                f"Négatif : {covers[1]}, donc {share[1]} de la demande est servie même si le rayon est vide une partie "
                f"de chaque {cycle[1]} (jusqu'à {symbols} = {_fr(unserved)} {units[1]} par {cycle[1]} peuvent "
                f"manquer). {act[1]}")
    level = ("reorder point", "point de commande") if review_days is None else ("order-up-to level", "niveau cible")
    return (f"Negative: a cycle service level of {share[0]} accepts a stock-out in {_percent(1 - target)[0]} of the "
            f"cycles, so the {level[0]} is below the mean demand it covers. {act[0]}",
            f"Négatif : un taux de service cycle de {share[1]} accepte une rupture dans {_percent(1 - target)[1]} des "
            f"cycles, donc le {level[1]} est sous la demande moyenne qu'il couvre. {act[1]}")


def _periodic_review(p: PolicyInput, kind: str, target: float, gamma: bool, steps: list[Step]):
    target_kw = {"fill_rate": target} if kind == "fill_rate" else {"cycle_service": target}
    measured = p.demand_var_rl is not None and p.demand_var_l is not None
    r = order_up_to_levels(p.demand_mean, p.demand_sd, p.lead_time_mean, p.lead_time_sd,
                           p.review_period_days, gamma=gamma,
                           demand_var=(p.demand_var_rl, p.demand_var_l) if measured else None, **target_kw)
    horizon = p.review_period_days + p.lead_time_mean
    src = _lead_time_source(p)
    steps.append(Step("mean_protection_demand", r.mean_protection_demand,
                      f"d̄·(R + E[L]) = {_fmt(p.demand_mean)}·{_fmt(horizon)}", src))
    if measured:
        steps.append(Step("sigma_dl", r.sigma_rl, f"√(V_(R+E[L]) + d̄²·σ_L²) = √({_fmt(p.demand_var_rl)} + "
                          f"{_fmt(p.demand_mean)}²·{_fmt(p.lead_time_sd)}²)", HISTORY,
                          (f"V: the variance of {_fmt(horizon)} days of demand, measured on the history (demand in "
                           "spells makes it larger than the days' own)",
                           f"V : la variance de la demande de {_fr(horizon)} jours, mesurée sur l'historique (une "
                           "demande groupée la rend plus grande que celle des jours pris un à un)")))
    else:
        steps.append(Step("sigma_dl", r.sigma_rl, f"√((R + E[L])·σ_d² + d̄²·σ_L²) = √({_fmt(horizon)}·"
                          f"{_fmt(p.demand_sd)}² + {_fmt(p.demand_mean)}²·{_fmt(p.lead_time_sd)}²)", src))
    law = ("gamma", "gamma") if r.gamma else ("normal", "normale")
    if kind == "fill_rate":
        formula = f"E[(D_{{R+L}} − S)⁺] − E[(D_L − S)⁺] = d̄·R·(1 − β) = {_fmt(p.demand_mean)}·" \
                  f"{_fmt(p.review_period_days)}·{_fmt(1 - target)}, {law[0]}; k = (S − d̄·(R + E[L]))/σ"
    else:
        formula = f"F⁻¹({_fmt(target)}), D_{{R+L}} {law[0]}"
    steps.append(Step("safety_factor", r.k, formula, (f"{law[0]} demand over the review period and the lead time",
                                                      f"demande sur la période de revue et le délai, loi {law[1]}")))
    steps.append(Step("safety_stock", r.safety_stock, f"k·σ = {_fmt(r.k)}·{_fmt(r.sigma_rl)}", COMPUTED,
                      _negative_safety_stock(p, kind, target, float(r.safety_stock), review_days=p.review_period_days)))
    steps.append(Step("order_up_to", r.order_up_to, "max(0, d̄·(R + E[L]) + SS)", COMPUTED,
                      (f"every {_fmt(p.review_period_days)} days, order up to S",
                       f"tous les {_fr(p.review_period_days)} jours, commander jusqu'à S")))
    return r


NO_DEMAND_REASON = ("No customer demand in the history yet: planned as rare demand of class C, so bought on customer "
                    "order and promised with the measured lead time. Force it in stock (push) if it must be held.",
                    "Aucune demande client dans l'historique pour l'instant : planifiée comme une demande rare de "
                    "classe C, donc achetée à la commande client et promise avec le délai mesuré. Forcez-la sur "
                    "stock (flux poussé) s'il faut en tenir.")


def plan_policy(p: PolicyInput) -> PolicyResult:
    """Push or pull, safety stock, reorder point (or order-up-to level) and order quantity for one
    product, with every number's formula and source; buyer overrides applied last and reported."""
    _check_policy_input(p)
    steps: list[Step] = []
    mode, reason_en, reason_fr = push_pull(p.abc_class, p.variability_class, p.critical)
    if p.demand_history_mean == 0 and not p.critical and mode == PULL:
        # Day one: the class was not measured, it is the rule's default for no demand; say so, not "infrequent".
        reason_en, reason_fr = NO_DEMAND_REASON
    steps.append(Step("mode", mode, f"ABC {p.abc_class} × {p.variability_class}{' × critical' if p.critical else ''}",
                      ("push/pull rule", "règle flux poussé/tiré"), (reason_en, reason_fr)))
    forced = _forced_target(p, steps)
    kind, target = forced[:2] if forced else _service_target(p, steps)
    p = _predictive_lead_time(p, steps)
    p, inputs_forced = _forced_inputs(p, steps)
    gamma = distribution_for_class(p.variability_class, p.lead_time_sd) == GAMMA
    values: dict[str, Any] = {"mode": mode, "order_quantity": None, "safety_stock": None, "reorder_point": None,
                              "order_up_to": None}
    eoq_value = None
    if p.review_period_days is None:
        q, eoq_value = _order_quantity(p, steps)
        r, distribution = _continuous_review(p, kind, target, q, gamma, steps)
        values.update(order_quantity=q, safety_stock=r.safety_stock, reorder_point=r.reorder_point)
        mean_dl, sigma, under, k = r.mean_lead_time_demand, r.sigma_dl, r.undershoot, r.k
        covered = r.mean_lead_time_demand + r.undershoot
    else:
        if not p.review_period_days > 0:
            raise Invalid("review_period_invalid", "The review period must be more than zero days.",
                          "La période de revue doit dépasser zéro jour.", field="review_period_days")
        r = _periodic_review(p, kind, target, gamma, steps)
        distribution = GAMMA if r.gamma else NORMAL
        values.update(safety_stock=r.safety_stock, order_up_to=r.order_up_to)
        mean_dl, sigma, under, k = r.mean_protection_demand, r.sigma_rl, 0.0, r.k
        covered = r.mean_protection_demand
    applied = inputs_forced + ([forced[2]] if forced else []) + _apply_overrides(p, values, covered, steps)
    if values["mode"] == PULL:
        values.update(safety_stock=None, reorder_point=None, order_up_to=None, order_quantity=None)
        steps.append(Step("stocking", "none", "", ("mode", "mode"),
                          ("pull: bought against customer orders (MOQ and packs still apply); the figures above are "
                           "what stocking it would take",
                           "flux tiré : acheté à la commande du client (minimum et colisage s'appliquent) ; les "
                           "chiffres ci-dessus sont ce qu'il faudrait pour le tenir en stock")))
    if any(a.name == "mode" for a in applied):
        reason_en = f"Buyer override: {values['mode']} (rule said {mode}: {reason_en})"
        reason_fr = f"Choix de l'acheteur : {MODE_FR[values['mode']]} (la règle disait {MODE_FR[mode]} : {reason_fr})"
    return PolicyResult(
        mode=values["mode"], reason_en=reason_en, reason_fr=reason_fr, abc_class=p.abc_class,
        variability_class=p.variability_class, critical=p.critical, service_kind=kind, service_target=target,
        distribution=distribution, mean_lead_time_demand=mean_dl, sigma_dl=sigma, undershoot=under,
        safety_factor=k, safety_stock=values["safety_stock"], reorder_point=values["reorder_point"],
        order_up_to=values["order_up_to"], order_quantity=values["order_quantity"], eoq=eoq_value,
        review_period_days=p.review_period_days, overrides=tuple(applied), steps=tuple(steps),
    )


def _apply_overrides(p: PolicyInput, values: dict, covered: float, steps: list[Step]):
    """Buyer's values replace computed ones, in a fixed order; a forced safety stock moves the reorder
    point (or order-up-to level) with it, a forced reorder point implies its safety stock; a forced order
    quantity is still bought in whole packs and at least the MOQ."""
    applied = []
    overrides: Mapping[str, Any] = p.overrides
    for name in VALUE_OVERRIDES:
        if name not in overrides:
            continue
        value = overrides[name]
        if name != "mode":
            value = float(value)
            if not (math.isfinite(value) and value >= 0):
                raise Invalid("override_invalid", f"The forced {name} must be a number, zero or more.",
                              f"La valeur forcée {name} doit être un nombre positif ou nul.", field=name)
        if name != "mode" and name != "safety_stock" and values.get(name) is None:
            # Kept, not refused: the override was valid when saved, and the supplier's review type changed since
            # (a reorder point means nothing when the supplier is reviewed every R days, and the reverse).
            steps.append(Step(name, value, "", OVERRIDE,
                              (f"forced by the buyer, not used: {name} does not exist with this review type",
                               f"forcé par l'acheteur, non utilisé : {name} n'existe pas pour ce type de revue")))
            continue
        computed = values.get(name)
        shown = (_fmt(computed), _fr(computed)) if isinstance(computed, float) else (computed,) * 2
        note = (f"forced by the buyer (computed: {shown[0]})", f"forcé par l'acheteur (calculé : {shown[1]})")
        if name == "order_quantity":
            value = float(pull_purchase_quantity(value, p.moq, p.pack_multiple))
            if value != float(overrides[name]):
                note = (f"{note[0]}; {_fmt(float(overrides[name]))} raised to whole packs of {_fmt(p.pack_multiple)}"
                        f" and the MOQ {_fmt(p.moq)}",
                        f"{note[1]} ; {_fr(float(overrides[name]))} porté à des colis entiers de "
                        f"{_fr(p.pack_multiple)} et au minimum {_fr(p.moq)}")
        applied.append(AppliedOverride(name, computed, value))
        values[name] = value
        steps.append(Step(name, value, "", OVERRIDE, note))
        level = "reorder_point" if values["reorder_point"] is not None else "order_up_to"
        if name == "safety_stock":
            values[level] = max(covered + value, 0.0)
            steps.append(Step(level, values[level], f"{_fmt(covered)} + SS", OVERRIDE,
                              ("with the forced safety stock", "avec le stock de sécurité forcé")))
        elif name in ("reorder_point", "order_up_to"):
            values["safety_stock"] = value - covered
            steps.append(Step("safety_stock", values["safety_stock"], f"{'s' if name == 'reorder_point' else 'S'}"
                              f" − {_fmt(covered)}", OVERRIDE, (f"from the forced {name}", f"d'après {name} forcé")))
    return applied
