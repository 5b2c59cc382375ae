-- The outbox of e-mails. A row is written in the same transaction as the event that causes the
-- mail, and a sender sends it afterwards: the mail leaves if and only if its event committed.
-- `cle` is the idempotence key (the same event queued twice is one row); `message_id` is fixed
-- at insertion, so that every attempt at the same row carries the same Message-ID. Times are
-- Unix seconds. `etat`: en_attente (to send, at `prochain_essai` at the earliest), envoye,
-- echec (given up, with `derniere_erreur`), a_resumer (kept for its recipient's daily digest of
-- `jour`), resume (sent within the digest `resume_id`), ecarte (its recipient wants none of that
-- kind). A sender holds a row it is sending until `bail_jusqu_a` (its lease).
CREATE TABLE courriels (
    id BIGINT PRIMARY KEY,
    cle TEXT NOT NULL UNIQUE,
    genre TEXT NOT NULL,
    destinataire TEXT NOT NULL,
    utilisateur_id BIGINT REFERENCES utilisateurs(id),
    departement TEXT,
    sujet TEXT NOT NULL,
    texte TEXT NOT NULL,
    etat TEXT NOT NULL,
    message_id TEXT NOT NULL,
    jour TEXT NOT NULL,
    cree_le BIGINT NOT NULL,
    essais BIGINT NOT NULL,
    prochain_essai BIGINT NOT NULL,
    bail_jusqu_a BIGINT,
    envoye_le BIGINT,
    derniere_erreur TEXT,
    resume_id BIGINT REFERENCES courriels(id)
);
CREATE INDEX courriels_a_envoyer ON courriels (etat, prochain_essai);
CREATE INDEX courriels_utilisateur ON courriels (utilisateur_id, id);
CREATE INDEX courriels_departement ON courriels (departement, id);

-- The attachments of a mail, in order.
CREATE TABLE courriels_pieces (
    courriel_id BIGINT NOT NULL REFERENCES courriels(id),
    rang BIGINT NOT NULL,
    nom TEXT NOT NULL,
    type_mime TEXT NOT NULL,
    contenu BYTEA NOT NULL,
    PRIMARY KEY (courriel_id, rang)
);

-- How often each user receives each adjustable kind of mail (no row: immediately).
CREATE TABLE preferences_courriels (
    utilisateur_id BIGINT NOT NULL REFERENCES utilisateurs(id),
    genre TEXT NOT NULL,
    frequence TEXT NOT NULL,
    PRIMARY KEY (utilisateur_id, genre)
);
