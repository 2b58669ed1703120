/*
 * useragent_words: real User-Agent headers, as browsers, tools and bots
 * send them, in the words the "Your data" page shows; and headers that
 * must never come back: whatever was sent, the answer is built from our
 * own words and fits the buffer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "parse.h"

static const struct {
	const char	*ua;
	const char	*words;
} cases[] = {
	/* Chrome */
	{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
	  "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
	  "Chrome on Windows" },
	{ "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
	  "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
	  "Chrome on macOS" },
	{ "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
	  "Gecko) Chrome/120.0.0.0 Safari/537.36", "Chrome on Linux" },
	{ "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like "
	  "Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
	  "Chrome on an Android phone" },
	{ "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, "
	  "like Gecko) Chrome/120.0.0.0 Safari/537.36",
	  "Chrome on an Android tablet" },
	{ "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) "
	  "AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 "
	  "Mobile/15E148 Safari/604.1", "Chrome on an iPhone" },
	{ "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, "
	  "like Gecko) Chrome/120.0.0.0 Safari/537.36", "Chrome on ChromeOS" },
	/* Edge */
	{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
	  "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
	  "Edge on Windows" },
	{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
	  "(KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19582",
	  "Edge on Windows" },
	{ "Mozilla/5.0 (Linux; Android 10; HD1913) AppleWebKit/537.36 (KHTML, "
	  "like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36 "
	  "EdgA/120.0.2210.115", "Edge on an Android phone" },
	{ "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) "
	  "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 "
	  "EdgiOS/120.2210.126 Mobile/15E148 Safari/605.1.15",
	  "Edge on an iPhone" },
	/* Firefox */
	{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 "
	  "Firefox/121.0", "Firefox on Windows" },
	{ "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.2; rv:121.0) "
	  "Gecko/20100101 Firefox/121.0", "Firefox on macOS" },
	{ "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 "
	  "Firefox/121.0", "Firefox on Linux" },
	{ "Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 "
	  "Firefox/121.0", "Firefox on an Android phone" },
	{ "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) "
	  "AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/121.0 Mobile/15E148 "
	  "Safari/605.1.15", "Firefox on an iPhone" },
	/* Safari */
	{ "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
	  "(KHTML, like Gecko) Version/17.2 Safari/605.1.15", "Safari on macOS" },
	{ "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) "
	  "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 "
	  "Safari/604.1", "Safari on an iPhone" },
	{ "Mozilla/5.0 (iPad; CPU OS 17_2 like Mac OS X) AppleWebKit/605.1.15 "
	  "(KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
	  "Safari on an iPad" },
	/* Opera */
	{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
	  "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/106.0.0.0",
	  "Opera on Windows" },
	{ "Mozilla/5.0 (Linux; Android 10; VOG-L29) AppleWebKit/537.36 (KHTML, "
	  "like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36 OPR/79.0.4195.76",
	  "Opera on an Android phone" },
	{ "Opera/9.80 (X11; Linux i686; Ubuntu/14.10) Presto/2.12.388 "
	  "Version/12.16", "Opera on Linux" },
	/* Samsung Internet */
	{ "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S918B) AppleWebKit/537.36 "
	  "(KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile "
	  "Safari/537.36", "Samsung Internet on an Android phone" },
	/* Internet Explorer */
	{ "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
	  "Internet Explorer on Windows" },
	/* An app's web view: a device, no browser. */
	{ "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) "
	  "AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
	  "A browser on an iPhone" },
	/* Tools */
	{ "curl/7.88.1", "curl" },
	{ "Wget/1.21.3", "Wget" },
	{ "python-requests/2.31.0", "A Python script" },
	{ "Go-http-client/1.1", "A Go program" },
	{ "okhttp/4.12.0", "An Android app" },
	/* Bots, some of which claim Chrome too */
	{ "Mozilla/5.0 (compatible; Googlebot/2.1; "
	  "+http://www.google.com/bot.html)", "Googlebot" },
	{ "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) "
	  "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.129 Mobile "
	  "Safari/537.36 (compatible; Googlebot/2.1; "
	  "+http://www.google.com/bot.html)", "Googlebot" },
	{ "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; "
	  "bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 "
	  "Safari/537.36", "Bingbot" },
	{ "Mozilla/5.0 (compatible; SemrushBot/7~bl; "
	  "+http://www.semrush.com/bot.html)", "A bot" },
	{ "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
	  "Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
	  "A headless browser" },
	/* A phone maker whose name holds "bot" is not a bot. */
	{ "Mozilla/5.0 (Linux; Android 12; CUBOT KINGKONG 7) AppleWebKit/537.36 "
	  "(KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
	  "Chrome on an Android phone" },
	/* Nothing to go on */
	{ "", "Unknown browser" },
	{ "   ", "Unknown browser" },
	{ "-", "Unknown browser" },
	{ "Mozilla/5.0", "Unknown browser" },
	{ "<script>alert(1)</script>", "Unknown browser" },
	{ "\"; DROP TABLE users; --", "Unknown browser" },
	{ "Firefox", "Unknown browser" },	/* no version: not a token */
};

static void
test_words(void **state)
{
	char out[USERAGENT_WORDS];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		useragent_words(cases[i].ua, strlen(cases[i].ua), out,
		    sizeof(out));
		if (strcmp(out, cases[i].words) != 0)
			fail_msg("case %zu: \"%s\" is \"%s\", not \"%s\"", i,
			    cases[i].ua, out, cases[i].words);
	}
}

static void
test_null_and_length(void **state)
{
	const char *ua = "curl/8.0 Firefox/121.0";
	char out[USERAGENT_WORDS];

	(void)state;
	assert_string_equal(useragent_words(NULL, 5, out, sizeof(out)),
	    "Unknown browser");
	/* Only the given bytes count: a NUL is not needed, nor read to. */
	assert_string_equal(useragent_words("curl/", 5, out, sizeof(out)),
	    "curl");
	assert_string_equal(useragent_words("curl", 4, out, sizeof(out)),
	    "Unknown browser");
	assert_string_equal(useragent_words(ua + 9, 8, out, sizeof(out)),
	    "Firefox");
	assert_string_equal(useragent_words(ua + 9, 7, out, sizeof(out)),
	    "Unknown browser");
}

/* Whatever the header, the words are ours and fit the buffer. */
static void
test_bounded(void **state)
{
	const char *ua = "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S918B) "
	    "SamsungBrowser/23.0 Mobile Safari/537.36";
	char out[8], big[4096];
	size_t i;

	(void)state;
	memset(out, 'x', sizeof(out));
	useragent_words(ua, strlen(ua), out, sizeof(out));
	assert_string_equal(out, "Samsung");
	useragent_words(ua, strlen(ua), out, 1);
	assert_string_equal(out, "");
	/* A long header of words that name nothing. */
	for (i = 0; i + 1 < sizeof(big); i++)
		big[i] = "Mozil<a>"[i % 8];
	big[sizeof(big) - 1] = '\0';
	assert_string_equal(useragent_words(big, strlen(big), out,
	    sizeof(out)), "Unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_null_and_length),
		cmocka_unit_test(test_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
