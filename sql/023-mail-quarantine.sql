-- The quarantine of incoming mail (issue 12, lib/domain/quarantine.h):
-- how long a workspace keeps what waits in it, where the config's
-- retention_quarantine_days does not apply (NULL: the default; days,
-- within RET_QUARANTINE_MAX of retention.h). Mail of no workspace keeps
-- the config's.
ALTER TABLE workspaces ADD COLUMN retain_quarantine_days INT UNSIGNED NULL;
