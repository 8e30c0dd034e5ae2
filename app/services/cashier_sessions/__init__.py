"""Cashier sessions (« Gestion des sessions de caisse », docs/cashier-sessions.md): with the
shop's « Travail par session » on, each employee opens their own session with their own
float, sells in it, and closes it with the takings (« Saisir la recette »). Off, nothing
here is reached and the register keeps one float per day.

Not to be confused with app/services/sessions.py: a seller connected to the register.

Here: opening a session (opening.py) and the list of sessions (listing.py). Closing one —
« Saisir la recette », and the automatic closing's — is a closing:
app/services/closing/cashier_session.py. What selling and the day's closing ask about
sessions is app/services/cashier_session_setting.py, which imports neither, so the services
keep importing one way (tests/test_layers.py)."""
