"""Cashier sessions (« Gestion des sessions de caisse », docs/cashier-sessions.md): with the
shop's « Travail par session » on, each employee opens their own session with their own
float, sells in it, and closes it with the takings (« Saisir la recette »). Off, nothing
here is reached and the register keeps one float per day.

Not to be confused with app/services/sessions.py: a seller connected to the register.

The package is split by what the person does: setting.py (the questions selling and the
day's closing ask, light enough to be imported by them), opening.py, listing.py,
closing.py. Import those modules directly: this file imports nothing, so the day's closing
can ask setting.py without loading the session's own closing (which builds on it)."""
