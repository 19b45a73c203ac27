"""Cost of copy control (policy, audit) on the copy path.

With no policy set and no audit open, a copy pays one C pointer test and a
view nothing: ``CopyControlOff`` times small copies against their NumPy twins.
``CopyControlOn`` shows what an open audit or a non-"allow" policy costs.
"""
import numpy as np

import array_core as ac

LIBRARIES = {"numpy": np, "array_core": ac}


def square(lib):
    """A 3x3 float64 array of ``lib``, C-contiguous."""
    return LIBRARIES[lib].asarray(np.arange(9.0).reshape(3, 3))


class CopyControlOff:
    """Small copies with no policy and no audit: the unused cost."""

    params = ["numpy", "array_core"]
    param_names = ["lib"]

    def setup(self, lib):
        self.x = square(lib)

    def time_reshape_that_copies(self, lib):
        self.x.T.reshape(9)

    def time_copy(self, lib):
        self.x.copy()

    def time_reshape_view(self, lib):
        self.x.reshape(9)


class CopyControlOn:
    """The same operations while the copy hook is installed (array_core only)."""

    params = ["off", "audit", "policy"]
    param_names = ["control"]

    def setup(self, control):
        self.x = square("array_core")
        self.audit = None
        if control == "audit":
            self.audit = ac.copy_audit()
            self.log = self.audit.__enter__()
        elif control == "policy":
            # Installs the hook without refusing: the cost of the policy check.
            ac.set_copy_policy("raise", allow=("implicit",))

    def teardown(self, control):
        if self.audit is not None:
            self.audit.__exit__(None, None, None)
        ac.set_copy_policy("allow")

    def _forget(self):
        # Keep the log from growing over millions of calls (GC would dominate).
        if self.audit is not None:
            self.log.records.clear()

    def time_reshape_that_copies(self, control):
        self.x.T.reshape(9)
        self._forget()

    def time_copy(self, control):
        self.x.copy()
        self._forget()

    def time_reshape_view(self, control):
        self.x.reshape(9)
        self._forget()
