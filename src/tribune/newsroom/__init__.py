"""The editorial use cases: users and permissions, sessions, the audit log, and what editors do."""
