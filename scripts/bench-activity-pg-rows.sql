-- Where PostgreSQL spends its time when sessions are inserted: 100 000 rows of the same shape
-- as an import, copied from the sessions of the benchmark database, inserted into copies of the
-- sessions table with more and more of its constraints. Run after scripts/bench-activity.sh:
--   psql "${PARENTALITE_TEST_POSTGRES%/*}/parentalite_bench_activite" -f scripts/bench-activity-pg-rows.sql
\timing on
DROP TABLE IF EXISTS banc_lignes, banc_e;
CREATE TABLE banc_lignes AS
SELECT gestionnaire_id, departement, import_id, cle, famille, date_entretien, duree_minutes,
       etape, mode, presence, sujets, orientations, intervenant_id, lieu_id, motif_exception
FROM activite_entretiens ORDER BY cle LIMIT 100000;
\echo '1. the table and its three indexes'
CREATE TABLE banc_e (LIKE activite_entretiens INCLUDING ALL);
INSERT INTO banc_e (gestionnaire_id, departement, import_id, cle, famille, date_entretien,
    duree_minutes, etape, mode, presence, sujets, orientations, intervenant_id, lieu_id,
    motif_exception) SELECT * FROM banc_lignes;
TRUNCATE banc_e;
\echo '2. with ON CONFLICT on the natural key'
INSERT INTO banc_e (gestionnaire_id, departement, import_id, cle, famille, date_entretien,
    duree_minutes, etape, mode, presence, sujets, orientations, intervenant_id, lieu_id,
    motif_exception) SELECT * FROM banc_lignes ON CONFLICT (gestionnaire_id, cle) DO NOTHING;
TRUNCATE banc_e;
\echo '3. with the four foreign keys as well'
ALTER TABLE banc_e ADD FOREIGN KEY (gestionnaire_id) REFERENCES gestionnaires(id),
    ADD FOREIGN KEY (import_id) REFERENCES activite_imports(id),
    ADD FOREIGN KEY (intervenant_id) REFERENCES intervenants(id),
    ADD FOREIGN KEY (lieu_id) REFERENCES lieux(id);
INSERT INTO banc_e (gestionnaire_id, departement, import_id, cle, famille, date_entretien,
    duree_minutes, etape, mode, presence, sujets, orientations, intervenant_id, lieu_id,
    motif_exception) SELECT * FROM banc_lignes ON CONFLICT (gestionnaire_id, cle) DO NOTHING;
DROP TABLE banc_lignes, banc_e;
