-- ProConnect login for agents: the ProConnect subject identifier (`sub`) of an account, stored at
-- its first ProConnect login; the logins in progress (their `state` and `nonce`, kept by the
-- hash of the browser's short-lived cookie, until they expire); and, with a session opened through
-- ProConnect, its ID token, sent back to the provider when logging out.

CREATE TABLE comptes_proconnect (
    utilisateur_id BIGINT PRIMARY KEY REFERENCES utilisateurs(id),
    sub TEXT NOT NULL UNIQUE,
    lie_le BIGINT NOT NULL
);

CREATE TABLE connexions_proconnect (
    cle_hachee TEXT PRIMARY KEY,
    etat TEXT NOT NULL,
    nonce TEXT NOT NULL,
    retour TEXT NOT NULL,
    expire_le BIGINT NOT NULL
);
CREATE INDEX connexions_proconnect_expiration ON connexions_proconnect (expire_le);

ALTER TABLE sessions ADD COLUMN jeton_id_proconnect TEXT;
