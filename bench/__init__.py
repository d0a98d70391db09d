"""Benchmarks that report ratios against floors measured in the same run on the same machine."""
