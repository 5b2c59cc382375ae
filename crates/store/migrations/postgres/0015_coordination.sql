-- The departmental coordination: one instance per département (its shape and secretariat), its
-- members, its séances (agenda, convocations, answers, attendance, minutes kept in the JSON
-- form), and the personal links members answer their convocations with (kept as the SHA-256
-- of the link's secret, never the secret itself).
CREATE TABLE instances (
    id BIGINT PRIMARY KEY,
    departement TEXT NOT NULL UNIQUE,
    version BIGINT NOT NULL,
    donnees TEXT NOT NULL
);

CREATE TABLE membres (
    id BIGINT PRIMARY KEY,
    instance_id BIGINT NOT NULL REFERENCES instances(id),
    email TEXT NOT NULL,
    utilisateur_id BIGINT REFERENCES utilisateurs(id),
    version BIGINT NOT NULL,
    donnees TEXT NOT NULL,
    UNIQUE (instance_id, email)
);

CREATE TABLE seances (
    id BIGINT PRIMARY KEY,
    instance_id BIGINT NOT NULL REFERENCES instances(id),
    debut TEXT NOT NULL,
    etat TEXT NOT NULL,
    version BIGINT NOT NULL,
    donnees TEXT NOT NULL
);
CREATE INDEX seances_instance ON seances (instance_id, debut);

CREATE TABLE liens_de_reponse (
    empreinte TEXT PRIMARY KEY,
    seance_id BIGINT NOT NULL REFERENCES seances(id),
    membre_id BIGINT NOT NULL REFERENCES membres(id),
    UNIQUE (seance_id, membre_id)
);
