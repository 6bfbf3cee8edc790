"""OpenLER benchmarks: `python -m bench` runs every registered figure.

Add figures by creating ``bench/<area>_bench.py`` with a function decorated
``@register("<area>")`` that returns ``Figure`` objects; the runner finds the
module, times nothing itself, and prints ``BENCH <name> <value> <unit>`` lines.
``bench.registry.time_ms`` is the shared median-of-repeats timer.
"""

import os

# One core for every figure, as the issues state their targets: NumPy's BLAS and
# OpenMP read these once, when first imported, so they are set before any group loads.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
