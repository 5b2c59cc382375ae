-- Activity of the AIP service (seed 004 §II.3, §IV.2, §V): the sessions (entretiens) that each
-- structure records or imports, and small aggregate tables kept current in the same transaction
-- as every insert (no nightly rebuild). A family appears only as a pseudonymous code: the keyed
-- hash (HMAC-SHA256 with the structure's own secret key, in `activite_cles`) of the identifier
-- the structure uses; that identifier, names, addresses and birth dates are never stored.
-- Codes are 32 hex digits (128 bits). `sujets` and `orientations` are bit sets whose bit
-- positions are listed in crates/activite/README.md.

-- The secret key of each structure, created on its first session.
CREATE TABLE activite_cles (
    gestionnaire_id INTEGER PRIMARY KEY REFERENCES gestionnaires(id),
    cle TEXT NOT NULL,
    cree_le TEXT NOT NULL
);

-- Every imported file, by its SHA-256: importing the same file again adds nothing.
CREATE TABLE activite_imports (
    id INTEGER PRIMARY KEY,
    gestionnaire_id INTEGER NOT NULL REFERENCES gestionnaires(id),
    departement TEXT NOT NULL,
    empreinte TEXT NOT NULL,
    lignes INTEGER NOT NULL,
    importees INTEGER NOT NULL,
    deja_presentes INTEGER NOT NULL,
    importe_par INTEGER,
    importe_le TEXT NOT NULL,
    UNIQUE (gestionnaire_id, empreinte)
);

-- One row per session. `cle` is the natural key: a hash of the structure and of the session's
-- content (or of the structure's own reference of the session), unique, so that a session
-- recorded or imported twice is stored once.
CREATE TABLE activite_entretiens (
    id INTEGER PRIMARY KEY,
    cle TEXT NOT NULL UNIQUE,
    gestionnaire_id INTEGER NOT NULL REFERENCES gestionnaires(id),
    departement TEXT NOT NULL,
    famille TEXT NOT NULL,
    date_entretien TEXT NOT NULL,
    duree_minutes INTEGER NOT NULL,
    etape TEXT NOT NULL,
    mode TEXT NOT NULL,
    presence TEXT NOT NULL,
    sujets INTEGER NOT NULL,
    orientations INTEGER NOT NULL,
    intervenant_id INTEGER REFERENCES intervenants(id),
    lieu_id INTEGER REFERENCES lieux(id),
    motif_exception TEXT,
    import_id INTEGER REFERENCES activite_imports(id)
);
CREATE INDEX activite_entretiens_structure ON activite_entretiens (gestionnaire_id, date_entretien);

-- Sessions, minutes, sessions with an orientation and sessions beyond the guideline (with a
-- reason), per structure, month, step and mode.
CREATE TABLE activite_mois (
    exercice INTEGER NOT NULL,
    departement TEXT NOT NULL,
    mois INTEGER NOT NULL,
    etape TEXT NOT NULL,
    mode TEXT NOT NULL,
    gestionnaire_id INTEGER NOT NULL,
    entretiens INTEGER NOT NULL,
    minutes INTEGER NOT NULL,
    entretiens_orientes INTEGER NOT NULL,
    entretiens_exception INTEGER NOT NULL,
    PRIMARY KEY (exercice, departement, mois, etape, mode, gestionnaire_id)
) WITHOUT ROWID;

-- Sessions per structure and month for each attendance, subject and orientation
-- (`rubrique` = presence, sujet or orientation; `code` = the value's code).
CREATE TABLE activite_rubriques_mois (
    exercice INTEGER NOT NULL,
    departement TEXT NOT NULL,
    rubrique TEXT NOT NULL,
    code TEXT NOT NULL,
    mois INTEGER NOT NULL,
    gestionnaire_id INTEGER NOT NULL,
    entretiens INTEGER NOT NULL,
    PRIMARY KEY (exercice, departement, rubrique, code, mois, gestionnaire_id)
) WITHOUT ROWID;

-- The distinct families of each structure in each year, with their number of sessions (the
-- 5-session guideline reads it), the date of their first session, of their first « premier
-- contact » and of their last accompaniment or review session.
CREATE TABLE activite_familles (
    gestionnaire_id INTEGER NOT NULL,
    exercice INTEGER NOT NULL,
    famille TEXT NOT NULL,
    entretiens INTEGER NOT NULL,
    premiere_date TEXT NOT NULL,
    premier_contact TEXT,
    dernier_suivi TEXT,
    PRIMARY KEY (gestionnaire_id, exercice, famille)
) WITHOUT ROWID;

-- Per structure and month: the families whose first session of the year at the structure is
-- in that month (summed over the year: the structure's distinct families), the families whose
-- first « premier contact » is in that month, and those of them followed up in the year.
CREATE TABLE activite_familles_mois (
    exercice INTEGER NOT NULL,
    departement TEXT NOT NULL,
    mois INTEGER NOT NULL,
    gestionnaire_id INTEGER NOT NULL,
    familles_nouvelles INTEGER NOT NULL,
    premiers_contacts INTEGER NOT NULL,
    premiers_contacts_suivis INTEGER NOT NULL,
    PRIMARY KEY (exercice, departement, mois, gestionnaire_id)
) WITHOUT ROWID;

-- Per structure and year: how many families had exactly `seances` sessions.
CREATE TABLE activite_familles_repartition (
    exercice INTEGER NOT NULL,
    departement TEXT NOT NULL,
    seances INTEGER NOT NULL,
    gestionnaire_id INTEGER NOT NULL,
    familles INTEGER NOT NULL,
    PRIMARY KEY (exercice, departement, seances, gestionnaire_id)
) WITHOUT ROWID;
