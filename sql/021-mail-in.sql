-- Incoming mail (issue 12): each workspace's inbound address, what a
-- ticket or comment was written as, the Message-IDs already stored, and
-- the quarantine of mail that could not be read or routed.

-- The address mail to this workspace is sent to (its admin sets it; the
-- MTA delivers it to helpdesk-mailgate). Unique: one address, one
-- workspace.
ALTER TABLE workspaces ADD COLUMN inbound_address VARCHAR(254) NULL,
    ADD UNIQUE KEY workspaces_inbound (inbound_address);

-- What body holds and how body_html was made: 0 Markdown typed in our
-- forms; 1 the text of a mail (lib/parse/mailtext.h); 2 a mail whose
-- HTML was kept, sanitised, in body_html (body holds its text, for
-- search and export).
ALTER TABLE tickets ADD COLUMN body_format TINYINT UNSIGNED NOT NULL
    DEFAULT 0 AFTER body_html;
ALTER TABLE comments ADD COLUMN body_format TINYINT UNSIGNED NOT NULL
    DEFAULT 0 AFTER body_html;

-- Every message stored (as a ticket, a reply, or in quarantine), by the
-- SHA-256 of its Message-ID (of the whole message when it has none) and
-- the workspace it was for (0 for none): the same message delivered
-- twice (an MTA retry, an IMAP re-poll) is stored once.
CREATE TABLE mail_seen (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	workspace_id	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	msgid_sha256	BINARY(32) NOT NULL,
	-- ticket, reply, quarantine or ignored (an auto-reply to a
	-- ticket that was dropped; see docs/decisions.md).
	outcome		VARCHAR(16) CHARACTER SET ascii NOT NULL,
	ticket_id	BIGINT UNSIGNED NULL,
	comment_id	BIGINT UNSIGNED NULL,
	quarantine_id	BIGINT UNSIGNED NULL,
	created_at	DATETIME NOT NULL,
	UNIQUE KEY mail_seen_msgid (workspace_id, msgid_sha256),
	KEY mail_seen_time (created_at),
	KEY mail_seen_ticket (ticket_id)
) ENGINE=InnoDB;

-- Mail that could not be read or routed, kept whole until an admin
-- releases it into a ticket or deletes it, or retention does.
CREATE TABLE mail_quarantine (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	-- The workspace it was sent to; NULL when none could be told.
	workspace_id	BIGINT UNSIGNED NULL,
	-- Why, in words for the admin ("the sender may not open tickets
	-- here"); and a short code for tests and filters.
	reason_code	VARCHAR(32) CHARACTER SET ascii NOT NULL,
	reason		VARCHAR(500) NOT NULL,
	-- What the admin's list shows, as parsed (empty when unparseable).
	from_addr	VARCHAR(254) NOT NULL DEFAULT '',
	from_name	VARCHAR(200) NOT NULL DEFAULT '',
	subject		VARCHAR(500) NOT NULL DEFAULT '',
	message_id	VARCHAR(320) NOT NULL DEFAULT '',
	-- Its body as parsed (mailparse.h): the text with the length of
	-- its new part, and the sanitised HTML; NULL when unparseable. A
	-- release makes the ticket from these, with the original message
	-- attached whole: the web programs never parse mail.
	body_text	MEDIUMTEXT NULL,
	reply_len	INT UNSIGNED NOT NULL DEFAULT 0,
	body_html	MEDIUMTEXT NULL,
	-- The person the message names as its sender, when they have an
	-- account (export and erasure find it by this too).
	sender_id	BIGINT UNSIGNED NULL,
	size		BIGINT UNSIGNED NOT NULL,
	-- The message exactly as received, as chunks (mail_quarantine_chunks):
	-- a 20 MB message is never one packet.
	sha256		BINARY(32) NOT NULL,
	created_at	DATETIME NOT NULL,
	KEY mail_quarantine_ws (workspace_id, id),
	KEY mail_quarantine_time (created_at),
	KEY mail_quarantine_sender (sender_id),
	KEY mail_quarantine_from (from_addr),
	CONSTRAINT mail_quarantine_ws_fk FOREIGN KEY (workspace_id)
	    REFERENCES workspaces (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE mail_quarantine_chunks (
	quarantine_id	BIGINT UNSIGNED NOT NULL,
	seq		INT UNSIGNED NOT NULL,
	data		MEDIUMBLOB NOT NULL,
	PRIMARY KEY (quarantine_id, seq),
	CONSTRAINT mail_quarantine_chunks_fk FOREIGN KEY (quarantine_id)
	    REFERENCES mail_quarantine (id) ON DELETE CASCADE
) ENGINE=InnoDB;
