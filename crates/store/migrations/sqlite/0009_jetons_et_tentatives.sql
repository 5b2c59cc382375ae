-- Personal API tokens get a public identifier (the first 16 hex digits of their hash: enough to
-- list and revoke them, useless to authenticate), an expiry chosen at creation and a revocation
-- instant; the tokens created before expire 90 days after their creation. Login failures record
-- the client address too, so that a lockout applies to the address that failed, and that one
-- address trying many accounts is slowed down.

ALTER TABLE jetons_api ADD COLUMN identifiant TEXT;
ALTER TABLE jetons_api ADD COLUMN expire_le INTEGER;
ALTER TABLE jetons_api ADD COLUMN revoque_le INTEGER;
UPDATE jetons_api SET identifiant = substr(jeton_hache, 1, 16), expire_le = cree_le + 7776000;
CREATE UNIQUE INDEX jetons_api_identifiant ON jetons_api (identifiant);
CREATE INDEX jetons_api_utilisateur ON jetons_api (utilisateur_id);

ALTER TABLE tentatives_connexion ADD COLUMN adresse TEXT NOT NULL DEFAULT '';
CREATE INDEX tentatives_connexion_adresse ON tentatives_connexion (adresse, instant);
