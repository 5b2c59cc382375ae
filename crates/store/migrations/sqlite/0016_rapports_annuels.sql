-- The coordination instance's annual reports as sent to the Cnaf: one per département and year,
-- frozen at the moment it was sent (its JSON, domain::coordination::rapport::RapportAnnuel), with
-- who sent it and when. A report is never changed once sent: a second sending is refused.
CREATE TABLE rapports_annuels (
    departement TEXT NOT NULL,
    annee INTEGER NOT NULL,
    envoye_le TEXT NOT NULL,
    envoye_par INTEGER NOT NULL REFERENCES utilisateurs(id),
    donnees TEXT NOT NULL,
    PRIMARY KEY (departement, annee)
);
