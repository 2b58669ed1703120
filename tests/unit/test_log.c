/* Log redaction: a path that carries a secret is logged up to the secret. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "log.h"

#define TOKEN "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void
test_path_len(void **state)
{
	(void)state;
	assert_int_equal(log_path_len("/invite/" TOKEN), 8);
	assert_int_equal(log_path_len("/invite/" TOKEN "/x"), 8);
	assert_int_equal(log_path_len("//invite/" TOKEN), 9);
	assert_int_equal(log_path_len("/INVITE/" TOKEN), 8);
	assert_int_equal(log_path_len("/x/invite/" TOKEN), 10);
	assert_int_equal(log_path_len("/invite/"), 8);
	assert_int_equal(log_path_len("/w/acme/tickets/42"), 18);
	assert_int_equal(log_path_len("/invite"), 7);
	assert_int_equal(log_path_len(""), 0);
	/* The account's links (issue 9). */
	assert_int_equal(log_path_len("/password/reset/" TOKEN), 16);
	assert_int_equal(log_path_len("/Password/Reset/" TOKEN), 16);
	assert_int_equal(log_path_len("/email/confirm/" TOKEN), 15);
	/* The mailed confirmation of an account deletion (issue 10). */
	assert_int_equal(log_path_len("/account/delete/link/" TOKEN), 21);
	assert_int_equal(log_path_len("/password/forgot"), 16);
}

/* The line written to stderr never holds the token. */
static void
test_request_line(void **state)
{
	char line[1024];
	FILE *f = tmpfile();
	int saved = dup(2);
	size_t n;

	(void)state;
	assert_non_null(f);
	fflush(stderr);
	dup2(fileno(f), 2);
	log_request("GET", "/invite/" TOKEN, 200, 1.0, 3);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	n = fread(line, 1, sizeof(line) - 1, f);
	line[n] = '\0';
	fclose(f);
	assert_non_null(strstr(line, "req GET /invite/[secret] 200"));
	assert_non_null(strstr(line, " sql=3 "));
	assert_null(strstr(line, TOKEN));
	assert_null(strstr(line, "0123456789abcdef"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_len),
		cmocka_unit_test(test_request_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
