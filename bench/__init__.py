"""The benchmark: seeding at scale, driving the hot paths with wrk, results as ratios."""
