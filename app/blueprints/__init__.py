"""One blueprint per screen family; registered here."""


def register_blueprints(app) -> None:
    from app.blueprints.access import bp as access_bp
    from app.blueprints.cashier_sessions import bp as cashier_sessions_bp
    from app.blueprints.closing import bp as closing_bp
    from app.blueprints.common import bp as common_bp
    from app.blueprints.errors import register_error_handlers
    from app.blueprints.health import bp as health_bp
    from app.blueprints.integrity import bp as integrity_bp
    from app.blueprints.opening import bp as opening_bp
    from app.blueprints.printing import bp as printing_bp
    from app.blueprints.register import bp as register_bp
    from app.blueprints.reports import bp as reports_bp
    from app.blueprints.selling import bp as selling_bp
    from app.blueprints.sync import bp as sync_bp

    for blueprint in (
        access_bp,
        health_bp,
        common_bp,
        opening_bp,
        sync_bp,
        register_bp,
        selling_bp,
        printing_bp,
        closing_bp,
        integrity_bp,
        reports_bp,
        cashier_sessions_bp,
    ):
        app.register_blueprint(blueprint)
    register_error_handlers(app)
    from app.blueprints.screens import vary_on_hx_request

    app.after_request(vary_on_hx_request)
