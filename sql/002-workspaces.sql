-- Workspaces (a company), who belongs to each and with which role, and
-- invitations to join.

CREATE TABLE workspaces (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	slug		VARCHAR(40) NOT NULL,
	name		VARCHAR(100) NOT NULL,
	-- Anyone signed in may join as a requester through the portal.
	portal_signup	TINYINT(1) NOT NULL DEFAULT 0,
	-- Ticket numbers are per workspace: #1, #2, ...
	next_number	BIGINT UNSIGNED NOT NULL DEFAULT 1,
	created_at	DATETIME NOT NULL,
	updated_at	DATETIME NOT NULL,
	UNIQUE KEY workspaces_slug (slug)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE memberships (
	workspace_id	BIGINT UNSIGNED NOT NULL,
	user_id		BIGINT UNSIGNED NOT NULL,
	role		ENUM('admin', 'agent', 'requester') NOT NULL,
	created_at	DATETIME NOT NULL,
	PRIMARY KEY (workspace_id, user_id),
	KEY memberships_user (user_id),
	KEY memberships_role (workspace_id, role),
	CONSTRAINT memberships_ws_fk FOREIGN KEY (workspace_id)
	    REFERENCES workspaces (id) ON DELETE CASCADE,
	CONSTRAINT memberships_user_fk FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Only the SHA-256 of an invitation token is stored.
CREATE TABLE invitations (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	workspace_id	BIGINT UNSIGNED NOT NULL,
	email		VARCHAR(254) NOT NULL,
	role		ENUM('admin', 'agent', 'requester') NOT NULL,
	token_hash	BINARY(32) NOT NULL,
	invited_by	BIGINT UNSIGNED NULL,
	created_at	DATETIME NOT NULL,
	expires_at	DATETIME NOT NULL,
	accepted_at	DATETIME NULL,
	accepted_by	BIGINT UNSIGNED NULL,
	UNIQUE KEY invitations_token (token_hash),
	KEY invitations_ws (workspace_id, id),
	CONSTRAINT invitations_ws_fk FOREIGN KEY (workspace_id)
	    REFERENCES workspaces (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
