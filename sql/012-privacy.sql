-- The user's rights (issue 10): which policy version each person accepted
-- or was shown, the consents they gave and withdrew, account deletion by
-- mail, and what erasing a person does to what they wrote.

-- One row per person and policy version: at sign-up ('signup', the
-- version accepted) or when the notice of a new version was shown
-- ('notice'). A person with no row for the current version sees the
-- notice on their next page.
CREATE TABLE policy_acks (
	user_id		BIGINT UNSIGNED NOT NULL,
	version		VARCHAR(40) NOT NULL,
	how		ENUM('signup', 'notice') NOT NULL,
	created_at	DATETIME NOT NULL,
	PRIMARY KEY (user_id, version),
	CONSTRAINT policy_acks_user_fk FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Optional processing (usage analytics, product email) is off until a
-- person grants it. Append-only: every grant and every withdrawal is a
-- row; the newest row per purpose is the current answer.
CREATE TABLE consents (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	user_id		BIGINT UNSIGNED NOT NULL,
	purpose		VARCHAR(32) CHARACTER SET ascii NOT NULL,
	granted		TINYINT(1) NOT NULL,
	policy_version	VARCHAR(40) NOT NULL,
	created_at	DATETIME NOT NULL,
	KEY consents_user (user_id, purpose, id),
	CONSTRAINT consents_user_fk FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A person without a password deletes their account through a mailed
-- link.
ALTER TABLE account_tokens
	MODIFY kind ENUM('reset', 'confirm', 'delete') NOT NULL;

-- When a person is erased, what they wrote in this workspace: kept under
-- "Deleted user" (0, the default: threads stay readable) or replaced by
-- a line saying it was removed (1).
ALTER TABLE workspaces ADD COLUMN erase_text TINYINT(1) NOT NULL DEFAULT 0;
