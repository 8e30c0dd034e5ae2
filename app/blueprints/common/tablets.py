"""Tablettes: the address tablets use and the fingerprint of the box's certificate, shown
on the kiosk (where it can be trusted), and the certificate itself for a tablet to install."""

from flask import abort, current_app, make_response

from app.access import public
from app.blueprints.common import bp
from app.blueprints.screens import render_screen
from app.services.tablets import box_authority


@bp.get("/tablettes")
@public(
    "l'adresse des tablettes et l'empreinte du certificat : une tablette en a besoin avant de s'identifier"
)
def tablets():
    return render_screen("tablets.html", authority=box_authority(current_app))


@bp.get("/tablettes/comptoir-ca.crt")
@public("le certificat de la caisse, public par nature")
def authority_certificate():
    authority = box_authority(current_app)
    if authority is None:
        abort(404)
    response = make_response(authority.pem)
    response.headers["Content-Type"] = "application/x-x509-ca-cert"
    response.headers["Content-Disposition"] = "attachment; filename=comptoir-ca.crt"
    return response
