"""Progress: enrolments, offline event sync, completion, quizzes and resume."""
