"""The head office's own extensions, bound in create_app.

Not shared with the register app (`app/`): the two servers run on different machines
and may use different databases.
"""

from flask_sqlalchemy import SQLAlchemy

from headoffice.models.base import Base

db = SQLAlchemy(model_class=Base)
