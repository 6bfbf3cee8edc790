"""When two skill labels mean the same thing: cosine similarity of sentence embeddings.

Issue 7, item 6 (matching through "semantic similarity above a threshold that is stated
on the page"). Labels are embedded with ``openler.skills.encoder.Encoder``
(all-MiniLM-L6-v2, int8 ONNX, offline); two labels count as equivalent when the cosine
of their unit vectors is at least ``SEMANTIC_THRESHOLD``. Pure: no web, no database.
One encoder per process is built on first use (under a lock), and label vectors are
memoised in a bounded LRU cache keyed by the exact label text, so a role's few
requirement labels and a page's few thousand distinct skill labels are embedded once.

Calibration, measured (``python -m bench.skills_match_bench`` reproduces it: bundled ESCO
v1.1.0 English labels, seed 7, 2,000 skills sampled). Positive pairs: an alternative
label with its own preferred label (1,882 pairs, at most two per skill; the bundled
table runs alternative labels together, so they are cut before verb-like words and only
verb phrases of 2 to n+2 words are kept, which leaves some mis-cut labels and makes
recall a lower bound). Hardest negatives: each sampled preferred label with the nearest
*other* skill's preferred label among all 13,896 (e.g. "install ..." / "maintain ...
solar power systems", "understand spoken" / "understand written Belarusian"; some are
near-duplicates in ESCO such as "CAD software" / "use CAD software", so the false rate
is an upper bound). Random negatives: the same label with a random other skill.

=========  ======  ========================  ===============  =========================
threshold  recall  hardest negatives passing  random passing   precision (1:1 hardest)
=========  ======  ========================  ===============  =========================
0.80       0.671   0.268                     0.000            0.715
0.83       0.612   0.183                     0.000            0.770
0.85       0.561   0.138                     0.000            0.803
0.88       0.487   0.083                     0.000            0.855
0.90       0.423   0.046                     0.000            0.901
=========  ======  ========================  ===============  =========================

Rule: the lowest threshold at which precision against the hardest negatives (as many
as positives) reaches 0.80, i.e. at most one match in five is a sibling skill even when
every profile holds the closest other skill. That is 0.85. Unrelated skills never pass
(0 of 2,000); what does pass wrongly is a close sibling (about one nearest neighbour in
seven), which is why such matches are marked "similar name" with their similarity and
rank below exact ones. Examples: "Project Management" ~ "manage projects" 0.871,
"public speaking" ~ "speak in public" 0.874 pass; "Active Listening" ~ "listen
actively" 0.839 and "install" ~ "maintain solar power systems" 0.799 do not.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from openler.skills.encoder import DIMENSION, Encoder, ModelUnavailableError

__all__ = ["CALIBRATION", "SEMANTIC_THRESHOLD", "ModelUnavailableError", "available",
           "embed", "similar_labels", "similar_to", "similarity"]

SEMANTIC_THRESHOLD: float = 0.85
# Measured at SEMANTIC_THRESHOLD (see the module docstring and bench.skills_match_bench).
CALIBRATION: dict[str, float] = {"threshold": 0.85, "precision": 0.803, "recall": 0.561,
                                 "hardest_negative_rate": 0.138, "random_negative_rate": 0.0}
CACHE_SIZE = 20_000
LABEL_MAX = 200

_lock = threading.Lock()
_encoder: Encoder | None = None
_failure: ModelUnavailableError | None = None
_cache: OrderedDict[str, np.ndarray] = OrderedDict()


def _shared_encoder() -> Encoder:
    """The process-wide encoder, built once; a missing model is remembered, not retried."""
    global _encoder, _failure
    if _encoder is not None:
        return _encoder
    if _failure is not None:
        raise _failure
    try:
        encoder = Encoder()
    except ModelUnavailableError as exc:
        _failure = exc
        raise
    except (ImportError, OSError) as exc:
        _failure = ModelUnavailableError(str(exc))
        raise _failure from exc
    _encoder = encoder
    return encoder


def _norm(label: str) -> str:
    return " ".join(label.split())[:LABEL_MAX]


def available() -> bool:
    """Whether semantic matching can run here (the model is installed and loads)."""
    try:
        with _lock:
            _shared_encoder()
    except ModelUnavailableError:
        return False
    return True


def embed(labels: Sequence[str]) -> np.ndarray:
    """Unit vectors for labels (one row each), embedding only labels not seen recently."""
    keys = [_norm(label) for label in labels]
    out = np.zeros((len(keys), DIMENSION), dtype=np.float32)
    with _lock:
        found = {k: _cache[k] for k in keys if k in _cache}
        missing = sorted(set(keys) - set(found))
        if missing:
            vectors = _shared_encoder().encode(missing)
            found.update(zip(missing, vectors, strict=True))
        for key, vector in found.items():
            _cache[key] = vector
            _cache.move_to_end(key)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    for row, key in enumerate(keys):
        out[row] = found[key]
    return out


def similarity(a: str, b: str) -> float:
    """Cosine similarity of two labels (1.0 for the same meaning, about 0 for unrelated)."""
    vectors = embed([a, b])
    return float(np.clip(vectors[0] @ vectors[1], -1.0, 1.0))


def similar_labels(queries: Sequence[str], candidates: Sequence[str], *,
                   threshold: float = SEMANTIC_THRESHOLD) -> list[list[tuple[int, float]]]:
    """Per query, the candidates alike enough to count as the same skill, best first
    (candidate index, cosine); ties by candidate index."""
    if not queries:
        return []
    if not candidates:
        return [[] for _ in queries]
    return similar_to(queries, embed(candidates), threshold=threshold)


def similar_to(queries: Sequence[str], vectors: np.ndarray, *,
               threshold: float = SEMANTIC_THRESHOLD) -> list[list[tuple[int, float]]]:
    """``similar_labels`` against candidates embedded beforehand (rows of ``embed``), so a
    caller that keeps many labels' vectors embeds only the few queries per call."""
    if not queries:
        return []
    if len(vectors) == 0:
        return [[] for _ in queries]
    scores = np.clip(embed(queries) @ vectors.T, -1.0, 1.0)
    result: list[list[tuple[int, float]]] = []
    for row in scores:
        hits = np.flatnonzero(row >= threshold - 1e-6)
        ordered = sorted(hits.tolist(), key=lambda i: (-float(row[i]), i))
        result.append([(int(i), round(float(row[i]), 4)) for i in ordered])
    return result
