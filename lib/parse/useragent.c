/*
 * useragent: a User-Agent header in words for the person it describes
 * ("Firefox on Windows", "Chrome on an Android phone", "curl"), for the
 * "Your data" page's sessions and sign-ins.
 *
 * The header is whatever the client chose to send, so nothing of it is
 * copied: the answer is put together from the fixed words of the tables
 * below, and a header we do not recognise is "Unknown browser". Tokens
 * are searched within the given length only (the header need not be
 * NUL-terminated). Order matters: a browser built on Chrome also says
 * "Chrome/" and "Safari/", a bot often says "Chrome/" too, and Android
 * says "Linux"; so each table lists the more specific token first.
 */
#include <stddef.h>
#include <string.h>

#include "parse.h"

struct token {
	const char	*tok;
	const char	*words;
};

/* Programs, matched where the header starts (case-insensitive). */
static const struct token tools[] = {
	{ "curl/", "curl" },
	{ "wget/", "Wget" },
	{ "python-requests/", "a Python script" },
	{ "python-urllib/", "a Python script" },
	{ "python-httpx/", "a Python script" },
	{ "go-http-client/", "a Go program" },
	{ "okhttp/", "an Android app" },
	{ "java/", "a Java program" },
	{ "libwww-perl/", "a Perl script" },
	{ "node-fetch", "a Node.js program" },
	{ "undici", "a Node.js program" },
	{ "postmanruntime/", "Postman" },
	{ "httpie/", "HTTPie" },
};

/* Crawlers and link previews, anywhere in the header (case-insensitive). */
static const struct token bots[] = {
	{ "googlebot", "Googlebot" },
	{ "bingbot", "Bingbot" },
	{ "duckduckbot", "DuckDuckBot" },
	{ "yandexbot", "YandexBot" },
	{ "baiduspider", "Baiduspider" },
	{ "applebot", "Applebot" },
	{ "facebookexternalhit", "a Facebook link preview" },
	{ "slackbot", "a Slack link preview" },
	{ "twitterbot", "a Twitter link preview" },
	{ "bot/", "a bot" },
	{ "bot;", "a bot" },
	{ "bot)", "a bot" },
	{ "spider", "a bot" },
	{ "crawler", "a bot" },
	{ "headlesschrome", "a headless browser" },
};

/* Browsers, anywhere in the header (case-sensitive, as they send it). */
static const struct token browsers[] = {
	{ "SamsungBrowser/", "Samsung Internet" },
	{ "OPR/", "Opera" },
	{ "OPT/", "Opera" },
	{ "OPiOS/", "Opera" },
	{ "Opera", "Opera" },
	{ "YaBrowser/", "Yandex Browser" },
	{ "Vivaldi/", "Vivaldi" },
	{ "Edg/", "Edge" },
	{ "EdgA/", "Edge" },
	{ "EdgiOS/", "Edge" },
	{ "Edge/", "Edge" },
	{ "FxiOS/", "Firefox" },
	{ "Firefox/", "Firefox" },
	{ "CriOS/", "Chrome" },
	{ "Chromium/", "Chromium" },
	{ "Chrome/", "Chrome" },
	{ "Trident/", "Internet Explorer" },
	{ "MSIE ", "Internet Explorer" },
	{ "Version/", "Safari" },	/* with "Safari/", below */
};

/* Systems and devices, anywhere in the header (case-sensitive). Android
 * without "Mobile" is a tablet (Google's advice to makers). */
static const struct token platforms[] = {
	{ "iPhone", "an iPhone" },
	{ "iPad", "an iPad" },
	{ "iPod", "an iPod" },
	{ "CrOS", "ChromeOS" },
	{ "Windows Phone", "Windows Phone" },
	{ "Windows", "Windows" },
	{ "Macintosh", "macOS" },
	{ "Mac OS X", "macOS" },
	{ "Android", "Android" },	/* phone or tablet: see below */
	{ "Ubuntu", "Linux" },
	{ "Fedora", "Linux" },
	{ "Linux", "Linux" },
	{ "FreeBSD", "FreeBSD" },
	{ "OpenBSD", "OpenBSD" },
};

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* 1 when tok (lower case when ci) occurs in s[0, n); at the start only
 * when start is set. */
static int
has(const char *s, size_t n, const char *tok, int ci, int start)
{
	size_t k = strlen(tok), i, j;

	if (k > n)
		return 0;
	for (i = 0; i + k <= n; i++) {
		for (j = 0; j < k; j++) {
			int c = (unsigned char)s[i + j];

			if ((ci ? lower(c) : c) != (unsigned char)tok[j])
				break;
		}
		if (j == k)
			return 1;
		if (start)
			break;
	}
	return 0;
}

static const char *
find(const struct token *t, size_t nt, const char *s, size_t n, int ci,
    int start)
{
	size_t i;

	for (i = 0; i < nt; i++)
		if (has(s, n, t[i].tok, ci, start))
			return t[i].words;
	return NULL;
}

#define FIND(t, s, n, ci, start) \
	find((t), sizeof(t) / sizeof((t)[0]), (s), (n), (ci), (start))

static const char *
browser(const char *s, size_t n)
{
	const char *b = FIND(browsers, s, n, 0, 0);

	/* "Version/" alone is also in Opera's old headers and in apps'. */
	if (b != NULL && strcmp(b, "Safari") == 0 &&
	    !has(s, n, "Safari/", 0, 0))
		return NULL;
	/* An app's web view on an iPhone says "Mobile/" and no browser. */
	return b;
}

static const char *
platform(const char *s, size_t n)
{
	const char *p = FIND(platforms, s, n, 0, 0);

	if (p != NULL && strcmp(p, "Android") == 0)
		return has(s, n, "Mobile", 0, 0) ? "an Android phone" :
		    "an Android tablet";
	return p;
}

/* Appends src to out (size outsz, holding *len bytes), cut short if it
 * must be: the answer is always a terminated string. */
static void
put(char *out, size_t outsz, size_t *len, const char *src)
{
	size_t k = strlen(src);

	if (*len + 1 >= outsz)
		return;
	if (k > outsz - 1 - *len)
		k = outsz - 1 - *len;
	memcpy(out + *len, src, k);
	*len += k;
	out[*len] = '\0';
}

const char *
useragent_words(const char *ua, size_t n, char *out, size_t outsz)
{
	const char *b, *p, *w;
	size_t len = 0;

	if (outsz == 0)
		return out;
	out[0] = '\0';
	if (ua == NULL)
		n = 0;
	while (n > 0 && (*ua == ' ' || *ua == '\t')) {
		ua++;
		n--;
	}
	if (n > 0 && ((w = FIND(tools, ua, n, 1, 1)) != NULL ||
	    (w = FIND(bots, ua, n, 1, 0)) != NULL)) {
		put(out, outsz, &len, w);
		/* "a bot" starts a sentence in a list of its own. */
		if (out[0] == 'a')
			out[0] = 'A';
		return out;
	}
	b = n > 0 ? browser(ua, n) : NULL;
	p = n > 0 ? platform(ua, n) : NULL;
	if (b == NULL && p == NULL) {
		put(out, outsz, &len, "Unknown browser");
		return out;
	}
	put(out, outsz, &len, b != NULL ? b : "A browser");
	if (p != NULL) {
		put(out, outsz, &len, " on ");
		put(out, outsz, &len, p);
	}
	return out;
}
