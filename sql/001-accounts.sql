-- Accounts, sessions, sign-in throttling and the activity log.
-- All times are UTC (every connection sets time_zone = '+00:00').

CREATE TABLE users (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name		VARCHAR(100) NOT NULL,
	-- Stored lower-cased; the case-insensitive collation keeps it unique
	-- regardless of case for non-ASCII letters too.
	email		VARCHAR(254) NOT NULL COLLATE utf8mb4_unicode_ci,
	password_hash	VARCHAR(255) NULL,
	created_at	DATETIME NOT NULL,
	updated_at	DATETIME NOT NULL,
	deleted_at	DATETIME NULL,
	UNIQUE KEY users_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Only the SHA-256 of a session token is stored.
CREATE TABLE sessions (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	token_hash	BINARY(32) NOT NULL,
	user_id		BIGINT UNSIGNED NOT NULL,
	created_at	DATETIME NOT NULL,
	last_seen_at	DATETIME NOT NULL,
	ip		VARCHAR(45) NOT NULL,
	user_agent	VARCHAR(255) NOT NULL,
	UNIQUE KEY sessions_token (token_hash),
	KEY sessions_user (user_id),
	CONSTRAINT sessions_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
	    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE signin_failures (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	email		VARCHAR(254) NOT NULL,
	ip		VARCHAR(45) NOT NULL,
	created_at	DATETIME NOT NULL,
	KEY signin_failures_email (email, created_at),
	KEY signin_failures_ip (ip, created_at),
	KEY signin_failures_time (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- workspace_id has no foreign key yet: workspaces come in a later
-- migration, and audit rows outlive the objects they name.
CREATE TABLE audit_log (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	workspace_id	BIGINT UNSIGNED NULL,
	actor_id	BIGINT UNSIGNED NULL,
	action		VARCHAR(64) NOT NULL,
	object_type	VARCHAR(32) NOT NULL,
	object_id	BIGINT UNSIGNED NULL,
	ip		VARCHAR(45) NOT NULL,
	user_agent	VARCHAR(255) NOT NULL,
	created_at	DATETIME NOT NULL,
	KEY audit_workspace (workspace_id, id),
	KEY audit_actor (actor_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
