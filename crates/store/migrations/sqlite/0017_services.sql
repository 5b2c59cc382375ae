-- The directory's services: each kept as its JSON (domain::annuaire::Service, the working copy
-- and the version the public sees while a newer one is moderated), with the columns the lists
-- need: its state, gestionnaire and département, its last update, and for the public version
-- whether there is one and its own last update (UTC, fixed-width text so that it sorts as text),
-- which orders the open listing with the id.
CREATE TABLE services (
    id INTEGER PRIMARY KEY,
    gestionnaire_id INTEGER NOT NULL REFERENCES gestionnaires(id),
    departement TEXT NOT NULL,
    etat TEXT NOT NULL,
    mis_a_jour_le TEXT NOT NULL,
    public_mis_a_jour_le TEXT,
    version INTEGER NOT NULL,
    donnees TEXT NOT NULL
);
CREATE INDEX services_gestionnaire ON services (gestionnaire_id, id);
CREATE INDEX services_moderation ON services (departement, etat, mis_a_jour_le);
CREATE INDEX services_publics ON services (public_mis_a_jour_le, id);
