"""Test configuration: one hypothesis profile, modest and deadline-free."""
from hypothesis import HealthCheck, settings

settings.register_profile(
    "array_core",
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("array_core")
