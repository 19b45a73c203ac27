"""The headline ratios array_core / NumPy as asv ``track_`` values: their history.

asv's ``time_`` results are absolute times, which drift with the machine and
its load.  Here each headline case of ``headline.py`` (its case table, not a
copy) is measured the way that script measures it, both libraries interleaved
in one process, and asv records the ratio itself (unit "ratio", below 1 is
faster than NumPy): ``asv publish`` plots it per commit, and ``asv continuous``
compares it between two commits.
"""

import os

from benchmarks.headline import case_named, headline_cases, measure_ratio

# CI's run of every benchmark once (ARRAY_CORE_BENCH_SMOKE, asv --quick) checks
# that each case runs; one round is enough for that.
ROUNDS = 1 if os.environ.get("ARRAY_CORE_BENCH_SMOKE") else 5


class HeadlineRatios:
    """One tracked ratio per headline case (``benchmarks/headline.py``)."""

    params = [[case.name for case in headline_cases()]]
    param_names = ["case"]
    unit = "ratio"
    # The largest cases take seconds to set up and time for both libraries.
    timeout = 300

    def setup(self, case):
        self.case = case_named(case)

    def track_ratio(self, case):
        return measure_ratio(self.case, rounds=ROUNDS)
