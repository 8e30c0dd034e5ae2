"""The head office's own extensions, bound in create_app.

Not shared with the register app (`app/`): the two servers run on different machines
and may use different databases.
"""

from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from headoffice.models.base import Base

db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()  # every form of the screens; the API (bearer tokens) is exempt
babel = Babel()
