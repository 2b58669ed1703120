-- Tickets, their thread (public comments and internal notes), history
-- events, tags, copied requesters, and per-status counters.

CREATE TABLE tickets (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	workspace_id	BIGINT UNSIGNED NOT NULL,
	number		BIGINT UNSIGNED NOT NULL,
	subject		VARCHAR(200) NOT NULL,
	body		MEDIUMTEXT NOT NULL,
	-- 1 new, 2 open, 3 pending, 4 solved, 5 closed (lib/tickets.c)
	status		TINYINT UNSIGNED NOT NULL DEFAULT 1,
	-- 1 low, 2 normal, 3 high, 4 urgent
	priority	TINYINT UNSIGNED NOT NULL DEFAULT 2,
	requester_id	BIGINT UNSIGNED NOT NULL,
	assignee_id	BIGINT UNSIGNED NULL,
	tags		VARCHAR(500) NOT NULL DEFAULT '',
	-- Optimistic locking: every change bumps it; a save names the
	-- version it was based on, so no update is lost.
	version		INT UNSIGNED NOT NULL DEFAULT 1,
	created_at	DATETIME NOT NULL,
	updated_at	DATETIME NOT NULL,
	UNIQUE KEY tickets_number (workspace_id, number),
	-- The queue's keyset orders, alone and under each filter.
	KEY tickets_updated (workspace_id, updated_at, id),
	KEY tickets_status (workspace_id, status, updated_at, id),
	KEY tickets_priority (workspace_id, priority, updated_at, id),
	KEY tickets_assignee (workspace_id, assignee_id, updated_at, id),
	KEY tickets_requester (workspace_id, requester_id, updated_at, id),
	FULLTEXT KEY tickets_text (subject, body),
	CONSTRAINT tickets_ws_fk FOREIGN KEY (workspace_id)
	    REFERENCES workspaces (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Kept in the same transaction as every ticket write, so the queue's
-- counts per status cost one indexed read at any size.
CREATE TABLE ticket_counts (
	workspace_id	BIGINT UNSIGNED NOT NULL,
	status		TINYINT UNSIGNED NOT NULL,
	n		BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (workspace_id, status)
) ENGINE=InnoDB;

CREATE TABLE ticket_tags (
	ticket_id	BIGINT UNSIGNED NOT NULL,
	workspace_id	BIGINT UNSIGNED NOT NULL,
	tag		VARCHAR(40) NOT NULL,
	PRIMARY KEY (ticket_id, tag),
	KEY ticket_tags_tag (workspace_id, tag, ticket_id),
	CONSTRAINT ticket_tags_fk FOREIGN KEY (ticket_id)
	    REFERENCES tickets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Requesters copied on a ticket see it as its requester does.
CREATE TABLE ticket_cc (
	ticket_id	BIGINT UNSIGNED NOT NULL,
	user_id		BIGINT UNSIGNED NOT NULL,
	PRIMARY KEY (ticket_id, user_id),
	KEY ticket_cc_user (user_id, ticket_id),
	CONSTRAINT ticket_cc_fk FOREIGN KEY (ticket_id)
	    REFERENCES tickets (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE comments (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	ticket_id	BIGINT UNSIGNED NOT NULL,
	workspace_id	BIGINT UNSIGNED NOT NULL,
	author_id	BIGINT UNSIGNED NULL,
	body		MEDIUMTEXT NOT NULL,
	-- 1: an internal note, for agents and admins only.
	internal	TINYINT(1) NOT NULL DEFAULT 0,
	created_at	DATETIME NOT NULL,
	KEY comments_ticket (ticket_id, id),
	KEY comments_author (author_id),
	FULLTEXT KEY comments_text (body),
	CONSTRAINT comments_ticket_fk FOREIGN KEY (ticket_id)
	    REFERENCES tickets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE ticket_events (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	ticket_id	BIGINT UNSIGNED NOT NULL,
	workspace_id	BIGINT UNSIGNED NOT NULL,
	actor_id	BIGINT UNSIGNED NULL,
	field		VARCHAR(20) NOT NULL,
	old_value	VARCHAR(500) NOT NULL,
	new_value	VARCHAR(500) NOT NULL,
	created_at	DATETIME NOT NULL,
	KEY ticket_events_ticket (ticket_id, id),
	CONSTRAINT ticket_events_fk FOREIGN KEY (ticket_id)
	    REFERENCES tickets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- File contents, once per distinct content (SHA-256), so a file sent
-- twice is stored once and a database backup holds every file.
-- (004-blob-chunks.sql moves data into blob_chunks, 512 KiB a row.)
CREATE TABLE blobs (
	sha256		BINARY(32) NOT NULL PRIMARY KEY,
	size		BIGINT UNSIGNED NOT NULL,
	data		LONGBLOB NOT NULL,
	created_at	DATETIME NOT NULL
) ENGINE=InnoDB;

-- An attachment belongs to a ticket's opening message (comment_id NULL)
-- or to one comment or note, and is visible exactly when that is.
CREATE TABLE attachments (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	workspace_id	BIGINT UNSIGNED NOT NULL,
	ticket_id	BIGINT UNSIGNED NOT NULL,
	comment_id	BIGINT UNSIGNED NULL,
	uploader_id	BIGINT UNSIGNED NULL,
	filename	VARCHAR(255) NOT NULL,
	content_type	VARCHAR(100) NOT NULL,
	size		BIGINT UNSIGNED NOT NULL,
	sha256		BINARY(32) NOT NULL,
	created_at	DATETIME NOT NULL,
	KEY attachments_ticket (ticket_id, comment_id),
	KEY attachments_blob (sha256),
	CONSTRAINT attachments_ticket_fk FOREIGN KEY (ticket_id)
	    REFERENCES tickets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
