-- Suspending a member (issue 11): an admin takes a member's access to one
-- workspace away without deleting anything, and gives it back. The
-- membership stays (with its role), so lifting restores it as it was; the
-- web core refuses a suspended member every page of the workspace
-- (lib/web/server.c, membership_load). suspended_by is the admin's id,
-- kept for the members page; the audit log has who did what and when.
ALTER TABLE memberships
	ADD COLUMN suspended_at DATETIME NULL,
	ADD COLUMN suspended_by BIGINT UNSIGNED NULL;
