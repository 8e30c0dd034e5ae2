"""Box plumbing, not shop rules: the database's backups and restore, and the health check at
start-up and while running. Nothing here imports app.services or app.blueprints
(tests/test_layers.py)."""
