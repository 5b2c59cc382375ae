-- The schema of the platform: each record keeps its full form as JSON in `donnees` (the
-- domain's serialisation) and, as real columns, what queries, constraints and sums need:
-- identifiers, states, territory, money in integer cents, FTE in ten-thousandths, dates.

CREATE TABLE compteurs (
    entite TEXT PRIMARY KEY,
    valeur INTEGER NOT NULL
);

CREATE TABLE utilisateurs (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    mot_de_passe TEXT,
    actif INTEGER NOT NULL,
    version INTEGER NOT NULL,
    donnees TEXT NOT NULL
);

CREATE TABLE financeurs (
    id INTEGER PRIMARY KEY,
    departement TEXT NOT NULL,
    nom TEXT NOT NULL,
    version INTEGER NOT NULL,
    donnees TEXT NOT NULL
);

CREATE TABLE gestionnaires (
    id INTEGER PRIMARY KEY,
    siret TEXT NOT NULL UNIQUE,
    nom TEXT NOT NULL,
    departement TEXT NOT NULL,
    version INTEGER NOT NULL,
    donnees TEXT NOT NULL
);

CREATE TABLE lieux (
    id INTEGER PRIMARY KEY,
    gestionnaire_id INTEGER NOT NULL REFERENCES gestionnaires(id),
    commune TEXT NOT NULL,
    version INTEGER NOT NULL,
    donnees TEXT NOT NULL
);

CREATE TABLE intervenants (
    id INTEGER PRIMARY KEY,
    gestionnaire_id INTEGER NOT NULL REFERENCES gestionnaires(id),
    version INTEGER NOT NULL,
    donnees TEXT NOT NULL
);

CREATE TABLE appels (
    id INTEGER PRIMARY KEY,
    departement TEXT NOT NULL,
    dispositif TEXT NOT NULL,
    ouverture TEXT NOT NULL,
    cloture TEXT NOT NULL,
    version INTEGER NOT NULL,
    donnees TEXT NOT NULL
);

CREATE TABLE dossiers (
    id INTEGER PRIMARY KEY,
    appel_id INTEGER NOT NULL REFERENCES appels(id),
    gestionnaire_id INTEGER NOT NULL REFERENCES gestionnaires(id),
    departement TEXT NOT NULL,
    etat TEXT NOT NULL,
    version INTEGER NOT NULL,
    donnees TEXT NOT NULL
);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
    departement TEXT NOT NULL,
    issue TEXT NOT NULL,
    etp_notifies INTEGER,
    date_effet TEXT,
    engagement_centimes INTEGER NOT NULL,
    version INTEGER NOT NULL,
    donnees TEXT NOT NULL
);

CREATE TABLE conventions (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL UNIQUE REFERENCES dossiers(id),
    numero TEXT NOT NULL UNIQUE,
    gestionnaire_id INTEGER NOT NULL REFERENCES gestionnaires(id),
    departement TEXT NOT NULL,
    etat TEXT NOT NULL,
    date_debut TEXT NOT NULL,
    date_fin TEXT NOT NULL,
    signee_le TEXT,
    version INTEGER NOT NULL,
    donnees TEXT NOT NULL
);

CREATE TABLE declarations (
    id INTEGER PRIMARY KEY,
    convention_id INTEGER NOT NULL REFERENCES conventions(id),
    gestionnaire_id INTEGER NOT NULL,
    departement TEXT NOT NULL,
    exercice INTEGER NOT NULL,
    nature TEXT NOT NULL,
    etat TEXT NOT NULL,
    droit_centimes INTEGER,
    suite_centimes INTEGER,
    calcul TEXT,
    version INTEGER NOT NULL,
    donnees TEXT NOT NULL,
    UNIQUE (convention_id, exercice, nature)
);

CREATE TABLE bilans (
    id INTEGER PRIMARY KEY,
    convention_id INTEGER NOT NULL REFERENCES conventions(id),
    gestionnaire_id INTEGER NOT NULL,
    departement TEXT NOT NULL,
    exercice INTEGER NOT NULL,
    etat TEXT NOT NULL,
    version INTEGER NOT NULL,
    donnees TEXT NOT NULL,
    UNIQUE (convention_id, exercice)
);

CREATE TABLE paiements (
    id INTEGER PRIMARY KEY,
    convention_id INTEGER NOT NULL REFERENCES conventions(id),
    gestionnaire_id INTEGER NOT NULL,
    departement TEXT NOT NULL,
    exercice INTEGER NOT NULL,
    echeance TEXT NOT NULL,
    nature TEXT NOT NULL,
    montant_centimes INTEGER NOT NULL,
    date_paiement TEXT NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    version INTEGER NOT NULL,
    donnees TEXT NOT NULL,
    UNIQUE (convention_id, exercice, echeance)
);

CREATE TABLE enveloppes (
    cle TEXT PRIMARY KEY,
    montant_centimes INTEGER NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    horodatage TEXT NOT NULL,
    acteur_id INTEGER,
    role TEXT,
    entite TEXT NOT NULL,
    entite_id INTEGER NOT NULL,
    action TEXT NOT NULL,
    etat_avant TEXT,
    etat_apres TEXT,
    description TEXT NOT NULL,
    changements TEXT NOT NULL,
    avant TEXT,
    apres TEXT,
    hash_precedent TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE
);

CREATE INDEX dossiers_departement ON dossiers (departement, etat);
CREATE INDEX dossiers_gestionnaire ON dossiers (gestionnaire_id);
CREATE INDEX conventions_departement ON conventions (departement, etat);
CREATE INDEX declarations_departement ON declarations (departement, exercice);
CREATE INDEX paiements_departement ON paiements (departement, exercice);
CREATE INDEX gestionnaires_departement ON gestionnaires (departement);
CREATE INDEX audit_entite ON audit (entite, entite_id);
INSERT INTO compteurs (entite, valeur) VALUES ('verrou', 0);
