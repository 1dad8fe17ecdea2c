"""Setting up a new partnership: the first-run wizard and `practica setup`, one service."""
