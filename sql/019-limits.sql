-- The general rate limiter (lib/domain/ratelimit.h, issue 11): one
-- counter row per key and fixed window instead of one row per request.
-- The key is the SHA-256 of "ACTION:user:ID", "ACTION:client:ADDRESS" or
-- "KIND:address:EMAIL", so no address is kept in the clear; win_end is
-- the end of the window in Unix seconds (windows are aligned to
-- multiples of their length). A request adds one to each of its keys'
-- rows (INSERT .. ON DUPLICATE KEY UPDATE) and reads them back by the
-- primary key; rows of past windows are deleted by the limiter itself, a
-- hundred at a time, when it starts a new window.
CREATE TABLE rate_counts (
	key_hash	BINARY(32) NOT NULL,
	win_end		BIGINT NOT NULL,
	hits		INT UNSIGNED NOT NULL,
	PRIMARY KEY (key_hash, win_end),
	KEY rate_counts_end (win_end)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The event log it replaces held only the account mails' last hour.
DROP TABLE rate_events;
