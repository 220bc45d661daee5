"""Build the sample center: ``inputs/center.xlsx``, ``inputs/call-history.csv`` and the forecast made from it,
``forecasts/sample-week-2026-11-30.csv``.

"Gateway City Emergency Communications" is a fictional consolidated 9-1-1 center modeled on St. Louis
(police and fire/EMS call answering in one room, America/Chicago). The workbook follows
``docs/center-workbook.md``; the forecast covers Mon 2026-11-30 00:00 to Mon 2026-12-07 00:00 local time.

Deterministic: fixed numpy seed, no network, no shared data read. Needs the ``scheduler`` package (installed,
e.g. ``pip install -e .``) to forecast. Run from anywhere:

    python inputs/build_sample.py
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

ROOT = Path(__file__).resolve().parents[1]
WORKBOOK_PATH = ROOT / "inputs" / "center.xlsx"
FORECAST_PATH = ROOT / "forecasts" / "sample-week-2026-11-30.csv"

SEED = 20261130
TZ = ZoneInfo("America/Chicago")
WEEK_START = dt.date(2026, 11, 30)  # a Monday
WEEK_DAYS = [WEEK_START + dt.timedelta(days=i) for i in range(7)]

# ---------------------------------------------------------------------------------------------------------
# Hour-of-week demand profiles (index 0 = Monday 00:00-01:00 local, 167 = Sunday 23:00-24:00), mean 1.0.
#
# Derived once (offline) from real call history in /work/shared/data/montco_calls.csv: 99,492 calls from
# Montgomery County, PA (2015-12-10 .. 2016-08-24, local America/New_York wall-clock time). For each
# category set the calls were counted per local hour of week, smoothed with a circular [1/4, 1/2, 1/4]
# kernel over neighbouring hours (removes sampling noise of ~37 weeks of data), divided by the mean and
# rounded to 4 decimals:
#   MONTCO_TRAFFIC  - category Traffic (35,695 calls), our police proxy;
#   MONTCO_FIRE_EMS - categories EMS + Fire (63,797 calls).
# This script does not read that file; the constants below are the result.
# ---------------------------------------------------------------------------------------------------------
MONTCO_TRAFFIC = [
    # Mon 00-11, 12-23
    0.2765, 0.2106, 0.1659, 0.1506, 0.1812, 0.3342, 0.7025, 1.2213, 1.4720, 1.3390, 1.1872, 1.2319,
    1.3637, 1.4543, 1.6273, 1.8838, 2.0638, 2.0391, 1.6991, 1.2414, 0.9460, 0.7919, 0.6201, 0.4106,
    # Tue 00-11, 12-23
    0.2836, 0.2353, 0.1930, 0.1765, 0.2236, 0.3977, 0.8083, 1.3908, 1.7214, 1.5790, 1.3237, 1.3037,
    1.4779, 1.6496, 1.7814, 1.9932, 2.2191, 2.2227, 1.9014, 1.4096, 1.1002, 0.9378, 0.6483, 0.3883,
    # Wed 00-11, 12-23
    0.2895, 0.2189, 0.1612, 0.1435, 0.1859, 0.3695, 0.8331, 1.4508, 1.6861, 1.4520, 1.2308, 1.3402,
    1.5849, 1.6449, 1.6838, 1.9144, 2.1803, 2.1932, 1.8120, 1.3272, 1.0519, 0.8778, 0.6589, 0.4565,
    # Thu 00-11, 12-23
    0.3342, 0.2565, 0.1859, 0.1283, 0.1388, 0.3059, 0.6919, 1.2096, 1.5543, 1.4920, 1.2708, 1.2661,
    1.4273, 1.5626, 1.7261, 1.9697, 2.1885, 2.0944, 1.5790, 1.0919, 0.8731, 0.7425, 0.5966, 0.4612,
    # Fri 00-11, 12-23
    0.3495, 0.2483, 0.1624, 0.1247, 0.1588, 0.3059, 0.6636, 1.1049, 1.3131, 1.2331, 1.1802, 1.3402,
    1.5202, 1.5932, 1.7661, 2.0932, 2.2686, 2.0544, 1.5532, 1.1625, 0.9896, 0.8731, 0.7895, 0.6836,
    # Sat 00-11, 12-23
    0.5248, 0.3942, 0.3259, 0.2883, 0.2565, 0.2565, 0.3695, 0.5460, 0.7283, 0.9648, 1.1908, 1.3625,
    1.4849, 1.5261, 1.4979, 1.4967, 1.4943, 1.3873, 1.2296, 1.0437, 0.8813, 0.8225, 0.8001, 0.6954,
    # Sun 00-11, 12-23
    0.5236, 0.4095, 0.3553, 0.3177, 0.3000, 0.3130, 0.3965, 0.4930, 0.6024, 0.7554, 0.8942, 1.0496,
    1.1107, 1.0554, 1.0649, 1.0978, 1.1084, 1.1319, 1.0731, 0.8837, 0.6883, 0.5742, 0.4718, 0.3553,
]

MONTCO_FIRE_EMS = [
    # Mon 00-11, 12-23
    0.5793, 0.4911, 0.4450, 0.4378, 0.4707, 0.5602, 0.7354, 0.9770, 1.2021, 1.3470, 1.4385, 1.5030,
    1.5083, 1.4549, 1.3891, 1.3713, 1.4049, 1.4056, 1.3621, 1.2739, 1.0961, 0.9256, 0.8157, 0.6860,
    # Tue 00-11, 12-23
    0.5675, 0.4839, 0.4069, 0.3851, 0.4194, 0.5030, 0.6827, 0.9427, 1.2179, 1.4135, 1.4964, 1.5109,
    1.4964, 1.4892, 1.4661, 1.4161, 1.3977, 1.3693, 1.2798, 1.1955, 1.0935, 0.9572, 0.8019, 0.6123,
    # Wed 00-11, 12-23
    0.4898, 0.4510, 0.4385, 0.4220, 0.4069, 0.5017, 0.7031, 0.9572, 1.2021, 1.3542, 1.4161, 1.4102,
    1.3957, 1.4174, 1.3930, 1.3173, 1.3371, 1.3786, 1.2976, 1.1890, 1.1211, 1.0283, 0.8756, 0.6913,
    # Thu 00-11, 12-23
    0.5326, 0.4589, 0.4404, 0.4108, 0.4003, 0.4543, 0.5984, 0.8236, 1.0737, 1.3180, 1.4451, 1.4457,
    1.4971, 1.5201, 1.4418, 1.3661, 1.3114, 1.3108, 1.3094, 1.2476, 1.1475, 0.9980, 0.8216, 0.6682,
    # Fri 00-11, 12-23
    0.5543, 0.4773, 0.4306, 0.4187, 0.4187, 0.4615, 0.6399, 0.9026, 1.1310, 1.3173, 1.4576, 1.4925,
    1.4661, 1.4767, 1.4701, 1.4167, 1.3891, 1.3647, 1.3140, 1.2449, 1.1508, 1.0250, 0.9151, 0.8269,
    # Sat 00-11, 12-23
    0.7103, 0.5958, 0.5333, 0.5017, 0.4747, 0.4773, 0.5412, 0.6807, 0.8756, 1.0639, 1.1791, 1.2364,
    1.2772, 1.2871, 1.2719, 1.2884, 1.3029, 1.2910, 1.2930, 1.2581, 1.1686, 1.0395, 0.9026, 0.8111,
    # Sun 00-11, 12-23
    0.7202, 0.6142, 0.5556, 0.5227, 0.4852, 0.4977, 0.5958, 0.7689, 0.9717, 1.1350, 1.2107, 1.2561,
    1.2969, 1.2614, 1.2067, 1.1824, 1.1778, 1.1844, 1.1830, 1.1626, 1.0566, 0.9125, 0.8032, 0.6945,
]

# Forecast streams: share of the ~1,500 calls a day and mean handle time in seconds (docs/DOMAIN facts).
DAILY_CALLS = 1500.0
STREAMS = {
    "911_police": (0.35, 340),
    "911_fire_ems": (0.25, 270),
    "admin_police": (0.28, 190),
    "admin_fire_ems": (0.12, 170),
}
# 911 police shape = 40% traffic + 60% fire/EMS shape (the traffic shape alone is commute-spiky).
POLICE_TRAFFIC_WEIGHT = 0.40
ADMIN_POLICE_TRAFFIC_WEIGHT = 0.70  # admin police shape = 70% traffic (business hours) + 30% fire/EMS shape
POLICE_LATE_LIFT = 1.35  # police stays busy late: 20:00-03:00 volume lifted 35% before renormalising
POLICE_LATE_HOURS = (20, 21, 22, 23, 0, 1, 2)
ADMIN_FIRE_WEEKEND = 0.70  # admin (10-digit) fire/EMS lines drop at weekends


def _normalise(profile: np.ndarray) -> np.ndarray:
    return profile / profile.mean()


def stream_profiles() -> dict[str, np.ndarray]:
    """Hour-of-week profile (mean 1.0) per forecast stream, built from the two Montco profiles."""
    traffic = np.array(MONTCO_TRAFFIC, dtype=float)
    fire_ems = np.array(MONTCO_FIRE_EMS, dtype=float)
    assert traffic.size == 168 and fire_ems.size == 168
    hour = np.arange(168) % 24
    weekend = np.arange(168) // 24 >= 5

    # 911 police: blend, then give every day the same total (9-1-1 volume is nearly flat across the week;
    # the Montco traffic weekend drop is commuting, not 9-1-1), then lift late evening and night.
    police = POLICE_TRAFFIC_WEIGHT * traffic + (1 - POLICE_TRAFFIC_WEIGHT) * fire_ems
    days = police.reshape(7, 24)
    police = (days / days.sum(axis=1, keepdims=True)).ravel()
    police = police * np.where(np.isin(hour, POLICE_LATE_HOURS), POLICE_LATE_LIFT, 1.0)

    return {
        "911_police": _normalise(police),
        # Fire/EMS 9-1-1 as observed (it already dips ~7% at weekends).
        "911_fire_ems": _normalise(fire_ems),
        # Admin police lines: mostly the business-hours traffic shape, whose weekend drop they share.
        "admin_police": _normalise(
            ADMIN_POLICE_TRAFFIC_WEIGHT * traffic + (1 - ADMIN_POLICE_TRAFFIC_WEIGHT) * fire_ems
        ),
        "admin_fire_ems": _normalise(fire_ems * np.where(weekend, ADMIN_FIRE_WEEKEND, 1.0)),
    }


# ---------------------------------------------------------------------------------------------------------
# Call history: 20 weeks of hourly counts per phone line (an ACD export), Mon 2026-07-13 .. Sun 2026-11-29,
# from which `scheduler demo` (and this script, for the shipped sample forecast) forecasts the plan week.
# Each hour's mean is the stream's hour-of-week profile above times a day level; counts are Poisson around it.
# The day level carries what real history shows (montco: hourly variance 1.3-1.7x the mean): a day-to-day
# swing shared by all lines (weather, events; CV 6%) and one per line (CV 4%), 4% a year growth, and
# holidays on which the 10-digit lines of closed city offices fall and 9-1-1 barely moves.
# ---------------------------------------------------------------------------------------------------------
HISTORY_PATH = ROOT / "inputs" / "call-history.csv"
HISTORY_WEEKS = 20
HISTORY_START = WEEK_START - dt.timedelta(weeks=HISTORY_WEEKS)
LINES = {  # phone line in the ACD export -> forecast stream (inputs/lines.toml maps them back)
    "911_police": "9-1-1 police",
    "911_fire_ems": "9-1-1 fire/EMS",
    "admin_police": "10-digit police",
    "admin_fire_ems": "10-digit fire",
}
SHARED_DAY_CV, LINE_DAY_CV = 0.06, 0.04
YEARLY_GROWTH = 0.04
HOLIDAYS = {dt.date(2026, 9, 7): "Labor Day", dt.date(2026, 11, 26): "Thanksgiving"}
HOLIDAY_FACTOR = {"911_police": 0.95, "911_fire_ems": 1.0, "admin_police": 0.55, "admin_fire_ems": 0.45}


def _gamma_level(rng: np.random.Generator, cv: float, size: int | None = None) -> np.ndarray:
    """Mean-1 gamma multipliers with the given coefficient of variation."""
    shape = 1 / cv**2
    return rng.gamma(shape, 1 / shape, size)


def build_call_history(rng: np.random.Generator) -> list[tuple[str, str, int]]:
    """(hour start with UTC offset, line, calls) for every local hour of the history, every line."""
    profiles = stream_profiles()
    days = [HISTORY_START + dt.timedelta(days=i) for i in range(7 * HISTORY_WEEKS)]
    shared = _gamma_level(rng, SHARED_DAY_CV, len(days))
    own = {stream: _gamma_level(rng, LINE_DAY_CV, len(days)) for stream in STREAMS}
    start_utc = dt.datetime.combine(HISTORY_START, dt.time(0), tzinfo=TZ).astimezone(dt.UTC)
    end_utc = dt.datetime.combine(WEEK_START, dt.time(0), tzinfo=TZ).astimezone(dt.UTC)
    rows = []
    moment = start_utc
    while moment < end_utc:
        local = moment.astimezone(TZ)
        day = (local.date() - HISTORY_START).days
        growth = (1 + YEARLY_GROWTH) ** ((local.date() - WEEK_START).days / 365)  # 1,500 a day at the plan
        how = local.weekday() * 24 + local.hour
        for stream in sorted(STREAMS):
            share, _ = STREAMS[stream]
            mean = DAILY_CALLS * share / 24 * profiles[stream][how] * growth * shared[day] * own[stream][day]
            if local.date() in HOLIDAYS:
                mean *= HOLIDAY_FACTOR[stream]
            rows.append((local.isoformat(), LINES[stream], int(rng.poisson(mean))))
        moment += dt.timedelta(hours=1)
    return rows


def write_call_history(path: Path, rows: list[tuple[str, str, int]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["hour_start", "line", "calls"])
        writer.writerows(rows)


def write_forecast(path: Path) -> None:
    """The sample forecast is the demo's: the forecaster run on the call history, as `scheduler demo` runs
    it."""
    from scheduler import sample  # the package, installed or run from this checkout

    with tempfile.TemporaryDirectory() as folder:
        paths = {key: ROOT / relative for key, relative in sample.PATHS.items()}
        outcome = sample.forecast_week(paths, Path(folder))
        shutil.copyfile(outcome.csv, path)


# ---------------------------------------------------------------------------------------------------------
# Staff
# ---------------------------------------------------------------------------------------------------------
LAST_NAMES = [
    "Anderson", "Bailey", "Banks", "Bell", "Brooks", "Brown", "Burke", "Carter", "Castillo", "Chen",
    "Coleman", "Collins", "Cruz", "Daniels", "Davis", "Diaz", "Dunn", "Edwards", "Evans", "Fischer",
    "Flores", "Foster", "Garcia", "Gibson", "Graham", "Green", "Hall", "Hamilton", "Harris", "Hayes",
    "Henderson", "Hoffman", "Holmes", "Hughes", "Jackson", "Jenkins", "Johnson", "Kelly", "Kim", "Klein",
    "Kowalski", "Lewis", "Lopez", "Martin", "Mason", "McBride", "Meyer", "Mitchell", "Moore", "Murphy",
    "Nguyen", "Nowak", "O'Brien", "Ortiz", "Patel", "Perry", "Powell", "Price", "Ramirez", "Reed",
    "Reyes", "Richardson", "Robinson", "Russo", "Sanders", "Schmidt", "Schneider", "Scott", "Simmons",
    "Stewart", "Sullivan", "Taylor", "Thomas", "Turner", "Walker", "Washington", "Weber", "Williams",
    "Wilson", "Wright", "Young",
]
FIRST_NAMES = [
    "Aaron", "Adrian", "Alicia", "Amanda", "Andre", "Angela", "Anthony", "Ashley", "Brandon", "Brenda",
    "Brian", "Carlos", "Carmen", "Cheryl", "Christopher", "Crystal", "Daniel", "Darnell", "Deborah",
    "Denise", "Derek", "Diana", "Dominic", "Donna", "Elena", "Emily", "Eric", "Erica", "Gabriel", "Gloria",
    "Gregory", "Heather", "Isaiah", "Jamal", "Janet", "Jasmine", "Jason", "Jennifer", "Jessica", "Joseph",
    "Juan", "Karen", "Keisha", "Kevin", "Kimberly", "Latoya", "Laura", "Lisa", "Marcus", "Maria",
    "Mark", "Megan", "Michael", "Michelle", "Nathan", "Nicole", "Patrick", "Rachel", "Raymond", "Rebecca",
    "Robert", "Rosa", "Samantha", "Sean", "Shawn", "Stephanie", "Tamika", "Teresa", "Terrence", "Tiffany",
    "Tyrone", "Vanessa", "Victor", "Wendy", "William",
]

# Telecommunicators by qualification set (58). Radio only with the matching call-taking qualification.
TELECOM_QUALS = (
    [("CT_POL",)] * 8
    + [("CT_POL", "RAD_POL")] * 12
    + [("CT_FIRE",)] * 9
    + [("CT_FIRE", "RAD_FIRE")] * 5
    + [("CT_POL", "CT_FIRE")] * 14
    + [("CT_POL", "CT_FIRE", "RAD_POL")] * 4
    + [("CT_POL", "CT_FIRE", "RAD_FIRE")] * 3
    + [("CT_POL", "CT_FIRE", "RAD_POL", "RAD_FIRE")] * 3
)
TELECOM_LENGTHS = [8] * 28 + [10] * 14 + [12] * 16
SUPERVISOR_QUALS = (
    [("SUP", "CT_POL", "RAD_POL")] * 3
    + [("SUP", "CT_FIRE", "RAD_FIRE")] * 2
    + [("SUP", "CT_POL", "CT_FIRE")] * 2
    + [("SUP", "CT_POL", "CT_FIRE", "RAD_POL", "RAD_FIRE")] * 1
)
SUPERVISOR_LENGTHS = [12] * 5 + [10] * 3
# CTOs: (qualification set, shift length, bid). The 8-hour CTOs bid the day/evening shifts the trainees bid.
CTO_SPECS = [
    (("CT_POL", "CT_FIRE"), 8, "D8"),
    (("CT_POL", "CT_FIRE"), 8, "E8"),
    (("CT_POL", "RAD_POL"), 8, "D8,E8"),
    (("CT_FIRE", "RAD_FIRE"), 8, "D8,E8"),
    (("CT_POL", "CT_FIRE", "RAD_POL"), 10, "P10"),
    (("CT_POL", "CT_FIRE"), 12, ""),
]
TRAINEE_SPECS = [("CT_POL", "D8"), ("CT_POL", "E8"), ("CT_FIRE", "D8"), ("CT_FIRE", "E8")]
BID_OPTIONS = {
    8: ["N8", "N8", "D8", "E8", "D8,E8", "E8,N8"],
    10: ["P10", "P10", "D10", "N10", "D10,P10"],
    12: ["D12", "N12", "N12"],
}
OTHER_BIDS = 15  # bids besides the CTOs' and trainees' (about a third of staff bid in all)
OT_ZERO, OT_SIXTEEN = 4, 4

SHIFTS = [
    ("D8", "07:00", 8, "Day 8"),
    ("E8", "15:00", 8, "Evening 8"),
    ("N8", "23:00", 8, "Night 8"),
    ("D10", "06:00", 10, "Day 10"),
    ("P10", "14:00", 10, "Power 10 (peak)"),
    ("N10", "21:00", 10, "Night 10"),
    ("D12", "06:00", 12, "Day 12"),
    ("N12", "18:00", 12, "Night 12"),
]
POSITIONS = [
    ("police_ct", "Police call-taker", "call_taking", "CT_POL", "911_police,admin_police"),
    ("fire_ct", "Fire/EMS call-taker", "call_taking", "CT_FIRE", "911_fire_ems,admin_fire_ems"),
    ("police_radio", "Police radio", "radio", "RAD_POL", ""),
    ("fire_radio", "Fire/EMS radio", "radio", "RAD_FIRE", ""),
    ("supervisor", "Floor supervisor", "supervisor", "SUP", ""),
]
MINIMUMS = [
    ("police_radio", "all", "07:00", "23:00", 4),  # four police district channels by day
    ("police_radio", "all", "23:00", "07:00", 3),
    ("fire_radio", "all", "00:00", "24:00", 2),  # fire channel + EMS channel
    ("supervisor", "all", "07:00", "23:00", 2),
    ("supervisor", "all", "23:00", "07:00", 1),
    ("police_ct", "all", "00:00", "24:00", 2),  # floors under the queueing requirement
    ("fire_ct", "all", "00:00", "24:00", 1),
]
AUTHORIZED = [("telecommunicator", 84), ("supervisor", 10), ("trainee", 4)]


def _random_date(rng: np.random.Generator, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=int(rng.integers(0, (last - first).days + 1)))


def build_staff(rng: np.random.Generator) -> list[dict]:
    lasts = [LAST_NAMES[i] for i in rng.permutation(len(LAST_NAMES))]
    firsts = [FIRST_NAMES[i] for i in rng.permutation(len(FIRST_NAMES))]
    people: list[dict] = []

    def add(job_class, quals, length, bid="", cto=False, hire=None):
        people.append({
            "job_class": job_class, "quals": tuple(quals), "length": length, "bid": bid, "cto": cto,
            "hire": hire, "max_ot": None,
        })

    for quals, length in zip(SUPERVISOR_QUALS, SUPERVISOR_LENGTHS, strict=True):
        add("supervisor", quals, length, hire=_random_date(rng, dt.date(1996, 1, 1), dt.date(2012, 12, 31)))

    # Telecommunicators: CTOs first (senior), then the rest with shuffled qualification sets and lengths.
    quals_left = list(TELECOM_QUALS)
    lengths_left = list(TELECOM_LENGTHS)
    for quals, length, bid in CTO_SPECS:
        quals_left.remove(quals)
        lengths_left.remove(length)
        add("telecommunicator", quals, length, bid, cto=True,
            hire=_random_date(rng, dt.date(1998, 1, 1), dt.date(2016, 12, 31)))
    quals_left = [quals_left[i] for i in rng.permutation(len(quals_left))]
    lengths_left = [lengths_left[i] for i in rng.permutation(len(lengths_left))]
    for quals, length in zip(quals_left, lengths_left, strict=True):
        hire = _random_date(rng, dt.date(1996, 1, 1), dt.date(2025, 10, 31))
        add("telecommunicator", quals, length, hire=hire)

    for qual, bid in TRAINEE_SPECS:
        add("trainee", (qual,), 8, bid, hire=_random_date(rng, dt.date(2026, 4, 1), dt.date(2026, 8, 31)))

    # Bids and voluntary-overtime caps for some non-CTO, non-trainee staff.
    free = [i for i, p in enumerate(people) if p["job_class"] != "trainee" and not p["cto"]]
    chosen = rng.choice(free, size=OTHER_BIDS + OT_ZERO + OT_SIXTEEN, replace=False)
    for i in chosen[:OTHER_BIDS]:
        options = BID_OPTIONS[people[i]["length"]]
        people[i]["bid"] = options[int(rng.integers(len(options)))]
    others = [i for i, p in enumerate(people) if p["job_class"] != "trainee"]
    ot = rng.choice(others, size=OT_ZERO + OT_SIXTEEN, replace=False)
    for n, i in enumerate(ot):
        people[i]["max_ot"] = 0 if n < OT_ZERO else 16

    # Order by job class then seniority; ids E001.. in that order.
    order = {"supervisor": 0, "telecommunicator": 1, "trainee": 2}
    people.sort(key=lambda p: (order[p["job_class"]], p["hire"]))
    for n, p in enumerate(people):
        p["id"] = f"E{n + 1:03d}"
        p["name"] = f"{lasts[n]}, {firsts[n]}"
    return people


# ---------------------------------------------------------------------------------------------------------
# Leave and requests
# ---------------------------------------------------------------------------------------------------------
def _in_week(start: dt.date, end: dt.date) -> set[dt.date]:
    return {d for d in WEEK_DAYS if start <= d <= end}


def build_leave(rng: np.random.Generator, people: list[dict]) -> tuple[list[tuple], dict[str, set[dt.date]]]:
    candidates = [p["id"] for p in people if p["job_class"] != "trainee"]
    pool = [candidates[i] for i in rng.permutation(len(candidates))]
    rows: list[tuple] = []
    taken: dict[str, set[dt.date]] = {}

    def add(emp, start, end, kind, note=""):
        rows.append((emp, start, end, kind, note))
        taken.setdefault(emp, set()).update(_in_week(start, end))

    d = WEEK_DAYS
    # Multi-day blocks (some start before or end after the sample week).
    add(pool.pop(), dt.date(2026, 11, 26), dt.date(2026, 12, 6), "VAC", "Thanksgiving trip")
    add(pool.pop(), d[0], d[6], "VAC")
    add(pool.pop(), d[1], dt.date(2026, 12, 9), "VAC", "Back Dec 10")
    add(pool.pop(), dt.date(2026, 11, 16), d[2], "FMLA")
    academy = [pool.pop(), pool.pop()]
    for emp in academy:
        add(emp, d[1], d[2], "TRAIN", "EMD recertification")
    add(academy[0], d[5], d[5], "COMP")
    # Single days, one to three per employee.
    for _ in range(12):
        emp = pool.pop()
        n_rows = int(rng.choice([1, 1, 1, 2, 2, 3]))
        days = sorted(rng.choice(7, size=n_rows, replace=False))
        for k in days:
            kind = str(rng.choice(["SICK", "SICK", "SICK", "COMP", "COMP", "TRAIN"]))
            note = "CPR/AED renewal" if kind == "TRAIN" else ""
            add(emp, d[k], d[k], kind, note)
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows, taken


def build_requests(rng: np.random.Generator, people: list[dict], taken: dict, n: int = 25) -> list[tuple]:
    ids = [p["id"] for p in people]
    rows: set[tuple] = set()
    while len(rows) < n:
        emp = ids[int(rng.integers(len(ids)))]
        day = WEEK_DAYS[int(rng.integers(7))]
        if day in taken.get(emp, set()) or any(r[0] == emp and r[1] == day for r in rows):
            continue
        rows.add((emp, day, int(rng.choice([1, 1, 1, 2, 2, 3]))))
    return sorted(rows)


def build_preferences(people: list[dict]) -> list[tuple]:
    """A few shift preferences (sheet Preferences), picked by rule rather than drawn, so that the other
    sheets' random draws stay as they were: (employee_id, preference, shifts, days, date, weight)."""
    def first(job_class: str, length: int, skip: int = 0) -> str:
        """The `skip`-th most senior employee of a class and shift length with no bid (works any such
        template)."""
        return [p["id"] for p in people if p["job_class"] == job_class
                and p["length"] == length and not p["bid"] and not p["cto"]][skip]

    return [
        (first("telecommunicator", 8), "prefer", "D8", "weekday", None, 2),
        (first("telecommunicator", 8, skip=-2), "avoid", "N8", None, None, 1),
        (first("telecommunicator", 10), "prefer", "D10,P10", None, None, 1),
        (first("telecommunicator", 12), "avoid", "N12", "weekend", None, 3),
        (first("supervisor", 12), "avoid", None, None, WEEK_DAYS[4], 2),
    ]


