-- The Caf's monographs of the AIP experiment: one row per version (every save adds one, the
-- earlier ones stay), with its sections as JSON (domain::evaluation::monographie::Textes), who
-- saved it and when (RFC 3339). The current monograph of a département is its highest version.
CREATE TABLE monographies (
    id BIGINT PRIMARY KEY,
    departement TEXT NOT NULL,
    version BIGINT NOT NULL,
    mise_a_jour_le TEXT NOT NULL,
    auteur BIGINT NOT NULL REFERENCES utilisateurs(id),
    textes TEXT NOT NULL,
    UNIQUE (departement, version)
);
