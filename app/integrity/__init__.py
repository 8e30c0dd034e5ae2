"""The register's signed chains on the box: its key (keys.py) and how a record joins a chain
(chain.py). Below the services (they call it to sign what they write) and beside the models
(the journal signs its events through it); the scheme itself is nf525.py at the root."""
