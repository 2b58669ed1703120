/*
 * The limiter's parts that need no database: limit_NAME = N/SECONDS in
 * the config (refused when malformed, so a typo never means "no limit"),
 * and the words of a refusal, in the largest unit that says the wait.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"
#include "ratelimit.h"

static void
env(const char *reply)
{
	setenv("HELPDESK_CONFIG", "/nonexistent/helpdesk.conf", 1);
	setenv("HELPDESK_SECRET", "0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef", 1);
	if (reply)
		setenv("HELPDESK_LIMIT_REPLY", reply, 1);
	else
		unsetenv("HELPDESK_LIMIT_REPLY");
}

static void
test_defaults(void **state)
{
	(void)state;
	env(NULL);
	assert_int_equal(config_load(), 0);
	assert_int_equal(cfg.limit_reply.n, 120);
	assert_int_equal(cfg.limit_reply.window, 3600);
	assert_int_equal(cfg.limit_ticket_create.n, 30);
	assert_int_equal(cfg.limit_signin_alert.n, 1);
	assert_int_equal(cfg.limit_signin_alert.window, 86400);
	assert_int_equal(cfg.signin_alert_after, 10);
}

static void
test_parse(void **state)
{
	static const char *const bad[] = {
		"", "30", "30/", "/3600", "0/3600", "30/0", "30/604801",
		"-1/60", "30/3600/1", "30 /3600", "x/3600", "30/1h",
	};
	size_t i;

	(void)state;
	env("5/60");
	assert_int_equal(config_load(), 0);
	assert_int_equal(cfg.limit_reply.n, 5);
	assert_int_equal(cfg.limit_reply.window, 60);
	env("1/604800");
	assert_int_equal(config_load(), 0);
	assert_int_equal(cfg.limit_reply.window, 604800);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		env(bad[i]);
		if (config_load() != -1)
			fail_msg("limit_reply = '%s' was accepted", bad[i]);
	}
}

static void
test_words(void **state)
{
	static const struct { long long wait; const char *end; } cases[] = {
		{ 1, "Try again in 1 second." },
		{ 59, "Try again in 59 seconds." },
		{ 60, "Try again in 1 minute." },
		{ 61, "Try again in 2 minutes." },
		{ 7199, "Try again in 120 minutes." },
		{ 7200, "Try again in 2 hours." },
		{ 86400, "Try again in 24 hours." },
		{ 172800, "Try again in 2 days." },
		{ 604800, "Try again in 7 days." },
	};
	char buf[160];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rate_refusal(RATE_REPLY, cases[i].wait, buf, sizeof(buf));
		if (strstr(buf, "You have sent many replies in a short time. ")
		    != buf || strstr(buf, cases[i].end) == NULL)
			fail_msg("%lld s: '%s'", cases[i].wait, buf);
	}
	/* A short buffer is cut, never overrun. */
	rate_refusal(RATE_SIGNUP, 30, buf, 10);
	assert_int_equal(strlen(buf), 9);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
