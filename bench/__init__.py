"""Benchmarks: `python -m bench [NAME ...]`.

Each prints its figures and a ratio against a baseline measured in the same run, on a throwaway PostgreSQL database. Figures are never asserted in tests."""
