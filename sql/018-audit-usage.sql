-- Log data, usage data and an audit log you can use (issue 11).
--
-- usage_daily: which pages and features each workspace uses, counted per
-- day, only for requests by people who consented to usage data
-- (consent purpose 'usage'). Aggregated: no person, address or browser
-- is in it. Retention purges it by day (usage_day).
CREATE TABLE usage_daily (
	workspace_id	BIGINT UNSIGNED NOT NULL,
	day		DATE NOT NULL,
	feature		VARCHAR(40) CHARACTER SET ascii NOT NULL,
	n		BIGINT UNSIGNED NOT NULL DEFAULT 0,
	PRIMARY KEY (workspace_id, day, feature),
	KEY usage_day (day),
	CONSTRAINT usage_daily_ws_fk FOREIGN KEY (workspace_id)
	    REFERENCES workspaces (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- detail: what an action's words need beyond its object (a role
-- change's new role): a fixed word the code wrote, never input or
-- personal data. Added last and alone, so MariaDB adds it instantly,
-- without copying the table; the indexes are built in place after.
--
-- The admin's audit page filters a workspace's log by person, action and
-- date range, newest first, in keyset pages (lib/domain/audit.c says
-- which index each filter uses, measured with EXPLAIN; InnoDB appends
-- the primary key, id, to every secondary index):
--   action                  audit_ws_action      (workspace_id, action, id)
--   dates (and action)      audit_ws_time        (workspace_id, created_at),
--                           from 016 (retention reads it too)
--   person and dates        audit_ws_actor_time  (workspace_id, actor_id,
--                                                 created_at)
--   person (and action)     audit_actor          (actor_id, id), from 001
--   none                    audit_workspace      (workspace_id, id), from 001
ALTER TABLE audit_log
	ADD COLUMN detail VARCHAR(32) CHARACTER SET ascii NULL;
ALTER TABLE audit_log
	ADD KEY audit_ws_action (workspace_id, action, id),
	ADD KEY audit_ws_actor_time (workspace_id, actor_id, created_at);
