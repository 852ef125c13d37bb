"""Benchmarks (not tests): `make bench` loads a scaled region into a fresh database and
measures the platform's heaviest reads. See docs/performance.md."""
