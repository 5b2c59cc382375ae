-- The anonymous questionnaires of the evaluation (parents, partners).
--
-- `questionnaires_liens`: the random codes of one structure's two links (one per questionnaire,
-- never one per family), audited under the structure's number (entity `questionnaire_liens`).
-- `reponses_questionnaires`: one row per answer, with nothing that identifies who answered: the
-- questionnaire, the structure and its département, the month (UTC, `YYYY-MM`) and the SHA-256
-- of the form's one-time token, so that the same form sent twice is stored once. Its choices
-- (closed answers only, codes of the domain's items) are in `reponses_questionnaires_choix`.
-- `envois_questionnaires`: the submissions of the last hour, for the rate limit per client
-- address; older rows are deleted as new ones come.
CREATE TABLE questionnaires_liens (
    gestionnaire_id BIGINT PRIMARY KEY,
    code_parents TEXT NOT NULL UNIQUE,
    code_partenaires TEXT NOT NULL UNIQUE,
    cree_le BIGINT NOT NULL,
    renouvele_le BIGINT
);

CREATE TABLE reponses_questionnaires (
    id BIGINT PRIMARY KEY,
    public TEXT NOT NULL CHECK (public IN ('parents', 'partenaires')),
    gestionnaire_id BIGINT NOT NULL,
    departement TEXT,
    mois TEXT NOT NULL,
    jeton TEXT NOT NULL UNIQUE
);
CREATE INDEX reponses_questionnaires_public ON reponses_questionnaires (public, departement, gestionnaire_id);

CREATE TABLE reponses_questionnaires_choix (
    reponse_id BIGINT NOT NULL REFERENCES reponses_questionnaires(id),
    item TEXT NOT NULL,
    choix TEXT NOT NULL,
    PRIMARY KEY (reponse_id, item)
);

CREATE TABLE envois_questionnaires (
    adresse TEXT NOT NULL,
    instant BIGINT NOT NULL
);
CREATE INDEX envois_questionnaires_adresse ON envois_questionnaires (adresse, instant);
