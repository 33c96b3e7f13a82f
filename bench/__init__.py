"""evalsum's benchmark: `python -m bench.run` (see README.md, "Benchmark", and BENCHMARKS.md)."""
