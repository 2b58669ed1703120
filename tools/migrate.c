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
