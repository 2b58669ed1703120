-- Outgoing mail (lib/domain/outbox.h): each message is written in the
-- transaction of the change that caused it, composed whole, and sent by
-- tools/mailer.c, which claims rows with a lease so two mailers never
-- send one at the same time.
CREATE TABLE outbox (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	-- What it is about: NULL for mail about an account.
	workspace_id	BIGINT UNSIGNED NULL,
	ticket_id	BIGINT UNSIGNED NULL,
	-- What caused it: ticket.reply, password.reset, ...
	kind		VARCHAR(32) CHARACTER SET ascii NOT NULL,
	to_addr		VARCHAR(254) NOT NULL,
	to_name		VARCHAR(100) NOT NULL DEFAULT '',
	subject		VARCHAR(500) NOT NULL,
	message_id	VARCHAR(320) CHARACTER SET ascii NOT NULL,
	-- The whole RFC 5322 message (headers and MIME body), CRLF lines,
	-- exactly as it is sent every time.
	message		MEDIUMBLOB NOT NULL,
	created_at	DATETIME NOT NULL,
	next_attempt_at	DATETIME NOT NULL,
	-- Claims, the current one included.
	attempts	INT UNSIGNED NOT NULL DEFAULT 0,
	claimed_by	VARCHAR(80) CHARACTER SET ascii NULL,
	claimed_until	DATETIME NULL,
	sent_at		DATETIME NULL,
	-- Given up after mail_give_up_after; last_error says why.
	failed_at	DATETIME NULL,
	last_error	VARCHAR(500) NULL,
	UNIQUE KEY outbox_message_id (message_id),
	-- The mailer's claim: pending rows (both NULL) by due time.
	KEY outbox_due (sent_at, failed_at, next_attempt_at),
	KEY outbox_claim (claimed_by),
	-- The admin's view of failures, per workspace.
	KEY outbox_failed (workspace_id, failed_at),
	KEY outbox_ticket (ticket_id),
	CONSTRAINT outbox_ws_fk FOREIGN KEY (workspace_id)
	    REFERENCES workspaces (id) ON DELETE CASCADE,
	CONSTRAINT outbox_ticket_fk FOREIGN KEY (ticket_id)
	    REFERENCES tickets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
