-- Parents' contact requests to the services of the public directory. `demandes_contact` is the
-- trace kept for counts (service, structure, département, scheme, month, state, dates), without
-- anything that identifies the parent; `demandes_contact_contenus` holds what the parent wrote
-- and its contact details, with the structure's answer (JSON), and is deleted at the end of the
-- retention period (`a_supprimer_le`), when `supprimee_le` is set on the trace. Times are Unix
-- seconds; `mois` is the month of reception in UTC (`YYYY-MM`).
CREATE TABLE demandes_contact (
    id INTEGER PRIMARY KEY,
    service_id INTEGER NOT NULL,
    gestionnaire_id INTEGER NOT NULL,
    departement TEXT NOT NULL,
    dispositif TEXT NOT NULL,
    etat TEXT NOT NULL CHECK (etat IN ('recue', 'lue', 'repondue', 'cloturee')),
    mois TEXT NOT NULL,
    recue_le INTEGER NOT NULL,
    lue_le INTEGER,
    repondue_le INTEGER,
    cloturee_le INTEGER,
    a_supprimer_le INTEGER NOT NULL,
    supprimee_le INTEGER
);
CREATE INDEX demandes_contact_gestionnaire ON demandes_contact (gestionnaire_id, supprimee_le);
CREATE INDEX demandes_contact_echeance ON demandes_contact (supprimee_le, a_supprimer_le);
CREATE INDEX demandes_contact_departement ON demandes_contact (departement, mois);

CREATE TABLE demandes_contact_contenus (
    demande_id INTEGER PRIMARY KEY REFERENCES demandes_contact(id),
    contenu TEXT NOT NULL
);

-- The public form's submissions, for its rate limits (per client address and per service).
-- Rows older than a day are deleted as new ones come and by the retention purge.
CREATE TABLE envois_demandes_contact (
    adresse TEXT NOT NULL,
    service_id INTEGER NOT NULL,
    instant INTEGER NOT NULL
);
CREATE INDEX envois_demandes_contact_adresse ON envois_demandes_contact (adresse, instant);
CREATE INDEX envois_demandes_contact_service ON envois_demandes_contact (service_id, instant);
