"""What the registers import: their settings, VAT rates, categories, payment methods,
products and barcodes. Every change moves the catalogue version and is logged."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from headoffice.extensions import db
from headoffice.manage import catalog, payments, products
from headoffice.manage import registers as register_service
from headoffice.refusals import Refused
from headoffice.roles import Can, allows
from headoffice.web import bp, render_refused
from headoffice.web.changes import apply_change, list_page
from headoffice.web.forms import checked, euros, hour, percent_bp, text, whole
from headoffice.web.signin import is_htmx, needs


def _saved() -> str:
    return _("Enregistré ; les caisses le recevront à leur prochain import.")


# --- registers and their settings -------------------------------------------------------


def _settings_from_form() -> register_service.Settings:
    return register_service.Settings(
        name=text("name", 200),
        max_float_cents=euros("max_float", _("Le fonds de caisse maximum")),
        counting_mandatory=checked("counting_mandatory"),
        blind_count=checked("blind_count"),
        max_discount_percent=whole("max_discount", _("La remise maximum")),
        receipt_header=text("receipt_header"),
        receipt_footer=text("receipt_footer"),
        auto_close_time=hour("auto_close_time"),
        planned_import_time=hour("planned_import_time"),
    )


@bp.route("/boutique/<shop>/caisses/<code>/reglages", methods=["GET", "POST"])
@needs(Can.READ)
def register_settings(shop, code):
    if request.method == "GET":
        settings = register_service.get_register(db.session, g.shop.id, code[:32])
        return render_template("register_settings.html", code=code, settings=settings)
    if not _may_manage():
        return _forbidden()

    def page(refused):
        settings = register_service.get_register(db.session, g.shop.id, code[:32])
        return render_refused("register_settings.html", refused, code=code, settings=settings)

    return apply_change(
        lambda: register_service.change_settings(
            db.session, g.user.actor, g.shop.id, code[:32], _settings_from_form()
        ),
        page,
        _saved(),
        url_for("web.register_settings", code=code),
    )


@bp.route("/boutique/<shop>/caisses/nouvelle", methods=["GET", "POST"])
@needs(Can.MANAGE)
def register_new(shop):
    if request.method == "GET":
        return render_template("register_new.html", form={})
    return apply_change(
        lambda: register_service.create_register(
            db.session, g.user.actor, g.shop.id, text("code", 32), _settings_from_form()
        ),
        lambda refused: render_refused("register_new.html", refused, form=request.form),
        _saved(),
        url_for("web.registers"),
    )


def _may_manage() -> bool:
    return allows(g.user.role, Can.MANAGE)


def _forbidden():
    abort(403, _("Votre rôle ne permet pas cette action ; demandez à un administrateur."))


# --- VAT rates and categories -------------------------------------------------------------


def _vat_page(refused: Refused | None = None):
    return list_page("vat.html", catalog.list_vat_rates(db.session, g.shop.id), refused)


@bp.get("/boutique/<shop>/tva")
@needs(Can.READ)
def vat(shop):
    return _vat_page()


@bp.post("/boutique/<shop>/tva")
@needs(Can.MANAGE)
def vat_create(shop):
    return apply_change(
        lambda: catalog.create_vat_rate(
            db.session,
            g.user.actor,
            g.shop.id,
            text("code", 32),
            percent_bp("rate", _("Le taux")),
            text("label", 200),
        ),
        _vat_page,
        _saved(),
        url_for("web.vat"),
    )


@bp.post("/boutique/<shop>/tva/<code>")
@needs(Can.MANAGE)
def vat_change(shop, code):
    return apply_change(
        lambda: catalog.change_vat_rate(
            db.session,
            g.user.actor,
            g.shop.id,
            code[:32],
            percent_bp("rate", _("Le taux")),
            text("label", 200),
        ),
        _vat_page,
        _saved(),
        url_for("web.vat"),
    )


def _categories_page(refused: Refused | None = None):
    return list_page("categories.html", catalog.list_categories(db.session, g.shop.id), refused)


def _category_form():
    return (
        text("name", 200),
        text("parent", 32).strip() or None,
        whole("position", _("La position"), default=0),
        text("color", 16).strip(),
    )


@bp.get("/boutique/<shop>/categories")
@needs(Can.READ)
def categories(shop):
    return _categories_page()


@bp.post("/boutique/<shop>/categories")
@needs(Can.MANAGE)
def category_create(shop):
    return apply_change(
        lambda: catalog.create_category(
            db.session, g.user.actor, g.shop.id, text("code", 32), *_category_form()
        ),
        _categories_page,
        _saved(),
        url_for("web.categories"),
    )


@bp.post("/boutique/<shop>/categories/<code>")
@needs(Can.MANAGE)
def category_change(shop, code):
    return apply_change(
        lambda: catalog.change_category(db.session, g.user.actor, g.shop.id, code[:32], *_category_form()),
        _categories_page,
        _saved(),
        url_for("web.categories"),
    )


# --- payment methods ----------------------------------------------------------------------


def _flags_from_form() -> payments.MethodFlags:
    return payments.MethodFlags(
        name=text("name", 100),
        position=whole("position", _("La position"), default=0),
        **{flag: checked(flag) for flag in payments.FLAGS},
    )


def _methods_page(refused: Refused | None = None):
    return list_page("methods.html", payments.list_methods(db.session, g.shop.id), refused)


@bp.get("/boutique/<shop>/paiements")
@needs(Can.READ)
def methods(shop):
    return _methods_page()


@bp.post("/boutique/<shop>/paiements")
@needs(Can.MANAGE)
def method_create(shop):
    return apply_change(
        lambda: payments.create_method(
            db.session, g.user.actor, g.shop.id, text("code", 32), _flags_from_form()
        ),
        _methods_page,
        _saved(),
        url_for("web.methods"),
    )


@bp.post("/boutique/<shop>/paiements/<code>")
@needs(Can.MANAGE)
def method_change(shop, code):
    return apply_change(
        lambda: payments.change_method(db.session, g.user.actor, g.shop.id, code[:32], _flags_from_form()),
        _methods_page,
        _saved(),
        url_for("web.methods"),
    )


# --- products and barcodes ------------------------------------------------------------------


@bp.get("/boutique/<shop>/produits")
@needs(Can.READ)
def products_search(shop):
    query = request.args.get("q", "")[:100]
    rows, more = products.search_products(db.session, g.shop.id, query)
    template = (
        "_product_results.html"
        if is_htmx() and request.headers.get("HX-Target") == "results"
        else "products.html"
    )
    return render_template(template, rows=rows, more=more, query=query)


def _product_page(code: str, refused: Refused | None = None):
    product = products.get_product(db.session, g.shop.id, code[:32])
    if is_htmx() and request.headers.get("HX-Target", "").startswith("product-"):
        context = {"row": product, "error": refused.message if refused else None, "saved": refused is None}
        return render_template("_product_row.html", **context), refused.status if refused else 200
    if refused:
        return render_refused("product.html", refused, product=product)
    return render_template("product.html", product=product)


@bp.get("/boutique/<shop>/produits/<code>")
@needs(Can.READ)
def product(shop, code):
    return _product_page(code)


def _product_change(code: str, change):
    try:
        change()
    except Refused as refused:
        return _product_page(code, refused)
    if is_htmx() and request.headers.get("HX-Target", "").startswith("product-"):
        return _product_page(code)
    flash(_saved(), "info")
    return redirect(url_for("web.product", code=code))


@bp.post("/boutique/<shop>/produits/<code>/prix")
@needs(Can.MANAGE)
def product_price(shop, code):
    def change():
        price = euros("price", _("Le prix"))
        products.change_price(db.session, g.user.actor, g.shop.id, code[:32], price)

    return _product_change(code, change)


@bp.post("/boutique/<shop>/produits/<code>/actif")
@needs(Can.MANAGE)
def product_active(shop, code):
    active = checked("active")
    return _product_change(
        code, lambda: products.set_active(db.session, g.user.actor, g.shop.id, code[:32], active)
    )


@bp.post("/boutique/<shop>/produits/<code>/codes-barres")
@needs(Can.MANAGE)
def barcode_add(shop, code):
    barcode = text("barcode", 32)
    return _product_change(
        code, lambda: products.add_barcode(db.session, g.user.actor, g.shop.id, code[:32], barcode)
    )


@bp.post("/boutique/<shop>/produits/<code>/codes-barres/retirer")
@needs(Can.MANAGE)
def barcode_remove(shop, code):
    barcode = text("barcode", 32)
    return _product_change(
        code, lambda: products.remove_barcode(db.session, g.user.actor, g.shop.id, code[:32], barcode)
    )
