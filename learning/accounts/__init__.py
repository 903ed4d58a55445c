"""Accounts: who people are, how they sign in, and which roles they hold."""
