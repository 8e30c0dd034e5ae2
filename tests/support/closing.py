"""The closing page driven over HTTP: Fermer la caisse, then Valider la fermeture."""


def begin(manager, person="RESP01", password="1234"):
    manager.open("/caisse")
    manager.post("/caisse/close", person=person, password=password)
    return manager.page


def validate(manager, person="RESP01", password="1234", **fields):
    seen = manager.page.inputs["seen"]["value"]
    return manager.post("/fermeture", htmx=True, person=person, password=password, seen=seen, **fields)
