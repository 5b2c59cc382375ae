-- Supporting documents (pièces justificatives). `pieces` is a record like the others (its JSON
-- lists every version: file name, detected media type, size, SHA-256, who and when), audited and
-- hashed; one piece per type of document on one record (structure, intervenant, dossier,
-- declaration, bilan). The bytes of each version are kept in `pieces_contenus`, written in the
-- same transaction as the record: a version is visible with its content or not at all. Rows of
-- `pieces_contenus` are never updated nor deleted by the platform; `check` hashes each one
-- again against the SHA-256 of its version.

CREATE TABLE pieces (
    id INTEGER PRIMARY KEY,
    objet TEXT NOT NULL,
    objet_id INTEGER NOT NULL,
    type_piece TEXT NOT NULL,
    gestionnaire_id INTEGER NOT NULL REFERENCES gestionnaires(id),
    departement TEXT NOT NULL,
    derniere_version INTEGER NOT NULL,
    version INTEGER NOT NULL,
    donnees TEXT NOT NULL,
    UNIQUE (objet, objet_id, type_piece)
);
CREATE INDEX pieces_gestionnaire ON pieces (gestionnaire_id);

CREATE TABLE pieces_contenus (
    piece_id INTEGER NOT NULL REFERENCES pieces(id),
    numero INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    taille INTEGER NOT NULL,
    contenu BLOB NOT NULL,
    PRIMARY KEY (piece_id, numero)
);
