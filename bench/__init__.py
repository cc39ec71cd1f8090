"""Benchmarks that stand outside the apps (bench/README.md); not imported by the portal."""
