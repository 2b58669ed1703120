-- Erasure (lib/domain/erase.h) finds a person's rows by who they are:
-- the files they uploaded, the audit rows about them, the invitations to
-- their address. Without these, each erasure would read the whole table.
ALTER TABLE attachments ADD KEY IF NOT EXISTS attachments_uploader (uploader_id);
ALTER TABLE audit_log ADD KEY IF NOT EXISTS audit_object (object_type, object_id);
ALTER TABLE invitations ADD KEY IF NOT EXISTS invitations_email (email);
ALTER TABLE outbox ADD KEY IF NOT EXISTS outbox_to (to_addr);
