"""Privacy: a person's data handed over (export) and erased on request."""
