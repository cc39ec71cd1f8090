"""Developer tools: the demo network and its one-command start, and the benchmarks' loaders.

Not used by the portal itself; `make demo`, `make bench` and the tests call these commands.
"""
