-- The departmental coordination's plans (Lettre circulaire Cnaf 2012-093 §3-4; CASF L.214-5):
-- the action plan of its local priorities (nature 'action') and its information and
-- communication plan (nature 'communication'), one row per action, per département. The action
-- itself is the JSON of domain::coordination; `version` guards concurrent edits.
CREATE TABLE plans_coordination (
    id INTEGER PRIMARY KEY,
    departement TEXT NOT NULL,
    nature TEXT NOT NULL CHECK (nature IN ('action', 'communication')),
    version INTEGER NOT NULL,
    modifie_le TEXT NOT NULL,
    modifie_par INTEGER NOT NULL REFERENCES utilisateurs(id),
    donnees TEXT NOT NULL
);

CREATE INDEX plans_coordination_departement ON plans_coordination (departement, nature);
