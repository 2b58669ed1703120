/*
 * demo: loads the demo data that `make run` shows, once. Running it again
 * changes nothing. The sign-ins it prints are for a local trial only.
 */
#include <stdio.h>

#include "config.h"
#include "db.h"
#include "users.h"
#include "util.h"

#define DEMO_PASSWORD	"demo-password"

static const struct demo_user {
	const char	*name;
	const char	*email;
	const char	*role;
} users[] = {
	{ "Ada Admin", "admin@demo.example", "admin" },
	{ "Alan Agent", "agent@demo.example", "agent" },
	{ "Grace Requester", "requester@demo.example", "requester" },
};

int
main(void)
{
	size_t i;

	if (config_load() == -1)
		return 1;
	if (db_connect() == -1) {
		fprintf(stderr, "demo: cannot connect to the database\n");
		return 1;
	}
	for (i = 0; i < nitems(users); i++) {
		long long id;
		int rc = user_create(users[i].name, users[i].email,
		    DEMO_PASSWORD, &id);

		if (rc == -1) {
			fprintf(stderr, "demo: cannot create %s\n",
			    users[i].email);
			return 1;
		}
	}
	printf("Demo sign-ins (password for each: %s):\n", DEMO_PASSWORD);
	for (i = 0; i < nitems(users); i++)
		printf("  %-10s %s\n", users[i].role, users[i].email);
	db_close();
	return 0;
}
