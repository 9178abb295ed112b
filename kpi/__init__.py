"""The KPI core: store, definitions, indicator engine and command line.

Nothing here imports streamlit, so the same code serves the dashboard, the command line,
the tests and the benchmarks.
"""
