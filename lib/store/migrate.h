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

#endif
