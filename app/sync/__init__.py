"""Talking to head office: the client, the snapshot contract, import, export, scheduled jobs."""
