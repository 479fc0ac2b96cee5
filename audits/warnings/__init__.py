"""Warnings (预警, docs/policy.md §8): what is about to end — a subsidy period, a working life, a
rural post's age limit — and posts vacant too long, listed each day for the township, with the
advance notice to the person (seed 003 §12) and the way to the exit it calls for."""
