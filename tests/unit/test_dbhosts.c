/*
 * db_hosts (config.h): the list of database nodes, "host:port,host:port",
 * read entry by entry by db_connect and the sandbox (lib/web/landlock.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"

static void
test_entries(void **state)
{
	struct dbhost h;

	(void)state;
	cfg.db_hosts = "10.0.0.1:3306, 10.0.0.2:3307 ,127.0.0.1:1";
	assert_int_equal(config_db_host(0, &h), 0);
	assert_string_equal(h.host, "10.0.0.1");
	assert_int_equal(h.port, 3306);
	assert_int_equal(config_db_host(1, &h), 0);
	assert_string_equal(h.host, "10.0.0.2");
	assert_int_equal(h.port, 3307);
	assert_int_equal(config_db_host(2, &h), 0);
	assert_string_equal(h.host, "127.0.0.1");
	assert_int_equal(h.port, 1);
	assert_int_equal(config_db_host(3, &h), 1);
	cfg.db_hosts = "";
	assert_int_equal(config_db_host(0, &h), 1);
	cfg.db_hosts = NULL;
	assert_int_equal(config_db_host(0, &h), 1);
}

static void
test_malformed(void **state)
{
	static const char *bad[] = {
		"10.0.0.1", "10.0.0.1:", ":3306", "10.0.0.1:0",
		"10.0.0.1:65536", "10.0.0.1:33x6", "db1:3306",
		"10.0.0.1:3306 x", "10.0.0.1:1234567",
	};
	struct dbhost h;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cfg.db_hosts = bad[i];
		if (config_db_host(0, &h) != -1)
			fail_msg("accepted: %s", bad[i]);
	}
	/* An entry after a good one is checked when it is read. */
	cfg.db_hosts = "10.0.0.1:3306,nope";
	assert_int_equal(config_db_host(0, &h), 0);
	assert_int_equal(config_db_host(1, &h), -1);
	cfg.db_hosts = NULL;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
