"""What readers and the API see: published items, listings, profiles. Read-only queries."""
