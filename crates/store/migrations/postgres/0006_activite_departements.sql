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
    exercice BIGINT NOT NULL,
    departement TEXT NOT NULL,
    mois BIGINT NOT NULL,
    etape TEXT NOT NULL,
    mode TEXT NOT NULL,
    entretiens BIGINT NOT NULL,
    minutes BIGINT NOT NULL,
    entretiens_orientes BIGINT NOT NULL,
    entretiens_exception BIGINT NOT NULL,
    PRIMARY KEY (exercice, departement, mois, etape, mode)
);

CREATE TABLE activite_rubriques_mois_departement (
    exercice BIGINT NOT NULL,
    departement TEXT NOT NULL,
    rubrique TEXT NOT NULL,
    code TEXT NOT NULL,
    mois BIGINT NOT NULL,
    entretiens BIGINT NOT NULL,
    PRIMARY KEY (exercice, departement, rubrique, code, mois)
);

CREATE TABLE activite_familles_mois_departement (
    exercice BIGINT NOT NULL,
    departement TEXT NOT NULL,
    mois BIGINT NOT NULL,
    familles_nouvelles BIGINT NOT NULL,
    premiers_contacts BIGINT NOT NULL,
    premiers_contacts_suivis BIGINT NOT NULL,
    PRIMARY KEY (exercice, departement, mois)
);

CREATE TABLE activite_familles_repartition_departement (
    exercice BIGINT NOT NULL,
    departement TEXT NOT NULL,
    seances BIGINT NOT NULL,
    familles BIGINT NOT NULL,
    PRIMARY KEY (exercice, departement, seances)
);

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

ALTER TABLE activite_entretiens
    DROP CONSTRAINT activite_entretiens_cle_key,
    ADD CONSTRAINT activite_entretiens_structure_cle UNIQUE (gestionnaire_id, cle);
