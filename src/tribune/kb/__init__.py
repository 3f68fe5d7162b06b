"""The knowledge base: organisations, names, people, roles, events and countries."""
