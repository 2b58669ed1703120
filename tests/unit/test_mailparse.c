/*
 * Unit tests for lib/parse/mailparse.h: every message of the corpus
 * (tests/mail/corpus/NAME.eml, made by tests/mail/gen-corpus.py) through
 * mailparse, checked against NAME.expect (its keys are described in the
 * generator), one test per message; then what the corpus cannot hold
 * (a 10 MB attachment, made here) and the limits. Run from the
 * repository root (HD_MAIL_CORPUS=DIR to look elsewhere). Every input
 * is copied into a heap block of exactly its length, so
 * AddressSanitizer catches a read past the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "mailparse.h"
#include "mailtext.h"
#include "parse.h"

#define MAX_CORPUS	256

static const char *corpus_dir = "tests/mail/corpus";

static char *
slurp(const char *path, size_t *len)
{
	struct buf b = BUF_INIT;
	char tmp[65536];
	size_t n;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_add(&b, tmp, n);
	fclose(f);
	*len = b.len;
	if (b.data == NULL)
		return strdup("");
	return buf_detach(&b);
}

/* Parses a copy of exactly len bytes. */
static int
parse_exact(const char *raw, size_t len, struct inmail **m, char *err,
    size_t errsz)
{
	char *p = malloc(len ? len : 1);
	int rc;

	assert_non_null(p);
	memcpy(p, raw, len);
	rc = mailparse(p, len, m, err, errsz);
	free(p);
	return rc;
}

