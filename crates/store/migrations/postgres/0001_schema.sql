-- The schema of the platform: each record keeps its full form as JSON in `donnees` (the
-- domain's serialisation) and, as real columns, what queries, constraints and sums need:
-- identifiers, states, territory, money in integer cents, FTE in ten-thousandths, dates.

CREATE TABLE compteurs (
    entite TEXT PRIMARY KEY,
    valeur BIGINT NOT NULL
);

CREATE TABLE utilisateurs (
    id BIGINT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    mot_de_passe TEXT,
    actif BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    donnees TEXT NOT NULL
);

CREATE TABLE financeurs (
    id BIGINT PRIMARY KEY,
    departement TEXT NOT NULL,
    nom TEXT NOT NULL,
    version BIGINT NOT NULL,
    donnees TEXT NOT NULL
);

CREATE TABLE gestionnaires (
    id BIGINT PRIMARY KEY,
    siret TEXT NOT NULL UNIQUE,
    nom TEXT NOT NULL,
    departement TEXT NOT NULL,
    version BIGINT NOT NULL,
    donnees TEXT NOT NULL
);

CREATE TABLE lieux (
    id BIGINT PRIMARY KEY,
    gestionnaire_id BIGINT NOT NULL REFERENCES gestionnaires(id),
    commune TEXT NOT NULL,
    version BIGINT NOT NULL,
    donnees TEXT NOT NULL
);

CREATE TABLE intervenants (
    id BIGINT PRIMARY KEY,
    gestionnaire_id BIGINT NOT NULL REFERENCES gestionnaires(id),
    version BIGINT NOT NULL,
    donnees TEXT NOT NULL
);

CREATE TABLE appels (
    id BIGINT PRIMARY KEY,
    departement TEXT NOT NULL,
    dispositif TEXT NOT NULL,
    ouverture DATE NOT NULL,
    cloture DATE NOT NULL,
    version BIGINT NOT NULL,
    donnees TEXT NOT NULL
);

CREATE TABLE dossiers (
    id BIGINT PRIMARY KEY,
    appel_id BIGINT NOT NULL REFERENCES appels(id),
    gestionnaire_id BIGINT NOT NULL REFERENCES gestionnaires(id),
    departement TEXT NOT NULL,
    etat TEXT NOT NULL,
    version BIGINT NOT NULL,
    donnees TEXT NOT NULL
);

CREATE TABLE decisions (
    id BIGINT PRIMARY KEY,
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
    departement TEXT NOT NULL,
    issue TEXT NOT NULL,
    etp_notifies BIGINT,
    date_effet DATE,
    engagement_centimes BIGINT NOT NULL,
    version BIGINT NOT NULL,
    donnees TEXT NOT NULL
);

CREATE TABLE conventions (
    id BIGINT PRIMARY KEY,
    dossier_id BIGINT NOT NULL UNIQUE REFERENCES dossiers(id),
    numero TEXT NOT NULL UNIQUE,
    gestionnaire_id BIGINT NOT NULL REFERENCES gestionnaires(id),
    departement TEXT NOT NULL,
    etat TEXT NOT NULL,
    date_debut DATE NOT NULL,
    date_fin DATE NOT NULL,
    signee_le DATE,
    version BIGINT NOT NULL,
    donnees TEXT NOT NULL
);

CREATE TABLE declarations (
    id BIGINT PRIMARY KEY,
    convention_id BIGINT NOT NULL REFERENCES conventions(id),
    gestionnaire_id BIGINT NOT NULL,
    departement TEXT NOT NULL,
    exercice BIGINT NOT NULL,
    nature TEXT NOT NULL,
    etat TEXT NOT NULL,
    droit_centimes BIGINT,
    suite_centimes BIGINT,
    calcul TEXT,
    version BIGINT NOT NULL,
    donnees TEXT NOT NULL,
    UNIQUE (convention_id, exercice, nature)
);

CREATE TABLE bilans (
    id BIGINT PRIMARY KEY,
    convention_id BIGINT NOT NULL REFERENCES conventions(id),
    gestionnaire_id BIGINT NOT NULL,
    departement TEXT NOT NULL,
    exercice BIGINT NOT NULL,
    etat TEXT NOT NULL,
    version BIGINT NOT NULL,
    donnees TEXT NOT NULL,
    UNIQUE (convention_id, exercice)
);

CREATE TABLE paiements (
    id BIGINT PRIMARY KEY,
    convention_id BIGINT NOT NULL REFERENCES conventions(id),
    gestionnaire_id BIGINT NOT NULL,
    departement TEXT NOT NULL,
    exercice BIGINT NOT NULL,
    echeance TEXT NOT NULL,
    nature TEXT NOT NULL,
    montant_centimes BIGINT NOT NULL,
    date_paiement DATE NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    version BIGINT NOT NULL,
    donnees TEXT NOT NULL,
    UNIQUE (convention_id, exercice, echeance)
);

CREATE TABLE enveloppes (
    cle TEXT PRIMARY KEY,
    montant_centimes BIGINT NOT NULL,
    version BIGINT NOT NULL
);

CREATE TABLE audit (
    id BIGINT PRIMARY KEY,
    horodatage TEXT NOT NULL,
    acteur_id BIGINT,
    role TEXT,
    entite TEXT NOT NULL,
    entite_id BIGINT NOT NULL,
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
