-- Retention (issue 11, lib/domain/retention.h, tools/retention.c): what
-- a workspace chose where the config's defaults (retention_* keys,
-- INSTALL) apply to it; NULL is "the default". The indexes let the
-- retention program find old rows by time in a bounded range instead of
-- reading whole tables that the web programs write.

-- Per workspace: days, 0 = never, within the bounds of retention.h.
ALTER TABLE workspaces
	ADD COLUMN retain_close_solved_days INT UNSIGNED NULL,
	ADD COLUMN retain_closed_days INT UNSIGNED NULL,
	-- What happens to a ticket closed for retain_closed_days.
	ADD COLUMN retain_closed_action ENUM('delete', 'anonymise') NULL,
	ADD COLUMN retain_audit_days INT UNSIGNED NULL,
	ADD COLUMN retain_usage_days INT UNSIGNED NULL,
	ADD COLUMN retain_invitations_days INT UNSIGNED NULL;

-- A closed ticket whose text and people were removed (docs/decisions.md,
-- "Retention"): it stays in the queue's counts, once.
ALTER TABLE tickets ADD COLUMN anonymised_at DATETIME NULL,
	ADD KEY tickets_retention (workspace_id, status, anonymised_at,
	    updated_at);

-- Old audit rows of a workspace (and of none: sign-ins) by time; the
-- audit page's date filter reads the same index (018-audit-usage.sql).
ALTER TABLE audit_log ADD KEY audit_ws_time (workspace_id, created_at);
-- Expired sessions: idle (last_seen_at) or past their absolute limit.
ALTER TABLE sessions ADD KEY sessions_seen (last_seen_at),
	ADD KEY sessions_created (created_at);
-- Accounts that never confirmed their address.
ALTER TABLE users ADD KEY users_unconfirmed (email_confirmed_at, created_at);
-- Accepted invitations by when (expired ones use expires_at below).
ALTER TABLE invitations ADD KEY invitations_expiry (workspace_id, expires_at),
	ADD KEY invitations_accepted (workspace_id, accepted_at);
