-- The national instance of the AIP experiment and the calls for candidacies to a new wave.
-- The national instance itself is a row of `instances` (shape `nationale_aip`) whose
-- `departement` column holds 'nationale', so that it never takes the place of a département's
-- instance; its members, séances and answer links are those of the coordination's tables.
-- Here: the calendar of its six phases (one row, keyed by the instance's id), the calls opened
-- by the Cnaf, each Caf's candidacy (one per call and département), and the départements
-- selected for a wave (one row per call and département, written with the decision).
CREATE TABLE calendriers_nationaux (
    id BIGINT PRIMARY KEY REFERENCES instances(id),
    version BIGINT NOT NULL,
    donnees TEXT NOT NULL
);

CREATE TABLE appels_candidatures (
    id BIGINT PRIMARY KEY,
    date_limite TEXT NOT NULL,
    version BIGINT NOT NULL,
    donnees TEXT NOT NULL
);

CREATE TABLE candidatures (
    id BIGINT PRIMARY KEY,
    appel_id BIGINT NOT NULL REFERENCES appels_candidatures(id),
    departement TEXT NOT NULL,
    etat TEXT NOT NULL,
    version BIGINT NOT NULL,
    donnees TEXT NOT NULL,
    UNIQUE (appel_id, departement)
);

CREATE TABLE vagues_experimentation (
    appel_id BIGINT NOT NULL REFERENCES appels_candidatures(id),
    departement TEXT NOT NULL,
    vague BIGINT NOT NULL,
    candidature_id BIGINT NOT NULL REFERENCES candidatures(id),
    retenue_le TEXT NOT NULL,
    PRIMARY KEY (appel_id, departement)
);
