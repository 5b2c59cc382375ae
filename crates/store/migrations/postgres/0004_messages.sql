-- The thread of a dossier: messages between the Caf and the applicant, and the agents' private
-- annotations (never shown to the applicant).
CREATE TABLE messages (
    id BIGINT PRIMARY KEY,
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
    auteur_id BIGINT NOT NULL,
    role TEXT NOT NULL,
    auteur TEXT NOT NULL,
    prive BOOLEAN NOT NULL,
    texte TEXT NOT NULL,
    cree_le TEXT NOT NULL
);
CREATE INDEX messages_dossier ON messages (dossier_id, id);
