"""One blueprint per screen family; registered here."""


def register_blueprints(app) -> None:
    from app.blueprints.health import bp as health_bp
    from app.blueprints.opening import bp as opening_bp
    from app.blueprints.errors import register_error_handlers

    app.register_blueprint(health_bp)
    app.register_blueprint(opening_bp)
    register_error_handlers(app)
