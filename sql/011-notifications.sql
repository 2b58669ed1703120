-- Notifications (lib/domain/notify.h): what each person turned off, and
-- where a workspace's mail about new tickets goes.

-- One row per kind a person turned off; no row is on (the default).
-- Per person, not per workspace: "mail me about replies" means the same
-- in every workspace they are in.
CREATE TABLE notification_prefs (
	user_id		BIGINT UNSIGNED NOT NULL,
	kind		VARCHAR(32) CHARACTER SET ascii NOT NULL,
	created_at	DATETIME NOT NULL,
	PRIMARY KEY (user_id, kind),
	CONSTRAINT notification_prefs_user_fk FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Who is told of a new ticket: NULL every agent and admin (the
-- default), '' nobody, or one address (a team's shared inbox).
ALTER TABLE workspaces ADD COLUMN new_ticket_mail VARCHAR(254) NULL;
