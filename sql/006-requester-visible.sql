-- When a ticket last changed as its requester sees it: its creation, a
-- public reply, a status change. Internal notes and agent-only changes
-- (priority, assignee, tags, who is copied) move only updated_at, so the
-- requester's "last updated" order, times and keyset cursors cannot tell
-- that they happened (lib/authz.h, docs/decisions.md).
--
-- No index of its own: a requester's list is built from the set of their
-- tickets (AUTHZ_TICKET_MINE_JOIN) and sorted, as it was by updated_at.

ALTER TABLE tickets ADD COLUMN public_updated_at DATETIME NULL
    AFTER updated_at;

UPDATE tickets t SET t.public_updated_at = GREATEST(t.created_at,
    COALESCE((SELECT MAX(c.created_at) FROM comments c
	WHERE c.ticket_id = t.id AND c.internal = 0), t.created_at),
    COALESCE((SELECT MAX(e.created_at) FROM ticket_events e
	WHERE e.ticket_id = t.id AND e.field = 'status'), t.created_at));

ALTER TABLE tickets MODIFY public_updated_at DATETIME NOT NULL;
