-- Web sessions, login attempts and personal API tokens. Only SHA-256 hashes of the secrets
-- (session cookie, API token) are stored.

CREATE TABLE sessions (
    jeton_hache TEXT PRIMARY KEY,
    utilisateur_id BIGINT NOT NULL REFERENCES utilisateurs(id),
    csrf TEXT NOT NULL,
    cree_le BIGINT NOT NULL,
    vu_le BIGINT NOT NULL
);

CREATE TABLE tentatives_connexion (
    email TEXT NOT NULL,
    instant BIGINT NOT NULL
);
CREATE INDEX tentatives_connexion_email ON tentatives_connexion (email, instant);

CREATE TABLE jetons_api (
    jeton_hache TEXT PRIMARY KEY,
    utilisateur_id BIGINT NOT NULL REFERENCES utilisateurs(id),
    libelle TEXT NOT NULL,
    cree_le BIGINT NOT NULL
);
