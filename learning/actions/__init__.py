"""Carbon actions: the cited action catalogue, learners' pledges and reports, and open impact."""
