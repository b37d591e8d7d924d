"""Every write of the workshop: dispatch, job clock, attendance, findings, quality check, comebacks."""
