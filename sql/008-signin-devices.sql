-- Sign-in throttling per account and source (lib/throttle.c): a failure
-- remembers the browser's device cookie (its SHA-256, hex) when it had a
-- valid one for that account, so a known browser's own failures are
-- counted apart from everyone else's.
ALTER TABLE signin_failures
	ADD COLUMN device CHAR(64) CHARACTER SET ascii NULL AFTER ip,
	ADD KEY signin_failures_pair (email, ip, created_at),
	ADD KEY signin_failures_device (device, created_at);
