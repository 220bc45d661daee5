"""Solver settings, in one place: CP-SAT's parameters (SolverSettings) and each search strategy's own settings
(PhasedSettings for phased.py, StartSettings for start.py), held by SolverSettings."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ortools.sat.python import cp_model

# A phase keeps CP-SAT's LP workers only while it leaves at most this many shift variables free: the LP gives
# the sample week (about 2,000, 850 in a 3-day window) its bound and better rosters, but on the 4-week center
# (7-day windows 4,600, 14-day 9,200, the whole plan 18,400) each LP worker's first turn solves the root LP,
# which took a window's whole budget unimproved and made the polish overrun its share fourfold
# (benchmarks/RESULTS.md).
LP_MAX_VARIABLES = 3000
LP_SUBSOLVERS = ("default_lp", "max_lp", "max_lp_sym", "quick_restart", "reduced_costs", "pseudo_costs",
                 "core", "lb_tree_search", "objective_lb_search", "objective_shaving", "probing")
# The best-response start's budget (phase "best responses") is counted in its searches' work
# (SchedulePricer.work: states expanded, with their options), which is the same on every machine, so the start
# is as reproducible as a deterministic solve. This many units take about as long here as one deterministic
# second of CP-SAT (1.5-2.5 s of the 4-week center's phases on 2 idle cores): a pass over its staff is 0.5
# million units, 0.475 s (1.05 million a second).
WORK_PER_SECOND = 1_600_000


@dataclass(frozen=True)
class PhasedSettings:
    """The phased strategy's shares of the time limit (phased.py explains the phases). Shares are of the whole
    limit, or after a best-response start of what the start leaves."""

    # Phase 1 only needs a first roster and the coverage floor: the windows improve it faster
    # (benchmarks/RESULTS.md)
    shortfall_share: float = 0.1
    window_share: float = 0.55
    # None: half the plan (3 of 7 days), every pair of weeks from 3 weeks (windows)
    window_days: int | None = None
    window_passes: int = 2  # each window gets window_share / (window_passes x windows in a pass) of the limit
    # The share of the limit for the staff rounds after the windows (phase "staff", phased.staff_rounds): in
    # each round `staff_group` non-trainee holders of a position drawn by its uncovered hours have their whole
    # plan re-solved with everyone else fixed, `staff_seconds` each, until the share is spent or the draws
    # stall, then a pass of the windows; 0: none. On the 4-week center at 120 det-s, 0.2 of it taken from the
    # windows (0.6 -> 0.55) and the polish left 66 and 70 uncovered position-hours (seeds 0, 1) against 81 and
    # 96 (1 det-s draws; round_windows and staff_seconds below have the later figures): once the pairs of
    # weeks stall, moving a weekend off between people is what helps (benchmarks/RESULTS.md).
    staff_share: float = 0.2
    # Of the limit, at most, for the windows pass of a round, after the staff draws stall. The draws used to
    # stop at 0.1 of the limit for a pass: with 0.1 det-s draws, still improving, that left 50 / 50 / 70 / 60
    # / 63 / 73 uncovered position-hours (seeds 0-5) against 46 / 44 / 60 / 49 / 63 / 74 drawing on
    # (benchmarks/RESULTS.md).
    round_windows: float = 0.1
    staff_group: int = 10
    # Short: many draws beat a few long ones (a draw's improvements come from CP-SAT's own neighbourhood
    # workers, one batch of which fits in 0.1-0.3 det-s). From one windows roster (82 uncovered), 20 det-s of
    # draws left 66-68 at 1 det-s each (11 draws), 47-57 at 0.1-0.5; the 4-week center at 120 det-s: 66 / 70 /
    # 93 / 66 at 1, 50 / 50 / 70 / 60 at 0.1 (seeds 0-3, the draws then stopped at 0.1 of the limit;
    # benchmarks/RESULTS.md).
    staff_seconds: float = 0.1
    # With the weekend rule in force: the share of the limit for choosing the weekends off (phase "weekends",
    # phased.weekend_choice); 0: none. On the 4-week center at 120 det-s it left 81 and 96 uncovered
    # position-hours (seeds 0, 1) where the search over every weekend off left 91 and 107
    # (benchmarks/RESULTS.md).
    weekend_share: float = 0.05

    def windows(self, days: int) -> list[set[int]]:
        """The day sets (day indices) one pass of the window search re-solves, in order. With `window_days`,
        that many consecutive days (wrapping around the plan) starting every half window (at least a day);
        without it, on a plan of 3 or more whole weeks every pair of weeks, adjacent or not, so that a weekend
        off can move between any two weeks (the weekend rule couples them: on the 4-week center 14-day windows
        starting every week left 168 uncovered position-hours where the 6 pairs then reached 77;
        benchmarks/RESULTS.md); on a shorter plan half of it (3 of 7 days, 7 of 14)."""
        if self.window_days is None and days % 7 == 0 and days >= 21:
            return [{7 * week + day for week in pair for day in range(7)}
                    for pair in itertools.combinations(range(days // 7), 2)]
        width = self.window_days or max(1, days // 2)
        return [{(start + i) % days for i in range(width)} for start in range(0, days, max(1, width // 2))]


@dataclass(frozen=True)
class StartSettings:
    """The best-response start (start.py) of the phased strategy, on a plan too large for the LP workers (more
    than `above` shift variables) whose rules the single-employee schedule search states exactly
    (schedules.unsupported)."""

    # The share of the limit for the start (phase "best responses", best_response.py; its CP-SAT completion
    # takes up to PhasedSettings.shortfall_share more), which then replaces the weekend and shortfall phases;
    # the window and staff phases take their shares of what it leaves. 0: none.
    share: float = 0.7
    grow: float = 1.0  # the breakout weight each still uncovered hour gains per pass
    above: int = LP_MAX_VARIABLES  # shift variables: the start runs on larger models
    # One chain of passes per CP-SAT worker, side by side, each in a process of its own (chains.py); False:
    # every chain in the calling process, one after the other (the same plan, more wall-clock time).
    processes: bool = True


def single_worker_solver(time_limit_s: float) -> cp_model.CpSolver:
    """A solver for the small side models (the open-shift cut, explaining an infeasible plan): one worker,
    seed 0, a deterministic limit (reproducible on any machine load) with a wall-clock safety net, and Ctrl-C
    left to the caller (CP-SAT's own catch would put back the default handler, and a second Ctrl-C would then
    kill the process instead of leaving cleanly: cpsat.run)."""
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = time_limit_s
    solver.parameters.max_time_in_seconds = 10 * time_limit_s + 10
    return solver


@dataclass(frozen=True)
class SolverSettings:
    """CP-SAT's parameters, the strategy and the strategies' own settings.

    strategy "direct" solves the weighted objective in one go; "phased" solves it in phases (phased.py), from
    a best-response start where there is one (start.py); "auto" (the default) is "phased" where it starts from
    best responses, else "direct". Every phase is a deterministic solve, so the phased strategy is as
    reproducible as the direct one.

    When the model has fairness or start-stability terms (those rules on), the main solve (either strategy)
    leaves them out of its objective and gets 1 - `fairness_share` of the limit; a last pass gets the share
    (phase "fairness"): the weighted sum of every other term held at no worse than in the roster found (so
    they may trade among themselves as the weights allow), that roster hinted, the fairness and stability
    terms alone minimized (solve.fairness_pass). The limit stays the total, and the pass is as deterministic
    as the rest; with those rules off nothing is taken and nothing changes.
    """

    # Deterministic seconds. 60, not 30: at 30 the sample week's service rosters answered 84.2% or 90.5% of
    # calls within 15 s by seed, at 60 89.4% and 89.3% (benchmarks/RESULTS.md, "Call-value curves").
    time_limit_s: float = 60.0
    seed: int = 0
    workers: int = 2
    deterministic: bool = True
    # "auto": "phased" where it starts from best responses, else "direct". With the default service objective
    # at 60 det-s, the sample center over 2 weeks: objective 737,334 and 91.4% of calls answered within 15 s
    # against direct's 1,344,596 and 75.2%; over 4 weeks 1,604,473 and 92.1% against 3,302,897 and 66.1%. On
    # the sample week (no start: its model keeps the LP workers) direct is far ahead: 0.67% gap against
    # phased's 19.6%.
    strategy: str = "auto"
    # Of the limit, for the fairness pass; only taken when the model has such terms.
    fairness_share: float = 0.1
    # Full-problem workers the direct solve leaves out while it keeps the LP workers (a model of at most
    # LP_MAX_VARIABLES shift variables). The interleaved search takes turns among 9 of them and 6
    # neighbourhood searches; on the sample week's service objective the rosters near the optimum came from
    # the LP-guided dives (default_lp, pseudo_costs, reduced_costs) after 30-40 det-s, and these four found
    # none (no_lp walked the first roster down a seat at a time). Without them the 60 det-s solve's gap over
    # seeds 0-9 went from a median of 2.23% (1 seed of 10 at most 1%) to 0.89% (6 of 10);
    # benchmarks/RESULTS.md. Short phases keep every worker: the phased strategy's 1 det-s first phase found
    # no roster without them.
    skip_subsolvers: tuple[str, ...] = ("no_lp", "quick_restart_no_lp", "max_lp", "quick_restart")
    # CP-SAT's full-problem subsolvers (its `subsolvers` parameter; (): its own choice) and linearization
    # level (None: its own), for models that want others (RACING_LP below).
    subsolvers: tuple[str, ...] = ()
    linearization_level: int | None = None
    phased: PhasedSettings = PhasedSettings()
    start: StartSettings = StartSettings()

    def apply(self, solver: cp_model.CpSolver, time_limit_s: float | None = None, lp: bool = True,
              focused: bool = False) -> None:
        """Set `solver`'s parameters. `lp` False: no LP worker (a phase on a large model, LP_MAX_VARIABLES);
        `focused`: without `skip_subsolvers` (a long search from scratch that keeps the LP workers)."""
        limit = self.time_limit_s if time_limit_s is None else time_limit_s
        # Ctrl-C is ours (cpsat.run): CP-SAT's own catch would end the search as a time limit does.
        solver.parameters.catch_sigint_signal = False
        solver.parameters.random_seed = self.seed
        solver.parameters.num_workers = self.workers
        if self.deterministic:
            # A wall-clock limit stops the search wherever machine load leaves it, and racing workers finish
            # in any order; counting the solver's deterministic time (work done, about 1.2-2 s of wall-clock
            # each on 2 idle cores here) over interleaved workers stops at the same point on every run. The
            # wall-clock limit is only a safety net: on a machine shared by many solves one deterministic
            # second took 15-25 s, and a net that fires changes the roster.
            solver.parameters.max_deterministic_time = limit
            solver.parameters.max_time_in_seconds = 50 * limit + 60
            solver.parameters.interleave_search = self.workers > 1
        else:
            solver.parameters.max_time_in_seconds = limit
        solver.parameters.subsolvers.extend(self.subsolvers)
        if self.linearization_level is not None:
            solver.parameters.linearization_level = self.linearization_level
        if not lp:
            solver.parameters.ignore_subsolvers.extend(LP_SUBSOLVERS)
        elif focused:
            solver.parameters.ignore_subsolvers.extend(self.skip_subsolvers)


# Wall-clock racing with one LP-heavy full-problem worker (pseudo-cost branching over the level-2 LP) beside
# CP-SAT's neighbourhood searches: on Curtois & Qu's instances (cover per shift type, limits over the plan)
# it reached 1,144 / 1,951 / 1,067 / 4,730 on instances 5, 6, 7, 10 in 30 s where the defaults' racing
# reached 1,253 / 2,355 / 1,194 / 4,981 and their deterministic interleaving did worse still
# (benchmarks/RESULTS.md, "curtois.py"). Not reproducible run to run: the workers race.
RACING_LP = SolverSettings(deterministic=False, subsolvers=("pseudo_costs",), linearization_level=2)
