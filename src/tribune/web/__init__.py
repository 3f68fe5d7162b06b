"""The web app: reader pages, the newsroom, feeds and the JSON API."""
