-- Account mail (lib/domain/tokens.h, ratelimit.h): a confirmed address,
-- single-use links for password reset and email confirmation (only their
-- SHA-256 is kept), and the small limiter of requests that send mail.

-- When the address was confirmed; NULL: not yet. Accounts made before
-- this migration count as confirmed (they were trusted until now, and
-- nobody could have confirmed them).
ALTER TABLE users ADD COLUMN email_confirmed_at DATETIME NULL AFTER email;
UPDATE users SET email_confirmed_at = created_at;

-- One table for every kind of account link: 'reset' (a new password) and
-- 'confirm' (the address in email becomes the account's, confirmed: a
-- new account's own, or a change to a new one).
CREATE TABLE account_tokens (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	user_id		BIGINT UNSIGNED NOT NULL,
	kind		ENUM('reset', 'confirm') NOT NULL,
	token_hash	BINARY(32) NOT NULL,
	-- The address the link was sent to (for 'confirm', the one it
	-- confirms).
	email		VARCHAR(254) NOT NULL COLLATE utf8mb4_unicode_ci,
	created_at	DATETIME NOT NULL,
	expires_at	DATETIME NOT NULL,
	used_at		DATETIME NULL,
	UNIQUE KEY account_tokens_token (token_hash),
	KEY account_tokens_user (user_id, kind),
	KEY account_tokens_expiry (expires_at),
	CONSTRAINT account_tokens_user_fk FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Requests that send mail, counted per key in a window: the key is the
-- SHA-256 of "KIND:address:EMAIL" or "KIND:client:IP", so the limiter
-- keeps no address in the clear.
CREATE TABLE rate_events (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	key_hash	BINARY(32) NOT NULL,
	created_at	DATETIME NOT NULL,
	KEY rate_events_key (key_hash, created_at),
	KEY rate_events_time (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
