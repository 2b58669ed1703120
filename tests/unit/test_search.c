/* Search terms: what typed text becomes in InnoDB's boolean mode, within
 * the bounds (at most 8 words, none shorter than 3 characters). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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
	expect_terms("\xe6\x9d\xb1\xe4\xba\xac", "", SEARCH_SHORT);
}

/* Words are cut where InnoDB FULLTEXT cuts them (wordchar.h), whatever
 * the punctuation: otherwise a search for "foo—barbaz" asks for a word
 * no index holds. */
static void
test_terms_split_as_innodb(void **state)
{
	(void)state;
	/* An em dash, curly quotes and an emoji split words. */
	expect_terms("foo\xe2\x80\x94" "barbaz", "+foo* +barbaz*", 0);
	expect_terms("\xe2\x80\x9cprinter\xe2\x80\x9d", "+printer*", 0);
	expect_terms("don\xe2\x80\x99t", "+don*", SEARCH_SHORT);
	expect_terms("abc\xf0\x9f\x98\x80" "def", "+abc* +def*", 0);
	/* '_' is part of a word for InnoDB; a lone em dash is no word. */
	expect_terms("foo_bar", "+foo_bar*", 0);
	expect_terms("\xe2\x80\x94", "", 0);
	/* Letters of other scripts are letters: "Straße", "東京都". */
	expect_terms("Stra\xc3\x9f" "e", "+Stra\xc3\x9f" "e*", 0);
	expect_terms("\xe6\x9d\xb1\xe4\xba\xac\xe9\x83\xbd",
	    "+\xe6\x9d\xb1\xe4\xba\xac\xe9\x83\xbd*", 0);
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

/* The segments of text for the search q, as "plain[hit]plain". */
static void
expect_marks(const char *text, const char *q, const char *want)
{
	struct json_object *list = search_highlight(text, q), *o, *v;
	char got[512] = "";
	size_t i;

	for (i = 0; i < json_object_array_length(list); i++) {
		o = json_object_array_get_idx(list, i);
		json_object_object_get_ex(o, "hit", &v);
		if (json_object_get_boolean(v))
			strcat(got, "[");
		json_object_object_get_ex(o, "text", &v);
		/* No empty segment: every one is text or a hit. */
		assert_true(json_object_get_string_len(v) > 0);
		strcat(got, json_object_get_string(v));
		json_object_object_get_ex(o, "hit", &v);
		if (json_object_get_boolean(v))
			strcat(got, "]");
	}
	assert_string_equal(got, want);
	json_object_put(list);
}

static void
test_highlight_prefixes(void **state)
{
	(void)state;
	/* Each word of the search as a prefix of a word of the text. */
	expect_marks("Refund for card payment", "refund card",
	    "[Refund] for [card] payment");
	expect_marks("Refunded cards", "refund card", "[Refund]ed [card]s");
	/* Not inside a word: "fund" does not start "Refund". */
	expect_marks("Refund", "fund", "Refund");
	/* The longest matching word wins. */
	expect_marks("Refunding", "ref refund", "[Refund]ing");
	/* Every occurrence. */
	expect_marks("card, card; CARD", "card", "[card], [card]; [CARD]");
	/* Operators typed are separators, as in the search. */
	expect_marks("refund now", "+\"refund\"*", "[refund] now");
}

static void
test_highlight_what_is_not_searched(void **state)
{
	(void)state;
	/* A ticket number, no words, short words: nothing marked. */
	expect_marks("Order 123 late", "#123", "Order 123 late");
	expect_marks("Order 123 late", "123", "Order 123 late");
	expect_marks("ab cd", "ab", "ab cd");
	expect_marks("anything", NULL, "anything");
	expect_marks("anything", "", "anything");
	expect_marks("", "word", "");
	/* After the eighth word, no more are searched, so none marked. */
	expect_marks("one two three four five six seven eight nine",
	    "one two three four five six seven eight nine",
	    "[one] [two] [three] [four] [five] [six] [seven] [eight] nine");
}

static void
test_highlight_utf8(void **state)
{
	(void)state;
	/* Case-insensitive beyond ASCII: Ü and ü, Ł and ł, Σ and σ, Д
	 * and д; whole characters only. */
	expect_marks("\xc3\x9c" "berweisung fehlt", "\xc3\xbc" "berw",
	    "[\xc3\x9c" "berw]eisung fehlt");
	expect_marks("\xc5\x81\xc3\xb3" "d\xc5\xba", "\xc5\x82\xc3\xb3" "d",
	    "[\xc5\x81\xc3\xb3" "d]\xc5\xba");
	expect_marks("\xce\xa3\xce\xa6\xce\x91\xce\x9b\xce\x9c\xce\x91",
	    "\xcf\x83\xcf\x86\xce\xb1", "[\xce\xa3\xce\xa6\xce\x91]"
	    "\xce\x9b\xce\x9c\xce\x91");
	expect_marks("\xd0\x94\xd0\xbe\xd1\x81\xd1\x82\xd0\xb0\xd0\xb2\xd0"
	    "\xba\xd0\xb0", "\xd0\xb4\xd0\xbe\xd1\x81",
	    "[\xd0\x94\xd0\xbe\xd1\x81]\xd1\x82\xd0\xb0\xd0\xb2\xd0\xba"
	    "\xd0\xb0");
	/* A three-byte character after the match stays whole. */
	expect_marks("caf\xe2\x82\xac", "caf", "[caf]\xe2\x82\xac");
	/* A different character with the same first byte is no match:
	 * "ü" (c3 bc) is not "ö" (c3 b6). */
	expect_marks("\xc3\xbc" "ber", "\xc3\xb6" "ber", "\xc3\xbc" "ber");
	/* Invalid bytes are left as they are, never read past the end. */
	expect_marks("abc\xc3", "abc", "[abc]\xc3");
}

static void
test_highlight_keeps_text(void **state)
{
	(void)state;
	/* Markup in a subject is text to the segments; the template
	 * escapes each one. */
	expect_marks("<script>alert(1)</script> script", "script",
	    "<[script]>alert(1)</[script]> [script]");
}

/* The snippet as expect_marks writes segments; "(none)" for NULL. */
static void
expect_snippet(const char *text, const char *q, const char *want)
{
	struct json_object *list = search_snippet(text, q), *o, *v;
	char got[1024] = "";
	size_t i;

	if (list == NULL) {
		assert_string_equal("(none)", want);
		return;
	}
	for (i = 0; i < json_object_array_length(list); i++) {
		int hit;

		o = json_object_array_get_idx(list, i);
		json_object_object_get_ex(o, "hit", &v);
		hit = json_object_get_boolean(v);
		json_object_object_get_ex(o, "text", &v);
		strcat(got, hit ? "[" : "");
		strcat(got, json_object_get_string(v));
		strcat(got, hit ? "]" : "");
	}
	assert_string_equal(got, want);
	json_object_put(list);
}

static void
test_snippet(void **state)
{
	char longtext[2000], *p;
	int i;

	(void)state;
	/* Short text: all of it, whitespace runs as one space. */
	expect_snippet("The refund\n\n  was   late.", "refund",
	    "The [refund] was late.");
	/* No hit, no words, a number: no snippet. */
	expect_snippet("Nothing here", "refund", "(none)");
	expect_snippet("Order 42", "#42", "(none)");
	expect_snippet("Order 42", "", "(none)");
	expect_snippet(NULL, "refund", "(none)");
	/* Long text: cut at words before and after, with ellipses; the
	 * first hit is inside, 60 bytes of context at most before it. */
	p = longtext;
	for (i = 0; i < 30; i++)
		p += sprintf(p, "word%02d ", i);
	p += sprintf(p, "Refunded twice ");
	for (i = 30; i < 100; i++)
		p += sprintf(p, "word%02d ", i);
	expect_snippet(longtext, "refund",
	    "\xe2\x80\xa6 word22 word23 word24 word25 word26 word27 word28 "
	    "word29 [Refund]ed twice word30 word31 word32 word33 word34 word35 "
	    "word36 word37 word38 word39 word40 word41 word42 word43 word44 "
	    "word45 word46 word47 word48 word49 word50 word51 word52 word53 "
	    "\xe2\x80\xa6");
	/* A cut never splits a character: 200 two-byte letters in one
	 * word, then the hit. */
	p = longtext;
	for (i = 0; i < 200; i++)
		p += sprintf(p, "\xc3\xa9");
	sprintf(p, " refund");
	expect_snippet(longtext, "refund", "\xe2\x80\xa6 [refund]");
}

struct collected {
	char	buf[512];
	int	n;
};

static void
collect(const char *w, size_t n, void *arg)
{
	struct collected *c = arg;
	size_t at = strlen(c->buf);

	snprintf(c->buf + at, sizeof(c->buf) - at, "%s%.*s", c->n++ ? "," :
	    "", (int)n, w);
}

static void
expect_doc_words(const char *text, const char *want, int want_n)
{
	struct collected c = { "", 0 };

	assert_int_equal(search_doc_words(text, strlen(text), collect, &c),
	    want_n);
	/* Which of "The" and "the" is kept is the sort's choice. */
	if (strcasecmp(c.buf, want) != 0)
		fail_msg("got \"%s\", want \"%s\"", c.buf, want);
	assert_int_equal(c.n, want_n);
}

static void
test_doc_words(void **state)
{
	char longword[100];

	(void)state;
	/* Distinct words of 3+ characters, ASCII case folded, in order. */
	expect_doc_words("The printer, the PRINTER and a Zeppelin.",
	    "and,printer,zeppelin", 3);
	/* InnoDB's stopwords are not indexed ("the" finds "them", never
	 * "the"), in any case. */
	expect_doc_words("About THE thing, with them: WHERE, www, und",
	    "them,thing", 2);
	/* Split where InnoDB splits: em dash, curly quotes, emoji; '_' and
	 * letters of any script (up to U+FFFF) are part of a word. */
	expect_doc_words("foo\xe2\x80\x94" "barbaz "
	    "\xe2\x80\x9cquoted\xe2\x80\x9d",
	    "barbaz,foo,quoted", 3);
	expect_doc_words("abc\xf0\x9f\x98\x80" "def snake_case",
	    "abc,def,snake_case", 3);
	expect_doc_words("caf\xc3\xa9 \xe6\x9d\xb1\xe4\xba\xac\xe9\x83\xbd",
	    "caf\xc3\xa9,\xe6\x9d\xb1\xe4\xba\xac\xe9\x83\xbd", 2);
	/* An apostrophe splits, as InnoDB does: "doesn" "t". */
	expect_doc_words("it doesn't", "doesn", 1);
	expect_doc_words("", "", 0);
	expect_doc_words("a b c -- ++", "", 0);
	/* Characters, not bytes: "üni" is 3, "ün" is 2. */
	expect_doc_words("\xc3\xbcn \xc3\xbcni", "\xc3\xbcni", 1);
	/* At most 84 characters: longer words are not indexed by InnoDB. */
	memset(longword, 'x', 84);
	longword[84] = '\0';
	expect_doc_words(longword, longword, 1);
	memset(longword, 'x', 85);
	longword[85] = '\0';
	expect_doc_words(longword, "", 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_are_prefixes),
		cmocka_unit_test(test_short_words_are_dropped),
		cmocka_unit_test(test_terms_split_as_innodb),
		cmocka_unit_test(test_at_most_eight_words),
		cmocka_unit_test(test_dropped_for_the_page),
		cmocka_unit_test(test_highlight_prefixes),
		cmocka_unit_test(test_highlight_what_is_not_searched),
		cmocka_unit_test(test_highlight_utf8),
		cmocka_unit_test(test_highlight_keeps_text),
		cmocka_unit_test(test_snippet),
		cmocka_unit_test(test_doc_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
