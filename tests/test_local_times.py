"""Local times on DST nights (domain.localize): a time the clock skips or shows twice is refused, with both
readings named; any other local time, or one with its UTC offset, is read as given."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from scheduler.domain.horizon import LocalTimeError, localize

CHICAGO = ZoneInfo("America/Chicago")


def test_an_ordinary_local_time_takes_the_zone():
    assert localize(datetime(2026, 12, 2, 5, 0), CHICAGO).isoformat() == "2026-12-02T05:00:00-06:00"


def test_a_time_with_its_offset_is_kept_as_given():
    # On the fall-back night 01:30 happens twice; with its offset it is one instant.
    moment = datetime.fromisoformat("2026-11-01 01:30-06:00")
    assert localize(moment, CHICAGO) is moment


def test_the_skipped_hour_names_both_readings():
    # 2026-03-08: clocks go from 02:00 CST to 03:00 CDT; 02:30 is 01:30 CST or 03:30 CDT, one hour apart.
    with pytest.raises(LocalTimeError) as error:
        localize(datetime(2026, 3, 8, 2, 30), CHICAGO)
    assert str(error.value) == ("2026-03-08 02:30 does not exist in America/Chicago (clocks go forward): it "
                                "could mean 2026-03-08 01:30-06:00 (CST) or 2026-03-08 03:30-05:00 (CDT)")
    assert [m.isoformat() for m in error.value.readings] == ["2026-03-08T01:30:00-06:00",
                                                             "2026-03-08T03:30:00-05:00"]


def test_the_repeated_hour_names_both_readings_in_time_order():
    # 2026-11-01: clocks go from 02:00 CDT back to 01:00 CST; 01:30 comes first in CDT, an hour later in CST.
    with pytest.raises(LocalTimeError) as error:
        localize(datetime(2026, 11, 1, 1, 30), CHICAGO)
    assert str(error.value) == ("2026-11-01 01:30 happens twice in America/Chicago (clocks go back): it "
                                "could mean 2026-11-01 01:30-05:00 (CDT) or 2026-11-01 01:30-06:00 (CST)")
