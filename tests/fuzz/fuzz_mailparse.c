/*
 * Fuzz target: the whole path a mail takes before it is shown. The
 * bytes are a message: mailparse (GMime, our charset fallbacks, the HTML
 * part through html_sanitise), then mailtext_html of its text, as the
 * web would show it. The same bytes are also HTML: html_sanitise and
 * html_to_text directly. Beyond not crashing, the promises of the
 * headers are checked: every string valid text, reply_len within the
 * text, and no script, event attribute or javascript: in what we made.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "htmlsan.h"
#include "mailparse.h"
#include "mailtext.h"
#include "parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fail(const char *why, const char *s)
{
	fprintf(stderr, "fuzz_mailparse: %s:\n%s\n", why, s);
	abort();
}

static void
must_text(const char *s)
{
	if (s != NULL && !text_valid(s, strlen(s)))
		fail("not valid text", s);
}

/*
 * What no tag of ours may hold, whatever the input. Text has its '<'
 * escaped, so each '<' opens markup we wrote, which is read back here
 * as a browser would: a name, then name="value" attributes (a value
 * never holds a quote: it is escaped). No script, style, frame or svg
 * element, no event or style attribute, links only to http, https or
 * mailto, images only from cid:.
 */
static void
must_be_safe(const char *html)
{
	static const char *const bad[] = {
		"script", "style", "iframe", "svg", "math", "object", "embed",
		"form", "input", "meta", "link", "base", NULL
	};
	const char *p = html, *name, *v, *ve;
	size_t n, i;

	while (p != NULL && (p = strchr(p, '<')) != NULL) {
		p++;
		if (*p == '/')
			p++;
		for (name = p; (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9'); p++)
			;
		n = (size_t)(p - name);
		if (n == 0)
			fail("a '<' that is not a tag", html);
		for (i = 0; bad[i] != NULL; i++)
			if (strlen(bad[i]) == n && strncmp(name, bad[i], n) == 0)
				fail("an unsafe element", html);
		while (*p != '>') {
			if (*p != ' ')
				fail("a malformed tag", html);
			for (name = ++p; *p >= 'a' && *p <= 'z'; p++)
				;
			n = (size_t)(p - name);
			if (p[0] != '=' || p[1] != '"' ||
			    (ve = strchr(v = p + 2, '"')) == NULL)
				fail("an attribute not quoted", html);
			if ((n >= 2 && strncmp(name, "on", 2) == 0) ||
			    (n == 5 && strncmp(name, "style", 5) == 0))
				fail("an event or style attribute", html);
			if (n == 4 && strncmp(name, "href", 4) == 0 &&
			    strncmp(v, "http://", 7) != 0 &&
			    strncmp(v, "https://", 8) != 0 &&
			    strncmp(v, "mailto:", 7) != 0)
				fail("a link elsewhere", html);
			if (n == 3 && strncmp(name, "src", 3) == 0 &&
			    strncmp(v, "cid:", 4) != 0)
				fail("an image from elsewhere", html);
			p = ve + 1;
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int started;
	struct inmail *m = NULL;
	char err[128], *h;
	size_t i;

	if (!started) {
		mailparse_init();
		started = 1;
	}
	if (mailparse((const char *)data, size, &m, err, sizeof(err)) == 0) {
		must_text(m->subject);
		must_text(m->text);
		must_text(m->html);
		must_text(m->from.name);
		must_text(m->from.addr);
		must_text(m->message_id);
		for (i = 0; i < m->nfiles; i++)
			must_text(m->files[i].filename);
		if (m->reply_len > strlen(m->text))
			fail("reply_len past the text", m->text);
		must_be_safe(m->html);
		h = mailtext_html(m->text, m->reply_len);
		must_be_safe(h);
		free(h);
		inmail_free(m);
	} else if (m != NULL || memchr(err, '\0', sizeof(err)) == NULL)
		abort();

	h = html_sanitise((const char *)data, size);
	must_be_safe(h);
	free(h);
	h = html_to_text((const char *)data, size);
	free(h);
	return 0;
}
