#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "migrate.h"
#include "util.h"

static int
is_migration(const char *name)
{
	size_t n = strlen(name);

	return n > 8 && name[0] >= '0' && name[0] <= '9' &&
	    strspn(name, "0123456789") == 3 && name[3] == '-' &&
	    strcmp(name + n - 4, ".sql") == 0;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
read_file(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "r");
	char chunk[8192];
	size_t n;

	if (f == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(out, chunk, n);
	fclose(f);
	return 0;
}

static int
apply(const char *dir, const char *name, int verbose)
{
	struct buf path = BUF_INIT, sql = BUF_INIT;
	long long done;
	int rc = -1;

	done = db_scalar("SELECT COUNT(*) FROM schema_migrations"
	    " WHERE version = LEFT(?, 3)", "s", name);
	if (done < 0)
		goto out;
	if (done > 0) {
		rc = 0;
		goto out;
	}
	buf_printf(&path, "%s/%s", dir, name);
	if (read_file(buf_str(&path), &sql) == -1) {
		fprintf(stderr, "migrate: cannot read %s\n", buf_str(&path));
		goto out;
	}
	if (db_run_script(sql.data, sql.len) == -1) {
		fprintf(stderr, "migrate: %s failed\n", name);
		goto out;
	}
	if (db_exec("INSERT INTO schema_migrations (version, name, applied_at)"
	    " VALUES (LEFT(?, 3), ?, UTC_TIMESTAMP())", "ss", name, name) == -1)
		goto out;
	if (verbose)
		printf("applied %s\n", name);
	rc = 1;
out:
	buf_free(&path);
	buf_free(&sql);
	return rc;
}

int
migrate_run(const char *dir, int verbose)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i;
	int applied = 0, rc;

	if (db_exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " version CHAR(3) NOT NULL PRIMARY KEY,"
	    " name VARCHAR(255) NOT NULL, applied_at DATETIME NOT NULL"
	    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", "") == -1)
		return -1;
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "migrate: cannot open %s\n", dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (!is_migration(de->d_name))
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 1)	/* names is NULL when the directory has none */
		qsort(names, n, sizeof(*names), cmp);
	for (i = 0; i < n && applied >= 0; i++) {
		if ((rc = apply(dir, names[i], verbose)) == -1)
			applied = -1;
		else
			applied += rc;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return applied;
}

/* The version ("021") of the newest migration in dir into v; "" when there
 * is none. 0, or -1 when dir cannot be read. */
static int
newest(const char *dir, char v[4])
{
	DIR *d;
	struct dirent *de;

	v[0] = '\0';
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "migrate: cannot open %s\n", dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		if (is_migration(de->d_name) && strncmp(de->d_name, v, 3) > 0)
			snprintf(v, 4, "%.3s", de->d_name);
	closedir(d);
	return 0;
}

/* 1 when version v is recorded, 0 when not (or no table yet), -1. */
static long long
recorded(const char *v)
{
	long long t;

	/* Asked first so a new database does not log a missing table. */
	t = db_scalar("SELECT COUNT(*) FROM information_schema.tables"
	    " WHERE table_schema = DATABASE()"
	    " AND table_name = 'schema_migrations'", "");
	if (t <= 0)
		return t;
	return db_scalar("SELECT COUNT(*) FROM schema_migrations"
	    " WHERE version = ?", "s", v);
}

int
migrate_if_behind(const char *dir)
{
	char v[4];
	long long have;
	int n;

	if (newest(dir, v) == -1)
		return -1;
	if (v[0] == '\0' || (have = recorded(v)) > 0)
		return 0;
	if (have < 0)
		return -1;
	/* Waits for another process's run (a whole migration may take a
	 * while); a lost connection lets go of the lock by itself. */
	if (db_scalar("SELECT GET_LOCK(CONCAT('helpdesk-migrate.', DATABASE()),"
	    " 600)", "") != 1) {
		fprintf(stderr, "migrate: could not take the migration lock\n");
		return -1;
	}
	if ((have = recorded(v)) < 0)
		n = -1;
	else if (have > 0)
		n = 0;
	else
		n = migrate_run(dir, 0);
	db_scalar("SELECT RELEASE_LOCK(CONCAT('helpdesk-migrate.',"
	    " DATABASE()))", "");
	return n;
}
