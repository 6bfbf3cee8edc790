"""Issuing a cohort from a CSV file: check every row, then award the valid ones in a job.

Modules: `csvfile` (format and row checks, docs/cohort-csv.md), `messages` (plain
reasons), `jobs` (job state, exactly-once run loop, resume), `runner` (the
in-process worker thread).
"""
