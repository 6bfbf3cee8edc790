"""OpenLER benchmarks: `python -m bench` runs every registered figure.

Add a figure by decorating a function in a module listed in ``bench.__main__.MODULES``
with ``@register("area.name", unit)``; it returns a number (or several via
``Figure`` objects) and the runner prints ``BENCH <name> <value> <unit>``.
"""
