"""Test configuration: one hypothesis profile, modest and deadline-free.

HYPOTHESIS_PROFILE=thorough runs many more examples (for local bug hunts).
"""
import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "array_core",
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", parent=settings.get_profile("array_core"),
                          max_examples=600)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "array_core"))
