"""Demo data steps that later apps add to ``seed_demo`` (the core cannot import them)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoStep:
    name: str
    run: Callable  # run(*, county, options, stdout)
    add_arguments: Callable | None = None


DEMO_STEPS: list[DemoStep] = []


def register_demo_step(step: DemoStep) -> None:
    if step.name not in {s.name for s in DEMO_STEPS}:
        DEMO_STEPS.append(step)
