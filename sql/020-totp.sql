-- Two-factor sign-in (issue 11, lib/domain/twofactor.h).
--
-- A person's authenticator secret: AES-256-GCM under a key derived from
-- the config's secret (nonce, ciphertext and tag in one column; the user
-- id is the associated data, so a row moved to another account does not
-- decrypt). enabled_at is NULL while enrolment waits for its first code.
-- last_step is the newest 30-second step a code was accepted for: a code
-- of that step or an older one is refused, so no code works twice.
CREATE TABLE user_totp (
	user_id		BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	secret		VARBINARY(128) NOT NULL,
	created_at	DATETIME NOT NULL,
	enabled_at	DATETIME NULL,
	last_step	BIGINT NOT NULL DEFAULT 0,
	CONSTRAINT user_totp_user_fk FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Single-use recovery codes: only the SHA-256 of each (80 random bits),
-- used_at set when it signs someone in.
CREATE TABLE totp_recovery (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	user_id		BIGINT UNSIGNED NOT NULL,
	code_hash	BINARY(32) NOT NULL,
	created_at	DATETIME NOT NULL,
	used_at		DATETIME NULL,
	KEY totp_recovery_user (user_id, used_at),
	CONSTRAINT totp_recovery_user_fk FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A workspace may require two-factor sign-in of its agents and admins.
ALTER TABLE workspaces ADD COLUMN require_2fa TINYINT(1) NOT NULL DEFAULT 0;
