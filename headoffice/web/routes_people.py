"""The shop's staff, head office's users, box tokens and the log of changes."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from headoffice.audit import list_changes
from headoffice.extensions import db
from headoffice.manage import staff as staff_service
from headoffice.manage.tokens import create_box_token, list_box_tokens, revoke_box_token
from headoffice.people import change_user, create_user, list_users, set_password
from headoffice.refusals import Refused
from headoffice.roles import Can
from headoffice.web import bp, render_refused
from headoffice.web.changes import apply_change, list_page
from headoffice.web.forms import checked, text
from headoffice.web.signin import needs


def _staff_page(refused: Refused | None = None, **context):
    return list_page("staff.html", staff_service.list_staff(db.session, g.shop.id), refused, **context)


@bp.get("/boutique/<shop>/personnel")
@needs(Can.READ)
def staff(shop):
    return _staff_page()


@bp.post("/boutique/<shop>/personnel")
@needs(Can.MANAGE)
def staff_create(shop):
    return apply_change(
        lambda: staff_service.create_person(
            db.session,
            g.user.actor,
            g.shop.id,
            text("code", 32),
            text("name", 200),
            request.form.get("secret", "")[:256],
            request.form.getlist("rights"),
        ),
        _staff_page,
        _("Personne créée ; les caisses la recevront à leur prochain import."),
        url_for("web.staff"),
    )


def _person_page(code: str, refused: Refused | None = None):
    person = staff_service.get_person(db.session, g.shop.id, code[:32])
    if refused:
        return render_refused("person.html", refused, person=person)
    return render_template("person.html", person=person)


@bp.get("/boutique/<shop>/personnel/<code>")
@needs(Can.READ)
def person(shop, code):
    return _person_page(code)


def _person_change(code: str, change, done: str):
    return apply_change(
        change, lambda refused: _person_page(code, refused), done, url_for("web.person", code=code)
    )


@bp.post("/boutique/<shop>/personnel/<code>/code")
@needs(Can.MANAGE)
def person_code(shop, code):
    secret = request.form.get("secret", "")[:256]
    if secret != request.form.get("confirm", "")[:256]:
        return _person_page(code, Refused(_("Les deux codes tapés diffèrent ; rien n'a été modifié.")))
    return _person_change(
        code,
        lambda: staff_service.change_code(db.session, g.user.actor, g.shop.id, code, secret),
        _("Code changé ; les caisses le recevront à leur prochain import."),
    )


@bp.post("/boutique/<shop>/personnel/<code>/droits")
@needs(Can.MANAGE)
def person_rights(shop, code):
    rights = request.form.getlist("rights")
    return _person_change(
        code,
        lambda: staff_service.change_rights(db.session, g.user.actor, g.shop.id, code, rights),
        _("Droits changés ; les caisses les recevront à leur prochain import."),
    )


@bp.post("/boutique/<shop>/personnel/<code>/actif")
@needs(Can.MANAGE)
def person_active(shop, code):
    active = checked("active")
    return _person_change(
        code,
        lambda: staff_service.set_active(db.session, g.user.actor, g.shop.id, code, active),
        _("Personne réactivée.")
        if active
        else _("Personne désactivée ; le prochain import la retire des caisses."),
    )


# --- box tokens ---------------------------------------------------------------------------


@bp.route("/boutique/<shop>/jetons", methods=["GET", "POST"])
@needs(Can.ADMINISTER)
def tokens(shop):
    new_token = None
    if request.method == "POST":
        try:
            new_token = create_box_token(db.session, g.user.actor, g.shop.id, text("label", 200))
        except Refused as refused:
            return render_refused("tokens.html", refused, rows=list_box_tokens(db.session, g.shop.id))
    return render_template("tokens.html", rows=list_box_tokens(db.session, g.shop.id), new_token=new_token)


@bp.post("/boutique/<shop>/jetons/<int:token_id>/revoquer")
@needs(Can.ADMINISTER)
def token_revoke(shop, token_id):
    revoke_box_token(db.session, g.user.actor, g.shop.id, token_id)
    flash(_("Jeton révoqué : une caisse qui l'utilise encore est refusée."), "info")
    return redirect(url_for("web.tokens"))


# --- head office's users ------------------------------------------------------------------


def _users_page(refused: Refused | None = None):
    return list_page("users.html", list_users(db.session), refused)


def _committed(change):
    """The users' services leave the commit to their caller."""

    def run():
        change()
        db.session.commit()

    return run


@bp.get("/utilisateurs")
@needs(Can.ADMINISTER)
def users():
    return _users_page()


@bp.post("/utilisateurs")
@needs(Can.ADMINISTER)
def user_create():
    return apply_change(
        _committed(
            lambda: create_user(
                db.session,
                g.user.actor,
                text("login", 64),
                text("name", 200),
                request.form.get("role", ""),
                request.form.get("password", "")[:256],
            )
        ),
        _users_page,
        _("Utilisateur créé."),
        url_for("web.users"),
    )


@bp.post("/utilisateurs/<int:user_id>")
@needs(Can.ADMINISTER)
def user_change(user_id):
    return apply_change(
        _committed(
            lambda: change_user(
                db.session, g.user.actor, user_id, role=request.form.get("role", ""), active=checked("active")
            )
        ),
        _users_page,
        _("Utilisateur modifié."),
        url_for("web.users"),
    )


@bp.post("/utilisateurs/<int:user_id>/mot-de-passe")
@needs(Can.ADMINISTER)
def user_password(user_id):
    return apply_change(
        _committed(
            lambda: set_password(db.session, g.user.actor, user_id, request.form.get("password", "")[:256])
        ),
        _users_page,
        _("Mot de passe changé ; les sessions de cet utilisateur sont fermées."),
        url_for("web.users"),
    )


# --- the log of changes -------------------------------------------------------------------


@bp.get("/journal")
@needs(Can.AUDIT)
def audit():
    before = request.args.get("avant", "")
    # ASCII digits only, and an id a database column can hold: anything else is the first page.
    before_id = int(before) if before.isascii() and before.isdigit() and len(before) <= 18 else None
    who = request.args.get("qui", "")[:64]
    rows = list_changes(db.session, who=who, before_id=before_id)
    return render_template("audit.html", rows=rows, who=who)
