"""Benchmarks: speed and memory targets, run with `make bench` (never part of the test suite)."""
