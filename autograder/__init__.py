"""Grading side of the week-4 homework: capture → checks → records (see README)."""
