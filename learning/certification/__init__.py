"""The Carbon Literate certification: submissions, assessor review and the printable certificate."""
