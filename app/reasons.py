"""The usual reasons a person gives where a flow asks for one, offered as one-tap choices
(templates/_reasons.html). They only fill the field: the person may still edit it, and the
services accept any reason. Defined once here so the screens and the translations agree."""

from flask_babel import lazy_gettext as _l

USUAL_REASONS = {
    # Écart de caisse at closing.
    "difference": (
        _l("Erreur de rendu de monnaie"),
        _l("Erreur de comptage"),
        _l("Paiement saisi dans le mauvais mode"),
        _l("Écart inexpliqué"),
    ),
    # Fermeture forcée while sellers are still connected.
    "force": (
        _l("Vendeur parti sans se déconnecter"),
        _l("Session restée ouverte sur une tablette"),
        _l("Fin de journée"),
    ),
    # Annulation d'un ticket (selling screen, or a ticket in progress at closing).
    "cancel": (
        _l("Client parti"),
        _l("Erreur de saisie"),
        _l("Paiement refusé"),
        _l("Ticket oublié en attente"),
    ),
    # Entrées et sorties d'espèces.
    "movement": (
        _l("Apport de monnaie"),
        _l("Dépôt en banque"),
        _l("Achat de fournitures"),
        _l("Remboursement de frais"),
    ),
    # Description of a DC/RC: the manual's own examples first.
    "document": (
        _l("Erreur relative au mode de paiement"),
        _l("Retrait pour un convoyeur"),
        _l("Achat des matériaux de construction"),
        _l("Apport de monnaie"),
    ),
    # Annuler and Remboursement manuel in the Liste des transactions (card terminal).
    "card": (
        _l("Transaction en double sur le terminal"),
        _l("Le client a payé autrement"),
        _l("Erreur de montant"),
        _l("Caisse tombée en panne"),
    ),
}


def usual_reasons(kind: str) -> list[str]:
    return [str(reason) for reason in USUAL_REASONS[kind]]
