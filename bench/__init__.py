"""OpenLER benchmarks: `python -m bench` runs every registered figure.

Add figures by creating ``bench/<area>_bench.py`` with a function decorated
``@register("<area>")`` that returns ``Figure`` objects; the runner finds the
module, times nothing itself, and prints ``BENCH <name> <value> <unit>`` lines.
``bench.registry.time_ms`` is the shared median-of-repeats timer.
"""
