-- Legal holds (issue 11): data an admin keeps back from retention and
-- erasure while a dispute or a legal obligation needs it. A hold covers
-- a whole workspace, one ticket, or one person's data in the workspace;
-- it is active while lifted_at is NULL. Rows stay after lifting, so the
-- history of holds is itself kept (and purged with the workspace).
CREATE TABLE legal_holds (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	workspace_id	BIGINT UNSIGNED NOT NULL,
	scope		ENUM('workspace', 'ticket', 'person') NOT NULL,
	ticket_id	BIGINT UNSIGNED NULL,
	user_id		BIGINT UNSIGNED NULL,
	reason		VARCHAR(500) NOT NULL,
	placed_by	BIGINT UNSIGNED NULL,
	placed_at	DATETIME NOT NULL,
	lifted_by	BIGINT UNSIGNED NULL,
	lifted_at	DATETIME NULL,
	KEY legal_holds_ws (workspace_id, lifted_at),
	KEY legal_holds_ticket (ticket_id, lifted_at),
	KEY legal_holds_user (user_id, lifted_at),
	CONSTRAINT legal_holds_ws_fk FOREIGN KEY (workspace_id)
	    REFERENCES workspaces (id) ON DELETE CASCADE,
	CONSTRAINT legal_holds_ticket_fk FOREIGN KEY (ticket_id)
	    REFERENCES tickets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
