"""Hypothesis settings for the property tests: few examples, always the same ones.

``derandomize=True`` draws the examples from a fixed seed, so a run is reproducible and
a CI failure shows up again locally; ``HYPOTHESIS_PROFILE=deep`` explores far more.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "agora",
    max_examples=60,
    derandomize=True,
    deadline=None,  # a loaded CI machine must not turn slowness into failures
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("deep", parent=settings.get_profile("agora"), max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "agora"))