# ---------------------------------------------------------------------------------------------------------
# Workbook
# ---------------------------------------------------------------------------------------------------------
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _sheet(wb: Workbook, title: str, columns: list[tuple[str, int, str | None]], rows: list[tuple]) -> None:
    """Add a sheet; columns are (name, width, number_format or None)."""
    ws = wb.create_sheet(title)
    ws.append([c[0] for c in columns])
    for cell in ws[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="left")
    for row in rows:
        ws.append(list(row))
    for j, (_, width, fmt) in enumerate(columns, start=1):
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = width
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = fmt
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def write_workbook(path: Path, people, leave, requests, preferences) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    date_fmt, text_fmt = "yyyy-mm-dd", "@"
    staff_rows = [
        (p["id"], p["name"], p["job_class"], ",".join(p["quals"]), "yes" if p["cto"] else "no", p["length"],
         p["bid"] or None, 40, p["max_ot"], p["hire"])
        for p in people
    ]
    _sheet(wb, "Staff", [
        ("employee_id", 13, None), ("name", 24, None), ("job_class", 18, None), ("qualifications", 40, None),
        ("cto", 6, None), ("shift_length", 13, None), ("shifts", 12, None), ("contract_hours", 15, None),
        ("max_overtime_hours", 20, None), ("hire_date", 12, date_fmt),
    ], staff_rows)
    _sheet(wb, "Leave", [
        ("employee_id", 13, None), ("start_date", 12, date_fmt), ("end_date", 12, date_fmt),
        ("type", 8, None), ("note", 28, None),
    ], [(e, s, t, k, note or None) for e, s, t, k, note in leave])
    _sheet(wb, "Requests", [("employee_id", 13, None), ("date", 12, date_fmt), ("weight", 8, None)], requests)
    _sheet(wb, "Shifts", [("code", 8, None), ("start", 8, text_fmt), ("hours", 7, None), ("label", 20, None)],
           SHIFTS)
    _sheet(wb, "Positions", [
        ("position", 14, None), ("name", 22, None), ("kind", 13, None), ("qualification", 14, None),
        ("streams", 30, None),
    ], [(a, b, c, d, e or None) for a, b, c, d, e in POSITIONS])
    _sheet(wb, "Minimums", [
        ("position", 14, None), ("days", 8, None), ("from", 8, text_fmt), ("to", 8, text_fmt),
        ("minimum", 9, None),
    ], MINIMUMS)
    _sheet(wb, "Authorized", [("job_class", 18, None), ("authorized", 11, None)], AUTHORIZED)
    _sheet(wb, "Preferences", [
        ("employee_id", 13, None), ("preference", 11, None), ("shifts", 10, None), ("days", 9, None),
        ("date", 12, date_fmt), ("weight", 8, None),
    ], preferences)
    fixed = dt.datetime(2026, 11, 1, 0, 0, 0)
    wb.properties.creator = "inputs/build_sample.py"
    wb.properties.title = "Gateway City Emergency Communications - sample center"
    wb.properties.created = fixed
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def main() -> None:
    rng = np.random.default_rng(SEED)
    people = build_staff(rng)
    leave, taken = build_leave(rng, people)
    requests = build_requests(rng, people, taken)
    preferences = build_preferences(people)
    write_workbook(WORKBOOK_PATH, people, leave, requests, preferences)
    history = build_call_history(rng)
    write_call_history(HISTORY_PATH, history)
    write_forecast(FORECAST_PATH)
    print(f"wrote {WORKBOOK_PATH.relative_to(ROOT)} ({len(people)} staff, {len(leave)} leave rows, "
          f"{len(requests)} requests, {len(preferences)} preferences)")
    print(f"wrote {HISTORY_PATH.relative_to(ROOT)} ({sum(calls for *_, calls in history):,} calls in "
          f"{HISTORY_WEEKS} weeks)")
    print(f"wrote {FORECAST_PATH.relative_to(ROOT)} (forecast from the call history)")


if __name__ == "__main__":
    main()
