#!/usr/bin/env python3
"""Validates open-data files against the data·inclusion schema v1, with the schema's own
validator: the pydantic models of the PyPI package `data-inclusion-schema` (1.0.10).

Usage: valider-data-inclusion.py [--type structures|services] FILE...

Each FILE is a JSON file (a list of records, or an API page `{"elements": [...], ...}`) or a CSV
file (one record per line, lists written as data·inclusion's own CSV export writes them, e.g.
`['famille--garde-denfants', 'famille--soutien-aidants']`). Whether a file holds structures or
services comes from `--type`, else from its name (`structures…` / `services…`).

Every record is validated, and more strictly than the package's default:
- the schema's warnings are errors (a name ending with a period, for instance);
- a field the schema does not know is an error (pydantic would silently drop it);
- ids are unique within a file, and a service's `structure_id` names a structure of the
  structures files given on the same command line (when there are some).

Prints each faulty record's id and its errors, then a count per file. Exit status: 0 when every
record is valid, 1 when one is not, 2 when the command cannot run (missing package, unreadable
file, unknown type).
"""

import argparse
import ast
import csv
import json
import sys
import typing
from pathlib import Path

VERSION_ATTENDUE = "1.0.10"

try:
    import pydantic
    from importlib.metadata import version as version_paquet
    from data_inclusion.schema import v1
except ImportError as erreur:  # pragma: no cover - depends on the machine
    print(
        f"data-inclusion-schema introuvable ({erreur}) : "
        f"pip install data-inclusion-schema=={VERSION_ATTENDUE}",
        file=sys.stderr,
    )
    sys.exit(2)

MODELES = {"structures": v1.Structure, "services": v1.Service}


def genre_du_champ(annotation) -> str:
    """'liste', 'nombre' or 'texte': how a CSV cell of this field is read."""
    for argument in [annotation, *typing.get_args(annotation)]:
        origine = typing.get_origin(argument)
        if origine in (list, set, frozenset):
            return "liste"
        if argument is float or argument is int:
            return "nombre"
        if typing.get_origin(argument) is typing.Annotated:
            return genre_du_champ(typing.get_args(argument)[0])
    return "texte"


def lire_cellule(modele, champ: str, texte: str):
    """The value of a CSV cell for the model's field (None for an empty cell)."""
    if texte == "":
        return None
    info = modele.model_fields.get(champ)
    if info is None:
        return texte
    genre = genre_du_champ(info.annotation)
    if genre == "liste":
        valeur = ast.literal_eval(texte)
        if not isinstance(valeur, list):
            raise ValueError(f"{champ} : une liste est attendue, reçu {texte!r}")
        return valeur
    if genre == "nombre":
        return float(texte)
    return texte


def lire_fichier(chemin: Path, modele) -> list[dict]:
    if chemin.suffix.lower() == ".csv":
        with chemin.open(newline="", encoding="utf-8") as f:
            lignes = list(csv.DictReader(f))
        enregistrements = []
        for numero, ligne in enumerate(lignes, start=2):
            enregistrement = {}
            for champ, texte in ligne.items():
                try:
                    valeur = lire_cellule(modele, champ, texte or "")
                except (ValueError, SyntaxError) as erreur:
                    raise ValueError(f"ligne {numero}, colonne {champ} : {erreur}") from erreur
                if valeur is not None:
                    enregistrement[champ] = valeur
            enregistrements.append(enregistrement)
        return enregistrements
    with chemin.open(encoding="utf-8") as f:
        contenu = json.load(f)
    if isinstance(contenu, dict) and isinstance(contenu.get("elements"), list):
        contenu = contenu["elements"]
    if not isinstance(contenu, list):
        raise ValueError("une liste d'enregistrements (ou une page {\"elements\": [...]}) est attendue")
    return contenu


def genre_du_fichier(chemin: Path, impose: str | None) -> str:
    if impose:
        return impose
    nom = chemin.name.lower()
    for genre in MODELES:
        if nom.startswith(genre) or f"-{genre}" in nom or f"_{genre}" in nom:
            return genre
    raise ValueError(f"{chemin} : structures ou services ? (préciser --type)")


def erreurs_de(modele, enregistrement) -> list[str]:
    if not isinstance(enregistrement, dict):
        return ["l'enregistrement n'est pas un objet JSON"]
    erreurs = []
    inconnus = sorted(set(enregistrement) - set(modele.model_fields))
    for champ in inconnus:
        erreurs.append(f"{champ} : champ inconnu du schéma")
    try:
        modele.model_validate(enregistrement, context={"ignore_warnings": False})
    except pydantic.ValidationError as erreur:
        for e in erreur.errors():
            lieu = ".".join(str(x) for x in e["loc"]) or "(enregistrement)"
            # An enumeration's message lists every value of the schema: the value is enough.
            message = "valeur absente du référentiel du schéma" if e["type"] == "enum" else e["msg"]
            erreurs.append(f"{lieu} : {message} (reçu {e.get('input')!r})")
    return erreurs


def main() -> int:
    parametres = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parametres.add_argument("--type", choices=sorted(MODELES), help="genre des fichiers")
    parametres.add_argument("fichiers", nargs="+", type=Path)
    arguments = parametres.parse_args()

    installee = version_paquet("data-inclusion-schema")
    if installee != VERSION_ATTENDUE:
        print(
            f"data-inclusion-schema {installee} installé, {VERSION_ATTENDUE} attendu",
            file=sys.stderr,
        )
        return 2

    lus = []
    for chemin in arguments.fichiers:
        try:
            genre = genre_du_fichier(chemin, arguments.type)
            lus.append((chemin, genre, lire_fichier(chemin, MODELES[genre])))
        except (OSError, ValueError) as erreur:
            print(f"{chemin} : illisible : {erreur}", file=sys.stderr)
            return 2

    ids_structures = {
        e.get("id") for _, genre, liste in lus if genre == "structures" for e in liste if isinstance(e, dict)
    }
    avec_structures = any(genre == "structures" for _, genre, _ in lus)

    total_fautifs = 0
    for chemin, genre, enregistrements in lus:
        modele = MODELES[genre]
        vus = set()
        fautifs = 0
        for position, enregistrement in enumerate(enregistrements, start=1):
            erreurs = erreurs_de(modele, enregistrement)
            ident = enregistrement.get("id") if isinstance(enregistrement, dict) else None
            if ident is not None:
                if ident in vus:
                    erreurs.append(f"id : « {ident} » apparaît plusieurs fois dans le fichier")
                vus.add(ident)
            if genre == "services" and avec_structures and isinstance(enregistrement, dict):
                structure = enregistrement.get("structure_id")
                if structure not in ids_structures:
                    erreurs.append(f"structure_id : « {structure} » absente des fichiers de structures")
            if erreurs:
                fautifs += 1
                print(f"{chemin} : {genre} n° {position}, id {ident!r} :")
                for e in erreurs:
                    print(f"  - {e}")
        total_fautifs += fautifs
        print(
            f"{chemin} : {len(enregistrements)} {genre}, {len(enregistrements) - fautifs} valides, "
            f"{fautifs} en erreur (data-inclusion-schema {installee})"
        )
    return 1 if total_fautifs else 0


if __name__ == "__main__":
    sys.exit(main())
