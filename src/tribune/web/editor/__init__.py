"""The newsroom at /editor: login, the inbox and the editorial actions."""
