"""Skill suggestion quality and speed (issue 7, items 2 and 3).

``skills.rp5_tech`` and ``skills.rp5_house``: R-Precision@5 (percent) of
``openler.skills.suggest`` on the TEST splits of the Decorte et al. ESCO benchmark
(shared/skills-benchmark; the weights were chosen by 5-fold cross-validation on the
validation splits only, see openler.skills.tuning).
``skills.suggest_ms``: median wall time to suggest 5 skills for a 300-word text after
start-up (engine built, embeddings cached), one thread for ONNX and OpenBLAS; ``skills.suggest_cpu_ms`` is
the same in CPU time of this process, which a busy shared machine does not inflate.
``skills.suggest_sentence_ms``: the same for one 22-word sentence, where every word
n-gram up to four words is compared (the path the RP@5 figures measure).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bench.registry import Figure, register, time_ms

if TYPE_CHECKING:
    from openler.skills import SkillEngine

BENCHMARK = Path(__file__).resolve().parents[1].parent / "shared" / "skills-benchmark"
JOB_AD = (
    "We are looking for a warehouse operative to join our distribution centre. You will "
    "drive forklifts and reach trucks safely, load and unload lorries, pick and pack customer "
    "orders accurately and keep stock records up to date in our warehouse management system. "
    "You will carry out daily forklift inspections, report defects to the shift supervisor "
    "and follow health and safety procedures at all times. Experience with inventory counts, "
    "labelling and dispatch paperwork is welcome. Good communication, attention to detail "
    "and the ability to work in a team are essential, as is a calm approach under pressure. "
)
SENTENCE = ("Solid understanding of Angular, React or similar JavaScript frameworks and "
            "experience writing unit tests, with good English for daily calls with customers.")


def three_hundred_words(seed: str) -> str:
    """A 300-word text made by repeating a paragraph (the budget the issue states)."""
    words = (seed * (300 // len(seed.split()) + 1)).split()
    return " ".join(words[:300])


def rp5(engine: SkillEngine, split: str) -> float:
    """RP@5 in percent of the engine on one benchmark file."""
    from openler.skills.benchmark import mean_rp, read_annotations

    sentences = read_annotations(BENCHMARK / f"{split}_annotations.csv")
    return mean_rp(sentences, lambda text: [s.label for s in engine.suggest(text, top=5)])


@register("skills")
def skills_figures() -> list[Figure]:
    """Test-split RP@5 on TECH and HOUSE, and the per-text suggestion time."""
    from openler.skills import default_engine

    engine = default_engine()
    text = three_hundred_words(JOB_AD)
    engine.suggest(text)  # warm the ONNX session

    def run() -> object:
        return engine.suggest(text, top=5)

    cpu: list[float] = []
    for _ in range(21):
        start = time.process_time()
        run()
        cpu.append((time.process_time() - start) * 1000.0)
    return [Figure("skills.rp5_tech", rp5(engine, "tech_test"), "%"),
            Figure("skills.rp5_house", rp5(engine, "house_test"), "%"),
            Figure("skills.suggest_ms", time_ms(run, repeats=7, budget_s=0.5), "ms"),
            Figure("skills.suggest_cpu_ms", statistics.median(cpu), "ms"),
            Figure("skills.suggest_sentence_ms",
                   time_ms(lambda: engine.suggest(SENTENCE, top=5), repeats=7, budget_s=0.5),
                   "ms")]
