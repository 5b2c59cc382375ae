-- The dossier list's filters a user saved under a name of its own (the query string of the
-- list), to find them again in one click; one name per user.
CREATE TABLE filtres_enregistres (
    id INTEGER PRIMARY KEY,
    utilisateur_id INTEGER NOT NULL REFERENCES utilisateurs(id),
    nom TEXT NOT NULL,
    requete TEXT NOT NULL,
    cree_le TEXT NOT NULL,
    UNIQUE (utilisateur_id, nom)
);
