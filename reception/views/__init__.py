"""Front-desk views (function-based): thin — check, validate, call one service, redirect with a message."""
