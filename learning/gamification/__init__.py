"""Gamification: the points ledger, levels, streaks, leaderboards and collective challenges."""
