"""Benchmarks and tooling run from the project root (python -m scripts.bench)."""
