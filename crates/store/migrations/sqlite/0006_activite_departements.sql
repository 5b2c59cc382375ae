-- Département totals of the activity aggregates, and the session key scoped to its structure.
--
-- 1. The counts of 0005, summed over the structures of each département, kept current by the
--    same deltas in the same transaction: what the département and national reads (the
--    dashboard) scan, a few thousand rows a year instead of one set per structure. They are
--    filled here from the per-structure tables, so that a database holding sessions already
--    reads the same figures before and after.
-- 2. The natural key of a session becomes unique within its structure, (gestionnaire_id, cle),
--    instead of unique alone: the hash covers the structure, so no two rows that were distinct
--    become equal, and one structure's import touches one region of the index however many
--    sessions the other structures hold.

CREATE TABLE activite_mois_departement (
    exercice INTEGER NOT NULL,
    departement TEXT NOT NULL,
    mois INTEGER NOT NULL,
    etape TEXT NOT NULL,
    mode TEXT NOT NULL,
    entretiens INTEGER NOT NULL,
    minutes INTEGER NOT NULL,
    entretiens_orientes INTEGER NOT NULL,
    entretiens_exception INTEGER NOT NULL,
    PRIMARY KEY (exercice, departement, mois, etape, mode)
) WITHOUT ROWID;

CREATE TABLE activite_rubriques_mois_departement (
    exercice INTEGER NOT NULL,
    departement TEXT NOT NULL,
    rubrique TEXT NOT NULL,
    code TEXT NOT NULL,
    mois INTEGER NOT NULL,
    entretiens INTEGER NOT NULL,
    PRIMARY KEY (exercice, departement, rubrique, code, mois)
) WITHOUT ROWID;

CREATE TABLE activite_familles_mois_departement (
    exercice INTEGER NOT NULL,
    departement TEXT NOT NULL,
    mois INTEGER NOT NULL,
    familles_nouvelles INTEGER NOT NULL,
    premiers_contacts INTEGER NOT NULL,
    premiers_contacts_suivis INTEGER NOT NULL,
    PRIMARY KEY (exercice, departement, mois)
) WITHOUT ROWID;

CREATE TABLE activite_familles_repartition_departement (
    exercice INTEGER NOT NULL,
    departement TEXT NOT NULL,
    seances INTEGER NOT NULL,
    familles INTEGER NOT NULL,
    PRIMARY KEY (exercice, departement, seances)
) WITHOUT ROWID;

INSERT INTO activite_mois_departement
SELECT exercice, departement, mois, etape, mode,
       SUM(entretiens), SUM(minutes), SUM(entretiens_orientes), SUM(entretiens_exception)
FROM activite_mois GROUP BY exercice, departement, mois, etape, mode;

INSERT INTO activite_rubriques_mois_departement
SELECT exercice, departement, rubrique, code, mois, SUM(entretiens)
FROM activite_rubriques_mois GROUP BY exercice, departement, rubrique, code, mois;

INSERT INTO activite_familles_mois_departement
SELECT exercice, departement, mois,
       SUM(familles_nouvelles), SUM(premiers_contacts), SUM(premiers_contacts_suivis)
FROM activite_familles_mois GROUP BY exercice, departement, mois;

INSERT INTO activite_familles_repartition_departement
SELECT exercice, departement, seances, SUM(familles)
FROM activite_familles_repartition GROUP BY exercice, departement, seances;

-- SQLite cannot change a table's constraints: the table is rebuilt, rows and ids kept.
CREATE TABLE activite_entretiens_cle (
    id INTEGER PRIMARY KEY,
    cle TEXT NOT NULL,
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
    import_id INTEGER REFERENCES activite_imports(id),
    UNIQUE (gestionnaire_id, cle)
);
INSERT INTO activite_entretiens_cle
SELECT id, cle, gestionnaire_id, departement, famille, date_entretien, duree_minutes, etape, mode,
       presence, sujets, orientations, intervenant_id, lieu_id, motif_exception, import_id
FROM activite_entretiens;
DROP TABLE activite_entretiens;
ALTER TABLE activite_entretiens_cle RENAME TO activite_entretiens;
CREATE INDEX activite_entretiens_structure ON activite_entretiens (gestionnaire_id, date_entretien);
