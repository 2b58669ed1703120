/*
 * migrate: applies sql/NNN-name.sql files in order, each once, recording
 * each in schema_migrations. A file is applied whole or the run stops at
 * it (MariaDB commits DDL statement by statement, so keep a migration to
 * statements that are safe to re-run, or to one DDL statement).
 */
#ifndef HD_MIGRATE_H
#define HD_MIGRATE_H

/* Returns the number applied, or -1 (the reason is on stderr). */
int	migrate_run(const char *dir, int verbose);

/*
 * For a program that migrates on its own (auto_migrate, shared hosting):
 * when the newest file of dir is not yet recorded, takes a database-wide
 * lock (GET_LOCK, held by this connection), looks again, since another
 * process may have migrated while this one waited, and applies what is
 * still missing. Two first requests at once apply each file once. Returns
 * the number applied (0 when up to date: two cheap queries), or -1.
 */
int	migrate_if_behind(const char *dir);

#endif
