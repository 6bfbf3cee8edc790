"""Ranking a role against 10,000 shared profiles (issue 7, item 6).

Setup, once: 2,000 skills sampled (fixed seed) from the bundled ESCO table, drawn with
a Zipf-like popularity so some skills are common; 10,000 synthetic profiles, each with
5-40 skills spread over records that are verified (aligned by ESCO URI and name, a fifth
also by framework and code), self-reported (name only, in any case) or failed checks.
The role asks for 5 required and 5 preferred skills of mixed popularity.

``skills.match_10k_ms``: median wall time (shared registry timer, one thread; like every
group, ``timeit`` pauses the garbage collector) of ``matching_index.rank`` returning all
10,000 ranked profiles with their counts; ``skills.match_10k_cpu_ms``: the same as median
CPU time of this process with the garbage collector running, as in a web worker (a busy
shared machine does not inflate it); ``skills.match_10k_top20_ms``: the top 20 with their
explanations (what a page shows); ``skills.match_index_build_ms``: building the index once
from the 10,000 profiles (separate figure: done when shares change, not per ranking).
"""

from __future__ import annotations

import gc
import random
import statistics
import time
from itertools import accumulate
from typing import TYPE_CHECKING

from bench.registry import Figure, register, time_ms

if TYPE_CHECKING:
    from openler.verifier.matching import Evidence, Requirement
    from openler.wallet.models import Skill

PROFILES = 10_000
VOCABULARY = 2_000
SEED = 20261201


def vocabulary(rng: random.Random) -> list[Skill]:
    """2,000 real ESCO skills (URI, preferred label); every fifth also gets a code."""
    from openler.skills.catalog import esco_skills
    from openler.wallet.models import Skill

    picked = rng.sample([s for s in esco_skills() if s.uri], VOCABULARY)
    return [Skill(name=s.label, url=s.uri or "", framework="ESCO" if n % 5 == 0 else "",
                  code=f"E{n:05d}" if n % 5 == 0 else "") for n, s in enumerate(picked)]


def profiles(rng: random.Random, skills: list[Skill]) -> list[tuple[str, list[Evidence]]]:
    """10,000 profiles of 5-40 skills each, in records of mixed standing."""
    from openler.verifier.matching import Evidence
    from openler.wallet.models import Skill

    weights = list(accumulate(1.0 / (rank + 10) for rank in range(len(skills))))
    built = []
    for n in range(PROFILES):
        owned = list(dict.fromkeys(rng.choices(skills, cum_weights=weights,
                                               k=rng.randint(5, 40))))
        evidence = []
        while owned:
            chunk, owned = owned[:rng.randint(1, 6)], owned[6:]
            roll = rng.random()
            if roll < 0.6:
                evidence.append(Evidence(f"Course {n}.{len(evidence)}", tuple(chunk),
                                         "verified"))
            elif roll < 0.9:
                evidence.append(Evidence(f"My experience {len(evidence)}", tuple(
                    Skill(name=s.name.upper() if rng.random() < 0.5 else s.name)
                    for s in chunk), "self_reported"))
            else:
                evidence.append(Evidence(f"Old course {len(evidence)}", tuple(chunk),
                                         "unverified"))
        built.append((f"profile-{n:05d}", evidence))
    return built


def role(skills: list[Skill]) -> list[Requirement]:
    """5 required and 5 preferred skills, from popular to rare; some given by name only."""
    from openler.verifier.matching import Requirement
    from openler.wallet.models import Skill

    picks = [skills[i] for i in (0, 3, 15, 60, 400, 1, 8, 30, 150, 1200)]
    return [Requirement(s if n % 3 else Skill(name=s.name.lower()), required=n < 5)
            for n, s in enumerate(picks)]


@register("skills_match")
def skills_match_figures() -> list[Figure]:
    """Index build time once, then the median time to rank a 10-skill role."""
    from openler.verifier import matching_index

    rng = random.Random(SEED)
    skills = vocabulary(rng)
    shared = profiles(rng, skills)
    wanted = role(skills)
    start = time.perf_counter()
    index = matching_index.build_index(shared)
    build_ms = (time.perf_counter() - start) * 1000.0
    ranked = matching_index.rank(wanted, index)
    assert len(ranked) == PROFILES and ranked[0].counts > ranked[-1].counts

    def rank_all() -> object:
        return matching_index.rank(wanted, index)

    def rank_top20() -> object:
        return [r.explanation for r in matching_index.rank(wanted, index, limit=20)]

    cpu: list[float] = []
    gc.collect()
    for _ in range(21):
        start = time.process_time()
        rank_all()
        cpu.append((time.process_time() - start) * 1000.0)
    return [Figure("skills.match_10k_ms", time_ms(rank_all, repeats=7, budget_s=0.5), "ms"),
            Figure("skills.match_10k_cpu_ms", statistics.median(cpu), "ms"),
            Figure("skills.match_10k_top20_ms", time_ms(rank_top20, repeats=7,
                                                        budget_s=0.5), "ms"),
            Figure("skills.match_index_build_ms", build_ms, "ms")]
