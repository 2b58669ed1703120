-- Ticket notifications waiting to be fanned out (issue 14; notify.h): a
-- change writes one row here in its own transaction, naming what
-- happened by ids only, and the mailer turns it into one outbox row per
-- recipient (rendered in each one's language and time zone) and deletes
-- it, in one transaction of its own, so the event is mailed once, or
-- not yet, never twice. A new ticket in a workspace of a hundred agents
-- is one small row for the request instead of a hundred rendered
-- messages.
CREATE TABLE notify_events (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	workspace_id	BIGINT UNSIGNED NOT NULL,
	ticket_id	BIGINT UNSIGNED NOT NULL,
	-- ticket_new, reply, assigned, solved (notify_kind_name).
	kind		VARCHAR(32) CHARACTER SET ascii NOT NULL,
	-- Who acted (never told, and named in the mail); NULL: nobody (a
	-- program). Personal data: exported, erased, kept briefly
	-- (docs/privacy.md).
	actor_id	BIGINT UNSIGNED NULL,
	-- A reply's comment; the new assignee of an assignment.
	comment_id	BIGINT UNSIGNED NULL,
	target_id	BIGINT UNSIGNED NULL,
	created_at	DATETIME NOT NULL,
	-- A fan-out that failed is tried again later (attempts, as the
	-- outbox's backoff), and given up after mail_give_up_after.
	next_attempt_at	DATETIME NOT NULL,
	attempts	INT UNSIGNED NOT NULL DEFAULT 0,
	KEY notify_events_due (next_attempt_at, id),
	-- Erasure finds a person's events by these (erase.c).
	KEY notify_events_actor (actor_id),
	KEY notify_events_target (target_id),
	-- The ticket's key alone: its tickets take a deleted workspace's
	-- events with them, and a key to workspaces would make every
	-- reply's INSERT share-lock the workspace row that creating a
	-- ticket locks for its number.
	CONSTRAINT notify_events_ticket_fk FOREIGN KEY (ticket_id)
	    REFERENCES tickets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
