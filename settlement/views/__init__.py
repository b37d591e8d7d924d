"""Settlement views: documents (PDF + print preview), settlement and payments, claims, delivery."""
