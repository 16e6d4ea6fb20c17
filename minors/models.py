"""Models of the minors app."""