static void
sha_hex(const void *d, size_t n, char out[65])
{
	unsigned char h[32];
	size_t i;

	sha256(d, n, h);
	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static void
valid(const char *what, const char *s)
{
	if (s == NULL)
		return;
	if (!text_valid(s, strlen(s)))
		fail_msg("%s is not valid text: \"%s\"", what, s);
}

/* Every string of m is valid UTF-8 without controls; the text has no
 * CR; the one-line ones have no newline. */
static void
all_valid(const struct inmail *m)
{
	size_t i;

	valid("message_id", m->message_id);
	valid("in_reply_to", m->in_reply_to);
	for (i = 0; i < m->nreferences; i++)
		valid("reference", m->references[i]);
	valid("from.name", m->from.name);
	valid("from.addr", m->from.addr);
	for (i = 0; i < m->nrcpts; i++) {
		valid("rcpt name", m->rcpts[i].name);
		valid("rcpt addr", m->rcpts[i].addr);
		assert_non_null(m->rcpts[i].addr);
	}
	valid("subject", m->subject);
	valid("x_loop", m->x_loop);
	valid("text", m->text);
	valid("html", m->html);
	assert_non_null(m->subject);
	assert_non_null(m->text);
	assert_non_null(m->from.name);
	assert_null(strchr(m->text, '\r'));
	assert_null(strpbrk(m->subject, "\r\n\t"));
	assert_true(m->reply_len <= strlen(m->text));
	for (i = 0; i < m->nfiles; i++) {
		valid("file name", m->files[i].filename);
		valid("content type", m->files[i].content_type);
		valid("content id", m->files[i].content_id);
		assert_null(strpbrk(m->files[i].filename, "\r\n\t"));
		assert_true(m->files[i].filename[0] != '\0');
	}
}

/* An .expect value with \\ \n \r \0 undone; *n its length. */
static char *
unescape(const char *s, size_t *n)
{
	struct buf b = BUF_INIT;

	for (; *s != '\0'; s++) {
		if (*s != '\\' || s[1] == '\0') {
			buf_putc(&b, *s);
			continue;
		}
		s++;
		buf_putc(&b, *s == 'n' ? '\n' : *s == 'r' ? '\r' :
		    *s == '0' ? '\0' : *s);
	}
	*n = b.len;
	if (b.data == NULL)
		return strdup("");
	return buf_detach(&b);
}

static unsigned
flags_of(const char *v)
{
	static const struct {
		const char *name;
		unsigned flag;
	} t[] = {
		{ "AUTO_SUBMITTED", MAILAUTO_AUTO_SUBMITTED },
		{ "PRECEDENCE", MAILAUTO_PRECEDENCE },
		{ "LIST", MAILAUTO_LIST },
		{ "BOUNCE", MAILAUTO_BOUNCE },
		{ "AUTOREPLY", MAILAUTO_AUTOREPLY },
	};
	char *c = strdup(v), *w, *save = NULL;
	unsigned f = 0;
	size_t i;

	if (strcmp(v, "none") == 0) {
		free(c);
		return 0;
	}
	for (w = strtok_r(c, ",", &save); w != NULL;
	    w = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
			if (strcmp(w, t[i].name) == 0)
				break;
		if (i == sizeof(t) / sizeof(t[0]))
			fail_msg("unknown auto flag %s", w);
		f |= t[i].flag;
	}
	free(c);
	return f;
}

/* "a | b | c" split in place into at most max fields. */
static size_t
fields(char *s, char **f, size_t max)
{
	size_t n = 0;
	char *p;

	while (n < max) {
		f[n++] = s;
		if ((p = strstr(s, " | ")) == NULL)
			break;
		*p = '\0';
		s = p + 3;
	}
	return n;
}

static void
check_file(const struct inmail *m, char *v, const char *name)
{
	char *f[5], hex[65];
	size_t nf = fields(v, f, 5), i;
	const struct mailfile *mf = NULL;

	assert_true(nf >= 4);
	for (i = 0; i < m->nfiles; i++)
		if (strcmp(m->files[i].filename, f[0]) == 0)
			mf = &m->files[i];
	if (mf == NULL)
		fail_msg("%s: no file named \"%s\"", name, f[0]);
	assert_string_equal(mf->content_type, f[1]);
	if (mf->len != strtoull(f[2], NULL, 10))
		fail_msg("%s: %s is %zu bytes, not %s", name, f[0], mf->len,
		    f[2]);
	sha_hex(mf->data, mf->len, hex);
	if (strncmp(hex, f[3], strlen(f[3])) != 0)
		fail_msg("%s: %s has sha256 %s, not %s", name, f[0], hex, f[3]);
	if (nf == 5) {
		assert_true(strncmp(f[4], "inline ", 7) == 0);
		assert_true(mf->is_inline);
		assert_non_null(mf->content_id);
		assert_string_equal(mf->content_id, f[4] + 7);
	} else
		assert_false(mf->is_inline);
}

static void
check(const struct inmail *m, const char *key, char *v, size_t vn,
    const char *name)
{
	size_t i;
	int found;

	if (strcmp(key, "subject") == 0)
		assert_string_equal(m->subject, v);
	else if (strcmp(key, "from") == 0) {
		if (strcmp(v, "-") == 0)
			assert_null(m->from.addr);
		else {
			assert_non_null(m->from.addr);
			assert_string_equal(m->from.addr, v);
		}
	} else if (strcmp(key, "from-name") == 0)
		assert_string_equal(m->from.name, v);
	else if (strcmp(key, "message-id") == 0 ||
	    strcmp(key, "in-reply-to") == 0) {
		const char *got = key[0] == 'm' ? m->message_id :
		    m->in_reply_to;

		if (strcmp(v, "-") == 0)
			assert_null(got);
		else {
			assert_non_null(got);
			assert_string_equal(got, v);
		}
	} else if (strcmp(key, "references") == 0)
		assert_int_equal(m->nreferences, strtoul(v, NULL, 10));
	else if (strcmp(key, "rcpts") == 0)
		assert_int_equal(m->nrcpts, strtoul(v, NULL, 10));
	else if (strcmp(key, "rcpt") == 0) {
		for (found = 0, i = 0; i < m->nrcpts; i++)
			found |= strcmp(m->rcpts[i].addr, v) == 0;
		if (!found)
			fail_msg("%s: no recipient %s", name, v);
	} else if (strcmp(key, "date") == 0)
		assert_int_equal((long long)m->date, strtoll(v, NULL, 10));
	else if (strcmp(key, "text") == 0) {
		if (strstr(m->text, v) == NULL)
			fail_msg("%s: the text has no \"%s\"; it is:\n%s", name,
			    v, m->text);
	} else if (strcmp(key, "text-not") == 0) {
		if (strstr(m->text, v) != NULL)
			fail_msg("%s: the text has \"%s\"", name, v);
	} else if (strcmp(key, "reply") == 0) {
		if (strcmp(v, "all") == 0) {
			if (m->reply_len != strlen(m->text))
				fail_msg("%s: folded at %zu: \"%s\"", name,
				    m->reply_len, m->text + m->reply_len);
		} else if (strncmp(m->text + m->reply_len, v, vn) != 0)
			fail_msg("%s: the quote starts with \"%.60s\", not "
			    "\"%s\"", name, m->text + m->reply_len, v);
	} else if (strcmp(key, "files") == 0)
		assert_int_equal(m->nfiles, strtoul(v, NULL, 10));
	else if (strcmp(key, "file") == 0)
		check_file(m, v, name);
	else if (strcmp(key, "file-name-not") == 0) {
		for (i = 0; i < m->nfiles; i++)
			if (memmem(m->files[i].filename,
			    strlen(m->files[i].filename), v, vn) != NULL)
				fail_msg("%s: file name \"%s\" has \"%s\"",
				    name, m->files[i].filename, v);
	} else if (strcmp(key, "auto") == 0)
		assert_int_equal(m->autoflags, flags_of(v));
	else if (strcmp(key, "x-loop") == 0) {
		if (strcmp(v, "-") == 0)
			assert_null(m->x_loop);
		else {
			assert_non_null(m->x_loop);
			assert_string_equal(m->x_loop, v);
		}
	} else if (strcmp(key, "html") == 0) {
		assert_string_equal(v, "none");
		assert_null(m->html);
	} else if (strcmp(key, "html-has") == 0) {
		if (m->html == NULL || strstr(m->html, v) == NULL)
			fail_msg("%s: the HTML has no \"%s\"; it is:\n%s", name,
			    v, m->html ? m->html : "(none)");
	} else if (strcmp(key, "html-not") == 0) {
		if (m->html != NULL && strstr(m->html, v) != NULL)
			fail_msg("%s: the HTML has \"%s\":\n%s", name, v,
			    m->html);
	} else
		fail_msg("%s: unknown key %s", name, key);
}

static void
test_corpus_message(void **state)
{
	const char *name = *state;
	char path[1024], err[256], *raw, *exp, *line, *save = NULL, *v;
	struct inmail *m = NULL;
	size_t rawlen, explen, vn;
	int rc, refused = 0;

	snprintf(path, sizeof(path), "%s/%s.eml", corpus_dir, name);
	assert_non_null(raw = slurp(path, &rawlen));
	snprintf(path, sizeof(path), "%s/%s.expect", corpus_dir, name);
	/* A message another part added without an .expect must still
	 * parse into valid strings. */
	if ((exp = slurp(path, &explen)) == NULL)
		exp = strdup("");
	refused = strstr(exp, "refused: yes") != NULL;
	rc = parse_exact(raw, rawlen, &m, err, sizeof(err));
	if (refused) {
		assert_int_equal(rc, -1);
		assert_null(m);
		assert_true(err[0] != '\0');
		goto done;
	}
	if (rc != 0)
		fail_msg("%s refused: %s", name, err);
	all_valid(m);
	for (line = strtok_r(exp, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char *colon = strstr(line, ": ");

		if (colon == NULL)
			fail_msg("%s.expect: no \"key: value\" in %s", name,
			    line);
		*colon = '\0';
		v = unescape(colon + 2, &vn);
		check(m, line, v, vn, name);
		free(v);
	}
done:
	inmail_free(m);
	free(raw);
	free(exp);
}

/* --- what the corpus does not hold --------------------------------------- */

static void
test_corpus_is_large_enough(void **state)
{
	DIR *d;
	struct dirent *e;
	size_t n = 0, len;

	(void)state;
	/* At least 30 messages, each with its expected outcome. */
	assert_non_null(d = opendir(corpus_dir));
	while ((e = readdir(d)) != NULL)
		if ((len = strlen(e->d_name)) > 7 &&
		    strcmp(e->d_name + len - 7, ".expect") == 0)
			n++;
	closedir(d);
	assert_true(n >= 30);
}

static void
b64_lines(struct buf *out, const unsigned char *d, size_t n)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, col = 0;
	unsigned v;

	for (i = 0; i < n; i += 3) {
		v = (unsigned)d[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)d[i + 1] << 8;
		if (i + 2 < n)
			v |= d[i + 2];
		buf_putc(out, a[v >> 18 & 63]);
		buf_putc(out, a[v >> 12 & 63]);
		buf_putc(out, i + 1 < n ? a[v >> 6 & 63] : '=');
		buf_putc(out, i + 2 < n ? a[v & 63] : '=');
		if ((col += 4) == 76) {
			buf_puts(out, "\r\n");
			col = 0;
		}
	}
	buf_puts(out, "\r\n");
}

/* A 10 MB attachment, made here rather than committed. */
static void
test_ten_megabyte_attachment(void **state)
{
	const size_t n = 10 * 1024 * 1024;
	unsigned char *data;
	struct buf msg = BUF_INIT;
	struct inmail *m = NULL;
	char want[65], got[65], err[256];
	size_t i;

	(void)state;
	assert_non_null(data = malloc(n));
	for (i = 0; i < n; i++)
		data[i] = (unsigned char)(i * 2654435761u >> 13);
	sha_hex(data, n, want);
	buf_puts(&msg, "From: Big <big@files.test>\r\nTo: help@acme.test\r\n"
	    "Subject: Big\r\nMessage-ID: <big-1@files.test>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"big\"\r\n\r\n"
	    "--big\r\nContent-Type: text/plain\r\n\r\nThe disk image.\r\n"
	    "--big\r\nContent-Type: application/octet-stream\r\n"
	    "Content-Disposition: attachment; filename=\"disk.img\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n");
	b64_lines(&msg, data, n);
	buf_puts(&msg, "--big--\r\n");
	assert_true(msg.len > 14 * 1000 * 1000);
	assert_int_equal(mailparse(msg.data, msg.len, &m, err, sizeof(err)), 0);
	assert_int_equal(m->nfiles, 1);
	assert_string_equal(m->files[0].filename, "disk.img");
	assert_int_equal(m->files[0].len, n);
	sha_hex(m->files[0].data, m->files[0].len, got);
	assert_string_equal(got, want);
	assert_string_equal(m->text, "The disk image.");
	inmail_free(m);
	buf_free(&msg);
	free(data);
}

/* Multiparts nested depth deep, a text at the bottom. */
static void
nested(struct buf *b, int depth)
{
	int i;

	buf_puts(b, "From: a@b.test\r\nSubject: deep\r\n"
	    "Content-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n");
	for (i = 1; i < depth; i++)
		buf_printf(b, "--b%d\r\nContent-Type: multipart/mixed; "
		    "boundary=\"b%d\"\r\n\r\n", i - 1, i);
	buf_printf(b, "--b%d\r\nContent-Type: text/plain\r\n\r\nbottom\r\n",
	    depth - 1);
	for (i = depth - 1; i >= 0; i--)
		buf_printf(b, "--b%d--\r\n", i);
}

static void
test_nesting_limit(void **state)
{
	struct buf b = BUF_INIT;
	struct inmail *m = NULL;
	char err[256];

	(void)state;
	/* Within the limit: the text is found. */
	nested(&b, 10);
	assert_int_equal(mailparse(b.data, b.len, &m, err, sizeof(err)), 0);
	assert_string_equal(m->text, "bottom");
	assert_int_equal(m->nfiles, 0);
	inmail_free(m);
	buf_reset(&b);
	/* Deeper: kept whole as one file, nothing lost, nothing looked
	 * into past the limit. */
	nested(&b, 40);
	assert_int_equal(mailparse(b.data, b.len, &m, err, sizeof(err)), 0);
	assert_string_equal(m->text, "");
	assert_int_equal(m->nfiles, 1);
	assert_non_null(memmem(m->files[0].data, m->files[0].len, "bottom",
	    6));
	inmail_free(m);
	buf_reset(&b);
	/* Absurdly deep: parsed without running out of stack. */
	nested(&b, 3000);
	assert_int_equal(mailparse(b.data, b.len, &m, err, sizeof(err)), 0);
	inmail_free(m);
	buf_free(&b);
}

static void
test_limits(void **state)
{
	struct buf b = BUF_INIT;
	struct inmail *m = NULL;
	char err[256], want[64];
	int i;

	(void)state;
	buf_puts(&b, "From: a@b.test\r\nReferences:");
	for (i = 0; i < 100; i++)
		buf_printf(&b, " <r%d@x.test>", i);
	buf_puts(&b, "\r\nTo:");
	for (i = 0; i < 100; i++)
		buf_printf(&b, "%s u%d@x.test", i ? "," : "", i);
	buf_puts(&b, "\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n");
	for (i = 0; i < 100; i++)
		buf_printf(&b, "--x\r\nContent-Type: application/octet-stream"
		    "\r\n\r\nfile %d\r\n", i);
	buf_puts(&b, "--x--\r\n");
	assert_int_equal(mailparse(b.data, b.len, &m, err, sizeof(err)), 0);
	assert_int_equal(m->nreferences, MAILPARSE_MAX_REFS);
	/* The newest are kept. */
	assert_string_equal(m->references[MAILPARSE_MAX_REFS - 1],
	    "<r99@x.test>");
	snprintf(want, sizeof(want), "<r%d@x.test>", 100 - MAILPARSE_MAX_REFS);
	assert_string_equal(m->references[0], want);
	assert_int_equal(m->nrcpts, MAILPARSE_MAX_RCPTS);
	assert_int_equal(m->nfiles, MAILPARSE_MAX_FILES);
	assert_int_equal(m->nfiles_over, 100 - MAILPARSE_MAX_FILES);
	assert_string_equal(m->files[0].filename, "part-1.bin");
	inmail_free(m);
	buf_free(&b);
}

/* An empty text/plain beside the HTML is no text: the HTML's is. */
static void
test_empty_plain_alternative(void **state)
{
	static const char raw[] = "From: a@b.test\r\n"
	    "Content-Type: multipart/alternative; boundary=x\r\n\r\n"
	    "--x\r\nContent-Type: text/plain\r\n\r\n \r\n\r\n"
	    "--x\r\nContent-Type: text/html\r\n\r\n<p>Only <b>HTML</b></p>"
	    "\r\n--x--\r\n";
	struct inmail *m = NULL;
	char err[256];

	(void)state;
	assert_int_equal(parse_exact(raw, sizeof(raw) - 1, &m, err,
	    sizeof(err)), 0);
	assert_string_equal(m->text, "Only HTML");
	assert_string_equal(m->html,
	    "<div class=\"mailhtml\"><p>Only <b>HTML</b></p></div>");
	inmail_free(m);
}

/* A From of two addresses, or of none, is no sender. */
static void
test_from_not_one_address(void **state)
{
	static const char two[] = "From: a@b.test, c@d.test\r\n\r\nx\r\n";
	static const char none[] = "From: nobody\r\nSubject: s\r\n\r\nx\r\n";
	struct inmail *m = NULL;
	char err[256];

	(void)state;
	assert_int_equal(parse_exact(two, sizeof(two) - 1, &m, err,
	    sizeof(err)), 0);
	assert_null(m->from.addr);
	inmail_free(m);
	assert_int_equal(parse_exact(none, sizeof(none) - 1, &m, err,
	    sizeof(err)), 0);
	assert_null(m->from.addr);
	inmail_free(m);
}

static void
test_refused(void **state)
{
	struct inmail *m = (void *)1;
	char err[64];

	(void)state;
	assert_int_equal(mailparse("", 0, &m, err, sizeof(err)), -1);
	assert_null(m);
	assert_true(err[0] != '\0');
	/* err is always terminated, even when short. */
	assert_int_equal(mailparse("", 0, &m, err, 4), -1);
	assert_int_equal(strlen(err), 3);
}

static int
setup(void **state)
{
	(void)state;
	return 0;
}

int
main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_corpus_is_large_enough),
		cmocka_unit_test(test_ten_megabyte_attachment),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_empty_plain_alternative),
		cmocka_unit_test(test_from_not_one_address),
		cmocka_unit_test(test_refused),
	};
	struct CMUnitTest tests[MAX_CORPUS + sizeof(fixed) / sizeof(fixed[0])];
	char *names[MAX_CORPUS];
	struct dirent **ents;
	size_t n = 0, i, len;
	int k, count, rc;

	if (getenv("HD_MAIL_CORPUS") != NULL)
		corpus_dir = getenv("HD_MAIL_CORPUS");
	mailparse_init();
	if ((count = scandir(corpus_dir, &ents, NULL, alphasort)) < 0) {
		fprintf(stderr, "test_mailparse: no %s (run from the "
		    "repository root)\n", corpus_dir);
		return 1;
	}
	for (k = 0; k < count; k++) {
		len = strlen(ents[k]->d_name);
		if (n < MAX_CORPUS && len > 4 &&
		    strcmp(ents[k]->d_name + len - 4, ".eml") == 0) {
			names[n] = strndup(ents[k]->d_name, len - 4);
			memset(&tests[n], 0, sizeof(tests[n]));
			tests[n].name = names[n];
			tests[n].test_func = test_corpus_message;
			tests[n].setup_func = setup;
			tests[n].initial_state = names[n];
			n++;
		}
		free(ents[k]);
	}
	free(ents);
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		tests[n + i] = fixed[i];
	rc = _cmocka_run_group_tests("mailparse", tests, n + i, NULL, NULL);
	for (i = 0; i < n; i++)
		free(names[i]);
	mailparse_shutdown();
	return rc;
}
