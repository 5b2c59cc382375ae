-- Where each user stopped reading each dossier's thread: the last message it was shown. The
-- messages of others after it are "non lus" (unread) for that user, counted in the dossier list
-- and on the home page. The reader is an account id, like the author of a message.
CREATE TABLE messages_lus (
    utilisateur_id BIGINT NOT NULL,
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
    dernier_lu BIGINT NOT NULL,
    PRIMARY KEY (utilisateur_id, dossier_id)
);
