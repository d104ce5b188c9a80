"""Side-by-side measurements; `python -m benchmarks NAME|all`, results in RESULTS.md.

Each module `benchmarks/<name>.py` defines `GOALS: dict[str, str]` (figure -> goal such as
">= 2000") and `main(argv: list[str]) -> dict` returning its figures.
"""
