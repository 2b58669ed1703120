/* migrate: applies new sql/ migrations to the configured database. */
#include <stdio.h>

#include "config.h"
#include "db.h"
#include "migrate.h"

int
main(void)
{
	int n;

	if (config_load() == -1)
		return 1;
	/* ALTER TABLE tickets rebuilds a table of a million rows and its
	 * full-text indexes for minutes: the 30 s read timeout of the web
	 * programs ended 027 half-applied at the bench's million tickets. */
	db_patient();
	if (db_connect() == -1) {
		fprintf(stderr, "migrate: cannot connect to the database\n");
		return 1;
	}
	if ((n = migrate_run(cfg.sql_dir, 1)) < 0)
		return 1;
	printf("migrations: %d applied, database up to date\n", n);
	db_close();
	return 0;
}
