/* Search terms: what typed text becomes in InnoDB's boolean mode, within
 * the bounds (at most 8 words, none shorter than 3 characters). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tickets.h"

static void
expect_terms(const char *in, const char *want, int want_dropped)
{
	int dropped = -1;
	char *got = search_terms(in, &dropped);

	assert_string_equal(got, want);
	assert_int_equal(dropped, want_dropped);
	free(got);
}

static void
test_words_are_prefixes(void **state)
{
	(void)state;
	expect_terms("refund card", "+refund* +card*", 0);
	/* Operators and quotes are separators, never syntax. */
	expect_terms("\"refund\" -card +(x*y)~ abc", "+refund* +card* +abc*",
	    SEARCH_SHORT);
	expect_terms("", "", 0);
	expect_terms("  ++--**  ", "", 0);
}

static void
test_short_words_are_dropped(void **state)
{
	(void)state;
	expect_terms("a b c", "", SEARCH_SHORT);
	expect_terms("a refund", "+refund*", SEARCH_SHORT);
	expect_terms("abc", "+abc*", 0);
	/* Characters, not bytes: "ün" is 2 characters in 4 bytes, "üni" 3. */
	expect_terms("\xc3\xbcn", "", SEARCH_SHORT);
	expect_terms("\xc3\xbcni", "+\xc3\xbcni*", 0);
	/* One character of three bytes is still one character. */
	expect_terms("\xe2\x80\x94", "", SEARCH_SHORT);
}

static void
test_at_most_eight_words(void **state)
{
	char many[50 * 8 + 1];
	int i;

	(void)state;
	expect_terms("one two three four five six seven eight",
	    "+one* +two* +three* +four* +five* +six* +seven* +eight*", 0);
	expect_terms("one two three four five six seven eight nine",
	    "+one* +two* +three* +four* +five* +six* +seven* +eight*",
	    SEARCH_MANY);
	/* Short words do not count towards the eight. */
	expect_terms("a one b two c three d four e five f six g seven h "
	    "eight", "+one* +two* +three* +four* +five* +six* +seven* "
	    "+eight*", SEARCH_SHORT);
	/* Fifty words: eight terms. */
	many[0] = '\0';
	for (i = 0; i < 50; i++)
		strcat(many, "wordxx ");
	expect_terms(many, "+wordxx* +wordxx* +wordxx* +wordxx* +wordxx* "
	    "+wordxx* +wordxx* +wordxx*", SEARCH_MANY);
}

static void
test_dropped_for_the_page(void **state)
{
	(void)state;
	assert_int_equal(search_dropped(NULL), 0);
	assert_int_equal(search_dropped(""), 0);
	assert_int_equal(search_dropped("#42"), 0);	/* a number */
	assert_int_equal(search_dropped("42"), 0);
	assert_int_equal(search_dropped("a 42 refund"), SEARCH_SHORT);
	assert_int_equal(search_dropped("1 2 3 4 5 6 7 8 9 10 11 12"),
	    SEARCH_SHORT);
	assert_int_equal(search_dropped("aaa bbb ccc ddd eee fff ggg hhh "
	    "iii"), SEARCH_MANY);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_are_prefixes),
		cmocka_unit_test(test_short_words_are_dropped),
		cmocka_unit_test(test_at_most_eight_words),
		cmocka_unit_test(test_dropped_for_the_page),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
