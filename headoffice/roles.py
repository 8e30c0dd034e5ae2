"""Who may do what on head office's screens (docs/headoffice.md, « Rôles »).

Each role includes the one before it: a viewer reads, a manager also changes what the
registers import, an administrator also manages head office's users and the box tokens."""

from enum import StrEnum


class Role(StrEnum):
    VIEWER = "viewer"
    MANAGER = "manager"
    ADMINISTRATOR = "administrator"


class Can(StrEnum):
    """What a screen or a service asks for."""

    READ = "read"  # registers, Z archive, catalogue, staff, settings
    MANAGE = "manage"  # change staff, registers' settings, VAT, categories, methods, products
    AUDIT = "audit"  # read the log of changes
    ADMINISTER = "administer"  # head office's users, box tokens


GRANTS: dict[Role, frozenset[Can]] = {
    Role.VIEWER: frozenset({Can.READ}),
    Role.MANAGER: frozenset({Can.READ, Can.MANAGE, Can.AUDIT}),
    Role.ADMINISTRATOR: frozenset(Can),
}


def allows(role: str, what: Can) -> bool:
    try:
        return what in GRANTS[Role(role)]
    except ValueError:  # a role this version does not know: nothing
        return False


def require(actor, what: Can) -> None:
    """Every service that changes something checks its caller's role itself, whatever
    screen or command called it (headoffice.audit.Actor)."""
    if not allows(actor.role, what):
        from flask_babel import gettext as _

        from headoffice.refusals import NotAllowed

        raise NotAllowed(_("Votre rôle ne permet pas cette action ; demandez à un administrateur."))


class ContactKind(StrEnum):
    IMPORT = "import"
    EXPORT = "export"
