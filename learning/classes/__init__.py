"""Classes: teachers, their groups of learners, join codes, assignments and class progress."""
