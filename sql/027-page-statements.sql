-- Fewer statements per page (issue 14).
--
-- workspaces.version: bumped in the same transaction as any change of the
-- workspace's members (added, removed, role, suspension) or of a
-- member's name (lib/domain/workspaces.h, ws_changed). Every workspace
-- page reads it in the statement it runs anyway (the session with the
-- membership, lib/web/session.c), so a worker's cache of what rarely
-- changes (the ticket page's assignee list) is used only while the
-- version it was made at is still the row's: correct across workers and
-- app nodes, which share only the database.
--
-- tickets.has_attachments: 1 once an attachment was stored for the
-- ticket (in the same transaction, attachments_save); the ticket page
-- asks for attachments only then. It is never cleared: a ticket whose
-- files were erased asks for nothing and finds nothing, as before.
ALTER TABLE workspaces
	ADD COLUMN version BIGINT UNSIGNED NOT NULL DEFAULT 1;
ALTER TABLE tickets
	ADD COLUMN has_attachments TINYINT NOT NULL DEFAULT 0;
UPDATE tickets t JOIN (SELECT DISTINCT ticket_id FROM attachments) a
	ON a.ticket_id = t.id
	SET t.has_attachments = 1;
