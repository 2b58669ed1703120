/*
 * mailparse: one RFC 5322 message into a struct inmail, with GMime 3
 * (mailparse.h). GMime finds the structure (headers, boundaries,
 * transfer encodings, RFC 2047 and RFC 2231); what it hands back is
 * still outside input, so every string goes through clean() before it
 * reaches the struct, and every body through our own charset step,
 * which falls back rather than fails.
 */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "buf.h"
#include "htmlsan.h"
#include "mailparse.h"
#include "mailtext.h"
#include "parse.h"

/* Parts nested deeper are kept whole as a file, not looked into. */
#define MAX_DEPTH	16
/* A header value longer than this is cut (RFC 5322 lines are 998). */
#define MAX_HEADER	4096
/* A file name longer than this is cut; the model shortens it further. */
#define MAX_FILENAME	1024
#define MAX_MSGID	998

static GMimeParserOptions *opts;

/* What a walk over the MIME tree gathers. */
struct walk {
	struct inmail	*m;
	struct buf	 plain;		/* text/plain bodies, UTF-8 */
	struct buf	 html;		/* text/html bodies, UTF-8, raw */
	struct buf	 fwd;		/* forwarded messages' text */
	int		 textonly;	/* inside a forwarded message */
};

/* Windows-1252's 0x80..0x9f; the five holes become U+FFFD. */
static const unsigned short cp1252_c1[32] = {
	0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
	0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178
};

static void
put_cp(struct buf *b, unsigned cp)
{
	char u[3];

	if (cp < 0x80) {
		buf_putc(b, (int)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 2);
	} else {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 3);
	}
}

/* Windows-1252 never fails: every byte is a character (or U+FFFD). */
static void
from_cp1252(struct buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] >= 0x80 && p[i] < 0xa0)
			put_cp(out, cp1252_c1[p[i] - 0x80]);
		else
			put_cp(out, p[i]);
	}
}

/* The length of the valid UTF-8 sequence at s[i..n), or 0. */
static size_t
seq_len(const char *s, size_t i, size_t n)
{
	size_t k;

	for (k = 1; k <= 4 && k <= n - i; k++)
		if (utf8_valid(s + i, k))
			return k;
	return 0;
}

/*
 * The last step of every string: valid UTF-8 (a bad byte becomes
 * U+FFFD), no NUL or control but tab and newline, CRLF and lone CR as
 * \n. oneline: for headers and names, tabs and newlines become spaces
 * and the result is cut at max bytes (on a character boundary).
 */
static char *
clean(const char *s, size_t len, int oneline, size_t max)
{
	struct buf b = BUF_INIT;
	unsigned char c;
	size_t i = 0, k;

	while (i < len && (max == 0 || b.len < max)) {
		c = (unsigned char)s[i];
		if (c == '\r') {
			buf_putc(&b, oneline ? ' ' : '\n');
			i += (i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
			continue;
		}
		if (c == '\n' || c == '\t') {
			buf_putc(&b, oneline ? ' ' : c);
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			i++;
			continue;
		}
		if (c < 0x80) {
			buf_putc(&b, c);
			i++;
			continue;
		}
		if ((k = seq_len(s, i, len)) == 0) {
			put_cp(&b, 0xfffd);
			i++;
			continue;
		}
		if (max != 0 && b.len + k > max)
			break;
		buf_add(&b, s + i, k);
		i += k;
	}
	if (b.data == NULL)
		return strdup("");
	return buf_detach(&b);
}

static char *
clean_line(const char *s, size_t max)
{
	if (s == NULL)
		return strdup("");
	return clean(s, strlen(s), 1, max);
}

/* Trimmed of spaces at both ends, in place. */
static char *
trim(char *s)
{
	size_t n;

	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
	return s;
}

static int
ascii_only(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

/* Converts with iconv, strictly: 0, or -1 at the first invalid byte. */
static int
iconv_all(const char *charset, const char *s, size_t len, struct buf *out)
{
	iconv_t cd;
	char tmp[4096], *in = (char *)s, *o;
	size_t inleft = len, oleft, r;
	int rc = -1;

	if ((cd = g_mime_iconv_open("UTF-8", charset)) == (iconv_t)-1)
		return -1;
	for (;;) {
		o = tmp;
		oleft = sizeof(tmp);
		r = iconv(cd, inleft ? &in : NULL, inleft ? &inleft : NULL,
		    &o, &oleft);
		buf_add(out, tmp, sizeof(tmp) - oleft);
		if (r != (size_t)-1) {
			if (inleft == 0)
				break;
			continue;
		}
		if (errno != E2BIG)
			goto err;	/* EILSEQ, or EINVAL: cut short */
	}
	/* Flush a stateful encoding's shift back to its initial state. */
	o = tmp;
	oleft = sizeof(tmp);
	if (iconv(cd, NULL, NULL, &o, &oleft) == (size_t)-1)
		goto err;
	buf_add(out, tmp, sizeof(tmp) - oleft);
	rc = 0;
err:
	g_mime_iconv_close(cd);
	return rc;
}

/* Charsets that are Latin-1 or its Windows superset as mail uses them. */
static int
latin1ish(const char *cs)
{
	return strcasecmp(cs, "us-ascii") == 0 ||
	    strcasecmp(cs, "ascii") == 0 ||
	    strcasecmp(cs, "iso-8859-1") == 0 ||
	    strcasecmp(cs, "iso8859-1") == 0 ||
	    strcasecmp(cs, "latin1") == 0 ||
	    strcasecmp(cs, "windows-1252") == 0 ||
	    strcasecmp(cs, "cp1252") == 0;
}

/*
 * len bytes of a body declared in charset (NULL when none) as UTF-8
 * onto out. Never fails: a missing, unknown or lying charset falls back
 * to UTF-8 when the bytes are valid UTF-8, else to Windows-1252. A
 * Latin-1 label on bytes that are valid UTF-8 with 8-bit characters is
 * believed to be the usual lie and read as UTF-8 (Latin-1 text almost
 * never forms valid multi-byte UTF-8); Latin-1 itself is read as
 * Windows-1252, as browsers do, since 0x80..0x9f are its C1 controls.
 */
static void
to_utf8(struct buf *out, const char *s, size_t len, const char *charset)
{
	size_t mark = out->len;
	const char *cs = charset;

	if (ascii_only(s, len)) {
		/* 7-bit: only the ISO-2022 and UTF-7 families differ. */
		if (cs == NULL || (strncasecmp(cs, "iso-2022", 8) != 0 &&
		    strcasecmp(cs, "utf-7") != 0)) {
			buf_add(out, s, len);
			return;
		}
	}
	if (cs == NULL || latin1ish(cs) || strcasecmp(cs, "utf-8") == 0 ||
	    strcasecmp(cs, "utf8") == 0) {
		if (utf8_valid(s, len))
			buf_add(out, s, len);
		else
			from_cp1252(out, s, len);
		return;
	}
	/* GB2312 and GBK mail is GB18030 in practice (a superset). */
	if (strcasecmp(cs, "gb2312") == 0 || strcasecmp(cs, "gbk") == 0 ||
	    strcasecmp(cs, "x-gbk") == 0)
		cs = "GB18030";
	else if (strcasecmp(cs, "ks_c_5601-1987") == 0)
		cs = "CP949";
	if (iconv_all(cs, s, len, out) == 0)
		return;
	out->len = mark;
	if (out->data != NULL)
		out->data[mark] = '\0';
	if (utf8_valid(s, len))
		buf_add(out, s, len);
	else
		from_cp1252(out, s, len);
}

/* The decoded bytes (transfer encoding undone) of a leaf part. */
static void
part_bytes(GMimePart *part, struct buf *out)
{
	GMimeDataWrapper *w;
	GMimeStream *mem;
	GByteArray *ba;

	if ((w = g_mime_part_get_content(part)) == NULL)
		return;
	mem = g_mime_stream_mem_new();
	if (g_mime_data_wrapper_write_to_stream(w, mem) >= 0) {
		ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
		if (ba != NULL && ba->len > 0)
			buf_add(out, ba->data, ba->len);
	}
	g_object_unref(mem);
}

/* A whole object (headers and body) as written by GMime. */
static void
object_bytes(GMimeObject *obj, struct buf *out)
{
	GMimeStream *mem;
	GByteArray *ba;

	mem = g_mime_stream_mem_new();
	if (g_mime_object_write_to_stream(obj, NULL, mem) >= 0) {
		ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
		if (ba != NULL && ba->len > 0)
			buf_add(out, ba->data, ba->len);
	}
	g_object_unref(mem);
}

/* "type/subtype", lower-case, or "application/octet-stream". */
static char *
mime_type(GMimeObject *obj)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	char *t, *r, *p;

	if (ct == NULL || (t = g_mime_content_type_get_mime_type(ct)) == NULL)
		return strdup("application/octet-stream");
	r = clean_line(t, 255);
	g_free(t);
	for (p = r; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return r;
}

static const char *
ext_for(const char *type)
{
	static const struct {
		const char *type, *ext;
	} t[] = {
		{ "image/png", "png" }, { "image/jpeg", "jpg" },
		{ "image/gif", "gif" }, { "image/webp", "webp" },
		{ "application/pdf", "pdf" }, { "text/plain", "txt" },
		{ "text/html", "html" }, { "text/calendar", "ics" },
		{ "message/rfc822", "eml" },
		{ "message/delivery-status", "txt" },
		{ "text/rfc822-headers", "txt" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(type, t[i].type) == 0)
			return t[i].ext;
	if (strncmp(type, "multipart/", 10) == 0)
		return "eml";
	return "bin";
}

/* Adds a file; data is taken over (freed when there is no room). */
static void
add_file(struct walk *w, const char *filename, char *type,
    const char *content_id, int is_inline, struct buf *data)
{
	struct inmail *m = w->m;
	struct mailfile *f;
	char made[64];

	if (w->textonly || m->nfiles >= MAILPARSE_MAX_FILES) {
		if (!w->textonly)
			m->nfiles_over++;
		free(type);
		buf_free(data);
		return;
	}
	f = &m->files[m->nfiles];
	if (filename == NULL || *filename == '\0') {
		snprintf(made, sizeof(made), "part-%zu.%s", m->nfiles + 1,
		    ext_for(type));
		filename = made;
	}
	f->filename = clean_line(filename, MAX_FILENAME);
	if (*trim(f->filename) == '\0') {
		free(f->filename);
		snprintf(made, sizeof(made), "part-%zu.%s", m->nfiles + 1,
		    ext_for(type));
		f->filename = strdup(made);
	}
	f->content_type = type;
	f->content_id = content_id != NULL && *content_id != '\0' ?
	    clean_line(content_id, MAX_MSGID) : NULL;
	f->is_inline = is_inline;
	f->len = data->len;
	f->data = (unsigned char *)buf_detach(data);
	if (f->data == NULL)
		f->data = (unsigned char *)strdup("");
	m->nfiles++;
}

static void	walk_object(struct walk *, GMimeObject *, int depth);
static char	*body_text(struct walk *);

/* Appends text with a blank line between it and what came before. */
static void
append_block(struct buf *b, const char *s, size_t len)
{
	if (len == 0)
		return;
	if (b->len > 0) {
		if (b->data[b->len - 1] != '\n')
			buf_putc(b, '\n');
		buf_putc(b, '\n');
	}
	buf_add(b, s, len);
}

/*
 * Joins the lines of format=flowed text (RFC 3676) back into
 * paragraphs: a line ending in a space goes on with the next line of
 * the same quote depth; a leading space of a line is stuffing; "-- " is
 * the signature line, never flowed. delsp=yes: the space is removed.
 */
static char *
unflow(const char *text, int delsp)
{
	struct buf b = BUF_INIT;
	const char *line = text, *nl, *rest;
	size_t n, depth, pdepth = 0;
	int inpara = 0, flowed;

	while (*line != '\0') {
		nl = strchr(line, '\n');
		n = nl != NULL ? (size_t)(nl - line) : strlen(line);
		for (depth = 0; depth < n && line[depth] == '>'; depth++)
			;
		rest = line + depth;
		n -= depth;
		if (n > 0 && rest[0] == ' ') {
			rest++;
			n--;
		}
		flowed = n > 0 && rest[n - 1] == ' ' &&
		    !(n == 3 && memcmp(rest, "-- ", 3) == 0);
		if (inpara && depth != pdepth) {
			buf_putc(&b, '\n');
			inpara = 0;
		}
		if (!inpara) {
			for (pdepth = 0; pdepth < depth; pdepth++)
				buf_putc(&b, '>');
			if (depth > 0 && n > 0)
				buf_putc(&b, ' ');
			inpara = 1;
		}
		buf_add(&b, rest, flowed && delsp ? n - 1 : n);
		if (!flowed) {
			if (nl != NULL)
				buf_putc(&b, '\n');
			inpara = 0;
		}
		if (nl == NULL)
			break;
		line = nl + 1;
	}
	if (b.data == NULL)
		return strdup("");
	return buf_detach(&b);
}

/*
 * The charset an HTML part names in its own <meta> when its
 * Content-Type names none (as a browser reads it: in the first 1024
 * bytes, "charset=" then a name), copied into buf, or NULL.
 */
static const char *
meta_charset(const char *s, size_t len, char *buf, size_t bufsz)
{
	const char *p, *end = s + (len < 1024 ? len : 1024);
	size_t n = 0;

	for (p = s; p + 8 <= end; p++) {
		if (strncasecmp(p, "charset=", 8) != 0)
			continue;
		p += 8;
		while (p < end && (*p == '"' || *p == '\'' || *p == ' '))
			p++;
		while (p < end && n + 1 < bufsz && (isalnum((unsigned char)*p) ||
		    *p == '-' || *p == '_' || *p == '.' || *p == ':'))
			buf[n++] = *p++;
		buf[n] = '\0';
		return n > 0 ? buf : NULL;
	}
	return NULL;
}

static void
walk_text(struct walk *w, GMimePart *part, int html)
{
	GMimeObject *obj = GMIME_OBJECT(part);
	struct buf raw = BUF_INIT, u = BUF_INIT;
	const char *cs, *fmt, *delsp;
	char *c, csbuf[64];

	part_bytes(part, &raw);
	cs = g_mime_object_get_content_type_parameter(obj, "charset");
	if (cs == NULL && html)
		cs = meta_charset(buf_str(&raw), raw.len, csbuf,
		    sizeof(csbuf));
	to_utf8(&u, buf_str(&raw), raw.len, cs);
	buf_free(&raw);
	c = clean(buf_str(&u), u.len, 0, 0);
	buf_free(&u);
	if (html) {
		append_block(&w->html, c, strlen(c));
	} else {
		fmt = g_mime_object_get_content_type_parameter(obj, "format");
		delsp = g_mime_object_get_content_type_parameter(obj, "delsp");
		if (fmt != NULL && strcasecmp(fmt, "flowed") == 0) {
			char *f = unflow(c,
			    delsp != NULL && strcasecmp(delsp, "yes") == 0);
			free(c);
			c = f;
		}
		append_block(&w->plain, c, strlen(c));
	}
	free(c);
}

static int
is_attachment(GMimeObject *obj)
{
	const char *d = g_mime_object_get_disposition(obj);

	return d != NULL && strcasecmp(d, "attachment") == 0;
}

static void
walk_leaf(struct walk *w, GMimePart *part)
{
	GMimeObject *obj = GMIME_OBJECT(part);
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	const char *name = g_mime_part_get_filename(part);
	const char *d, *cid;
	struct buf data = BUF_INIT;
	char *type;
	int img;

	if (ct != NULL && g_mime_content_type_is_type(ct, "text", "*") &&
	    !is_attachment(obj) && name == NULL) {
		if (g_mime_content_type_is_type(ct, "text", "plain")) {
			walk_text(w, part, 0);
			return;
		}
		if (g_mime_content_type_is_type(ct, "text", "html")) {
			walk_text(w, part, 1);
			return;
		}
	}
	if (w->textonly)
		return;
	type = mime_type(obj);
	part_bytes(part, &data);
	cid = g_mime_object_get_content_id(obj);
	d = g_mime_object_get_disposition(obj);
	img = strncmp(type, "image/", 6) == 0;
	add_file(w, name, type, cid, img && ((cid != NULL && *cid != '\0') ||
	    (d != NULL && strcasecmp(d, "inline") == 0)), &data);
}

/* "From: ...\nSubject: ..." of a forwarded message, then its text. */
static void
walk_forwarded(struct walk *w, GMimeMessagePart *mp, int depth)
{
	GMimeObject *obj = GMIME_OBJECT(mp);
	GMimeMessage *inner = g_mime_message_part_get_message(mp);
	InternetAddressList *from;
	struct walk sub;
	struct buf data = BUF_INIT;
	const char *name;
	char *s, *t;

	if (!w->textonly) {
		if (inner != NULL)
			object_bytes(GMIME_OBJECT(inner), &data);
		name = g_mime_object_get_content_disposition_parameter(obj,
		    "filename");
		if (name == NULL)
			name = g_mime_object_get_content_type_parameter(obj,
			    "name");
		add_file(w, name != NULL ? name : "forwarded.eml",
		    strdup("message/rfc822"), NULL, 0, &data);
	}
	if (inner == NULL)
		return;
	if (w->fwd.len > 0 || w->plain.len > 0 || w->html.len > 0)
		buf_puts(&w->fwd, "\n\n");
	buf_puts(&w->fwd, "---------- Forwarded message ----------\n");
	if ((from = g_mime_message_get_from(inner)) != NULL &&
	    internet_address_list_length(from) > 0) {
		s = internet_address_list_to_string(from, NULL, FALSE);
		t = clean_line(s, MAX_HEADER);
		buf_printf(&w->fwd, "From: %s\n", t);
		free(t);
		g_free(s);
	}
	t = clean_line(g_mime_message_get_subject(inner), MAX_HEADER);
	buf_printf(&w->fwd, "Subject: %s\n\n", t);
	free(t);

	memset(&sub, 0, sizeof(sub));
	sub.m = w->m;
	sub.textonly = 1;
	if (g_mime_message_get_mime_part(inner) != NULL)
		walk_object(&sub, g_mime_message_get_mime_part(inner),
		    depth + 1);
	t = body_text(&sub);
	buf_puts(&w->fwd, t);
	free(t);
	buf_free(&sub.plain);
	buf_free(&sub.html);
	buf_free(&sub.fwd);
}

static void
walk_object(struct walk *w, GMimeObject *obj, int depth)
{
	struct buf data = BUF_INIT;
	GMimeMultipart *mp;
	int i, n;

	if (depth >= MAX_DEPTH) {
		if (w->textonly)
			return;
		object_bytes(obj, &data);
		add_file(w, NULL, mime_type(obj), NULL, 0, &data);
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		mp = GMIME_MULTIPART(obj);
		n = g_mime_multipart_get_count(mp);
		for (i = 0; i < n; i++)
			walk_object(w, g_mime_multipart_get_part(mp, i),
			    depth + 1);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		walk_forwarded(w, GMIME_MESSAGE_PART(obj), depth);
	} else if (GMIME_IS_PART(obj)) {
		walk_leaf(w, GMIME_PART(obj));
	} else if (!w->textonly) {
		/* message/partial and the like: kept whole. */
		object_bytes(obj, &data);
		add_file(w, NULL, mime_type(obj), NULL, 0, &data);
	}
}

static int
blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
			return 0;
	return 1;
}

/* The text of what a walk gathered: plain, else text of the HTML. */
static char *
body_text(struct walk *w)
{
	struct buf b = BUF_INIT;
	size_t n;
	char *t;

	/* An empty text/plain beside the HTML (some clients send one) is
	 * no text: the HTML's is used. */
	if (!blank(w->plain.data, w->plain.len)) {
		buf_add(&b, w->plain.data, w->plain.len);
	} else if (w->html.len > 0) {
		t = html_to_text(w->html.data, w->html.len);
		buf_puts(&b, t);
		free(t);
	}
	if (w->fwd.len > 0)
		buf_add(&b, w->fwd.data, w->fwd.len);
	t = clean(buf_str(&b), b.len, 0, 0);
	buf_free(&b);
	/* Blank lines and spaces at the end say nothing. */
	n = strlen(t);
	while (n > 0 && (t[n - 1] == '\n' || t[n - 1] == ' ' ||
	    t[n - 1] == '\t'))
		t[--n] = '\0';
	return t;
}

/* --- GMime 3.2.13's adjacent B-words ----------------------------------------- */

/*
 * GMime joins adjacent encoded words of one charset before decoding
 * them (so a character split across two words survives), but its
 * base64 decoder stops at the first word's padding: "=?UTF-8?B?SGVsbG8=?=
 * =?UTF-8?B?IHdvcmxk?=" reads "Hello" (GMime issue 133, fixed after
 * the 3.2.13 Debian 12 has). Mailers write such words every day
 * (Thunderbird's long names, Outlook's long file names). So before
 * anything is read, each header holding a padded B-word is rewritten
 * with its B-words as Q-words of the same bytes, which GMime joins
 * correctly. What the words say is unchanged.
 */
static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* The encoded word at s: 1 with its parts, or 0. */
static int
encoded_word(const char *s, const char **cs, size_t *csn, char *enc,
    const char **text, size_t *textn, const char **end)
{
	const char *p, *q;

	if (s[0] != '=' || s[1] != '?')
		return 0;
	*cs = s + 2;
	if ((p = strchr(*cs, '?')) == NULL || p == *cs || p - *cs > 64)
		return 0;
	*csn = (size_t)(p - *cs);
	if ((p[1] != 'B' && p[1] != 'b' && p[1] != 'Q' && p[1] != 'q') ||
	    p[2] != '?')
		return 0;
	*enc = (char)(p[1] & ~0x20);
	*text = p + 3;
	if ((q = strstr(*text, "?=")) == NULL)
		return 0;
	for (p = *text; p < q; p++)
		if ((unsigned char)*p <= ' ')
			return 0;
	*textn = (size_t)(q - *text);
	*end = q + 2;
	return 1;
}

/* Whether raw holds a padded B-word that another word follows. */
static int
has_padded_b(const char *raw)
{
	const char *p, *cs, *text, *end;
	size_t csn, textn;
	char enc;

	for (p = raw; (p = strstr(p, "=?")) != NULL; ) {
		if (!encoded_word(p, &cs, &csn, &enc, &text, &textn, &end)) {
			p += 2;
			continue;
		}
		if (enc == 'B' && textn > 0 && text[textn - 1] == '=') {
			while (*end == ' ' || *end == '\t' || *end == '\r' ||
			    *end == '\n')
				end++;
			if (end[0] == '=' && end[1] == '?')
				return 1;
		}
		p = end;
	}
	return 0;
}

static void
put_b_as_q(struct buf *b, const char *cs, size_t csn, const char *text,
    size_t textn)
{
	unsigned acc = 0;
	size_t i;
	int bits = 0, v;
	unsigned char c;

	buf_puts(b, "=?");
	buf_add(b, cs, csn);
	buf_puts(b, "?Q?");
	for (i = 0; i < textn; i++) {
		if ((v = b64_value((unsigned char)text[i])) < 0)
			continue;
		acc = (acc << 6 | (unsigned)v) & 0xffffff;
		if ((bits += 6) >= 8) {
			bits -= 8;
			c = (unsigned char)(acc >> bits & 0xff);
			if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			    (c >= '0' && c <= '9'))
				buf_putc(b, c);
			else
				buf_printf(b, "=%02X", c);
		}
	}
	buf_puts(b, "?=");
}

static char *
b_words_as_q(const char *raw)
{
	struct buf b = BUF_INIT;
	const char *p = raw, *cs, *text, *end;
	size_t csn, textn;
	char enc;

	while (*p != '\0') {
		if (encoded_word(p, &cs, &csn, &enc, &text, &textn, &end) &&
		    enc == 'B') {
			put_b_as_q(&b, cs, csn, text, textn);
			p = end;
			continue;
		}
		buf_putc(&b, *p++);
	}
	return buf_detach(&b);
}

static void
fix_b_words(GMimeObject *obj, int depth)
{
	GMimeHeaderList *hl;
	GMimeHeader *h;
	const char *raw;
	char *fixed;
	int i, n;

	if (obj == NULL || depth > MAX_DEPTH)
		return;
	hl = g_mime_object_get_header_list(obj);
	n = hl != NULL ? g_mime_header_list_get_count(hl) : 0;
	for (i = 0; i < n; i++) {
		h = g_mime_header_list_get_header_at(hl, i);
		raw = g_mime_header_get_raw_value(h);
		if (raw == NULL || !has_padded_b(raw))
			continue;
		if ((fixed = b_words_as_q(raw)) != NULL) {
			g_mime_header_set_raw_value(h, fixed);
			free(fixed);
		}
	}
	if (GMIME_IS_MESSAGE(obj))
		fix_b_words(g_mime_message_get_mime_part(GMIME_MESSAGE(obj)),
		    depth + 1);
	else if (GMIME_IS_MESSAGE_PART(obj))
		fix_b_words((GMimeObject *)g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(obj)), depth + 1);
	else if (GMIME_IS_MULTIPART(obj)) {
		n = g_mime_multipart_get_count(GMIME_MULTIPART(obj));
		for (i = 0; i < n; i++)
			fix_b_words(g_mime_multipart_get_part(
			    GMIME_MULTIPART(obj), i), depth + 1);
	}
}

/* --- headers -------------------------------------------------------------- */

static GMimeHeader *
header_at(GMimeObject *obj, const char *name, int *from)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
	GMimeHeader *h;
	int n = g_mime_header_list_get_count(hl);

	for (; *from < n; (*from)++) {
		h = g_mime_header_list_get_header_at(hl, *from);
		if (strcasecmp(g_mime_header_get_name(h), name) == 0) {
			(*from)++;
			return h;
		}
	}
	return NULL;
}

/* The first header's value, cleaned, or NULL. */
static char *
header_value(GMimeObject *obj, const char *name)
{
	const char *v = g_mime_object_get_header(obj, name);

	if (v == NULL)
		return NULL;
	return clean_line(v, MAX_HEADER);
}

/* "<id>" from an id GMime decoded (no angle brackets), or NULL when it
 * holds what no Message-ID may (space, brackets, controls) or lacks
 * the "@" every one has (RFC 5322 3.6.4). */
static char *
msgid_wrap(const char *id)
{
	size_t n, i;
	char *r;

	if (id == NULL || (n = strlen(id)) == 0 || n > MAX_MSGID - 2)
		return NULL;
	for (i = 0; i < n; i++)
		if ((unsigned char)id[i] <= ' ' ||
		    (unsigned char)id[i] >= 0x7f || id[i] == '<' ||
		    id[i] == '>')
			return NULL;
	if (strchr(id, '@') == NULL)
		return NULL;
	if ((r = malloc(n + 3)) == NULL)
		return NULL;
	r[0] = '<';
	memcpy(r + 1, id, n);
	r[n + 1] = '>';
	r[n + 2] = '\0';
	return r;
}

static void
read_refs(struct inmail *m, GMimeObject *obj)
{
	GMimeReferences *refs;
	const char *v;
	char *id;
	int i, n, first;

	if ((v = g_mime_object_get_header(obj, "In-Reply-To")) != NULL &&
	    (refs = g_mime_references_parse(opts, v)) != NULL) {
		n = g_mime_references_length(refs);
		for (i = 0; i < n && m->in_reply_to == NULL; i++)
			m->in_reply_to = msgid_wrap(
			    g_mime_references_get_message_id(refs, i));
		g_mime_references_free(refs);
	}
	if ((v = g_mime_object_get_header(obj, "References")) == NULL ||
	    (refs = g_mime_references_parse(opts, v)) == NULL)
		return;
	n = g_mime_references_length(refs);
	/* The newest are last and matter most: keep the last ones. */
	first = n > MAILPARSE_MAX_REFS ? n - MAILPARSE_MAX_REFS : 0;
	for (i = first; i < n; i++)
		if ((id = msgid_wrap(g_mime_references_get_message_id(refs,
		    i))) != NULL)
			m->references[m->nreferences++] = id;
	g_mime_references_free(refs);
}

/* An address, lower-case (ASCII only) and trimmed. */
static char *
lower_addr(const char *a)
{
	char *r, *p, *t;

	r = clean_line(a, 320);
	for (p = r; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	t = trim(r);
	memmove(r, t, strlen(t) + 1);
	return r;
}

/* The first mailbox of a list (groups looked into), or NULL. */
static InternetAddressMailbox *
first_mailbox(InternetAddressList *l, int *count)
{
	InternetAddressMailbox *found = NULL;
	InternetAddress *a;
	int i, n;

	n = l != NULL ? internet_address_list_length(l) : 0;
	for (i = 0; i < n; i++) {
		a = internet_address_list_get_address(l, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
			(*count)++;
			if (found == NULL)
				found = INTERNET_ADDRESS_MAILBOX(a);
		} else if (INTERNET_ADDRESS_IS_GROUP(a)) {
			InternetAddressMailbox *g = first_mailbox(
			    internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(a)), count);
			if (found == NULL)
				found = g;
		}
	}
	return found;
}

static int
set_addr(struct mailaddr *ma, InternetAddressMailbox *mb)
{
	const char *a = internet_address_mailbox_get_addr(mb);

	if (a == NULL || strchr(a, '@') == NULL)
		return -1;
	ma->addr = lower_addr(a);
	ma->name = clean_line(internet_address_get_name(
	    INTERNET_ADDRESS(mb)), MAX_HEADER);
	trim(ma->name);
	return 0;
}

static void
add_rcpts(struct inmail *m, InternetAddressList *l)
{
	InternetAddress *a;
	struct mailaddr ma;
	size_t k;
	int i, n;

	n = l != NULL ? internet_address_list_length(l) : 0;
	for (i = 0; i < n && m->nrcpts < MAILPARSE_MAX_RCPTS; i++) {
		a = internet_address_list_get_address(l, i);
		if (INTERNET_ADDRESS_IS_GROUP(a)) {
			add_rcpts(m, internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(a)));
			continue;
		}
		if (!INTERNET_ADDRESS_IS_MAILBOX(a) ||
		    set_addr(&ma, INTERNET_ADDRESS_MAILBOX(a)) == -1)
			continue;
		for (k = 0; k < m->nrcpts; k++)
			if (strcmp(m->rcpts[k].addr, ma.addr) == 0)
				break;
		if (k < m->nrcpts) {
			free(ma.addr);
			free(ma.name);
			continue;
		}
		m->rcpts[m->nrcpts++] = ma;
	}
}

static void
read_addrs(struct inmail *m, GMimeMessage *msg)
{
	static const char *const envelope[] = {
		"Delivered-To", "X-Original-To", "Envelope-To"
	};
	InternetAddressMailbox *mb;
	InternetAddressList *l;
	GMimeHeader *h;
	size_t e;
	int count = 0, at;

	mb = first_mailbox(g_mime_message_get_from(msg), &count);
	if (mb != NULL && count == 1 && set_addr(&m->from, mb) == -1)
		m->from.addr = NULL;
	if (m->from.name == NULL)
		m->from.name = strdup("");
	count = 0;
	if ((mb = first_mailbox(g_mime_message_get_reply_to(msg),
	    &count)) != NULL) {
		if ((m->reply_to = calloc(1, sizeof(*m->reply_to))) != NULL &&
		    set_addr(m->reply_to, mb) == -1) {
			free(m->reply_to);
			m->reply_to = NULL;
		}
	}
	add_rcpts(m, g_mime_message_get_to(msg));
	add_rcpts(m, g_mime_message_get_cc(msg));
	for (e = 0; e < sizeof(envelope) / sizeof(envelope[0]); e++) {
		at = 0;
		while ((h = header_at(GMIME_OBJECT(msg), envelope[e],
		    &at)) != NULL) {
			if (g_mime_header_get_value(h) == NULL)
				continue;
			l = internet_address_list_parse(opts,
			    g_mime_header_get_value(h));
			if (l == NULL)
				continue;
			add_rcpts(m, l);
			g_object_unref(l);
		}
	}
}

static int
value_is(const char *v, const char *const *words)
{
	char *c, *t;
	int r = 0;

	if (v == NULL)
		return 0;
	c = clean_line(v, 256);
	t = trim(c);
	for (; *words != NULL; words++)
		if (strncasecmp(t, *words, strlen(*words)) == 0)
			r = 1;
	free(c);
	return r;
}

static unsigned
read_auto(struct inmail *m, GMimeMessage *msg)
{
	static const char *const prec[] = {
		"bulk", "junk", "list", "auto_reply", "auto-reply", NULL
	};
	static const char *const no[] = { "no", NULL };
	static const char *const suppress[] = { "all", "oof", NULL };
	GMimeObject *o = GMIME_OBJECT(msg);
	GMimeObject *body = g_mime_message_get_mime_part(msg);
	GMimeHeaderList *hl = g_mime_object_get_header_list(o);
	const char *v, *local;
	unsigned f = 0;
	char *rp;
	int i, n;

	if ((v = g_mime_object_get_header(o, "Auto-Submitted")) != NULL &&
	    !value_is(v, no))
		f |= MAILAUTO_AUTO_SUBMITTED;
	if (value_is(g_mime_object_get_header(o, "Precedence"), prec))
		f |= MAILAUTO_PRECEDENCE;
	if (g_mime_object_get_header(o, "List-Id") != NULL ||
	    g_mime_object_get_header(o, "List-Post") != NULL)
		f |= MAILAUTO_LIST;
	if ((rp = header_value(o, "Return-Path")) != NULL) {
		if (strcmp(trim(rp), "<>") == 0)
			f |= MAILAUTO_BOUNCE;
		free(rp);
	}
	if (body != NULL && g_mime_object_get_content_type(body) != NULL &&
	    g_mime_content_type_is_type(g_mime_object_get_content_type(body),
	    "multipart", "report"))
		f |= MAILAUTO_BOUNCE;
	if (m->from.addr != NULL) {
		local = m->from.addr;
		if (strncmp(local, "mailer-daemon@", 14) == 0 ||
		    strncmp(local, "postmaster@", 11) == 0)
			f |= MAILAUTO_BOUNCE;
	}
	if (g_mime_object_get_header(o, "X-Autoreply") != NULL ||
	    g_mime_object_get_header(o, "X-Autorespond") != NULL ||
	    value_is(g_mime_object_get_header(o, "X-Auto-Response-Suppress"),
	    suppress))
		f |= MAILAUTO_AUTOREPLY;
	/* Exchange names an out-of-office reply by its message class. */
	n = g_mime_header_list_get_count(hl);
	for (i = 0; i < n; i++) {
		v = g_mime_header_get_value(
		    g_mime_header_list_get_header_at(hl, i));
		if (v != NULL && (strcasestr(v, "IPM.Note.Rules.OofTemplate") ||
		    strcasestr(v, "IPM.Note.Rules.ReplyTemplate")))
			f |= MAILAUTO_AUTOREPLY;
	}
	return f;
}

/* --- the whole message --------------------------------------------------- */

void
mailparse_init(void)
{
	static const char *fallback[] = { "UTF-8", "windows-1252", NULL };

	g_mime_init();
	if (opts != NULL)
		return;
	opts = g_mime_parser_options_new();
	g_mime_parser_options_set_address_compliance_mode(opts,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(opts,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_rfc2047_compliance_mode(opts,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_fallback_charsets(opts, fallback);
}

void
mailparse_shutdown(void)
{
	if (opts != NULL) {
		g_mime_parser_options_free(opts);
		opts = NULL;
	}
	g_mime_shutdown();
}

static void
errf(char *err, size_t errsz, const char *msg)
{
	if (errsz > 0)
		snprintf(err, errsz, "%s", msg);
}

int
mailparse(const char *raw, size_t len, struct inmail **out, char *err,
    size_t errsz)
{
	GMimeStream *stream = NULL;
	GMimeParser *parser = NULL;
	GMimeMessage *msg = NULL;
	GDateTime *dt;
	struct inmail *m = NULL;
	struct walk w;
	char *html;
	int rc = -1;

	*out = NULL;
	errf(err, errsz, "");
	memset(&w, 0, sizeof(w));
	if (opts == NULL) {
		errf(err, errsz, "mailparse_init was not called");
		return -1;
	}
	if (len == 0) {
		errf(err, errsz, "empty message");
		return -1;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		errf(err, errsz, "out of memory");
		return -1;
	}
	stream = g_mime_stream_mem_new_with_buffer(raw, len);
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	if ((msg = g_mime_parser_construct_message(parser, opts)) == NULL) {
		errf(err, errsz, "no message: the header block is unreadable");
		goto err;
	}
	if (g_mime_header_list_get_count(g_mime_object_get_header_list(
	    GMIME_OBJECT(msg))) == 0) {
		errf(err, errsz, "no message: no header at all");
		goto err;
	}

	fix_b_words(GMIME_OBJECT(msg), 0);
	m->message_id = msgid_wrap(g_mime_message_get_message_id(msg));
	read_refs(m, GMIME_OBJECT(msg));
	read_addrs(m, msg);
	m->subject = clean_line(g_mime_message_get_subject(msg), MAX_HEADER);
	if ((dt = g_mime_message_get_date(msg)) != NULL)
		m->date = (time_t)g_date_time_to_unix(dt);
	if (m->date < 0)
		m->date = 0;
	m->autoflags = read_auto(m, msg);
	m->x_loop = header_value(GMIME_OBJECT(msg), "X-Loop");

	w.m = m;
	if (g_mime_message_get_mime_part(msg) != NULL)
		walk_object(&w, g_mime_message_get_mime_part(msg), 0);
	m->text = body_text(&w);
	m->reply_len = mailtext_reply_len(m->text);
	if (w.html.len > 0) {
		struct buf hb = BUF_INIT;

		html = html_sanitise(w.html.data, w.html.len);
		buf_puts(&hb, "<div class=\"mailhtml\">");
		buf_puts(&hb, html);
		free(html);
		/* What the page shows has the forwarded message too. */
		if (w.fwd.len > 0) {
			char *f = clean(w.fwd.data, w.fwd.len, 0, 0), *t = f;

			while (*t == '\n')
				t++;
			html = mailtext_html(t, strlen(t));
			buf_puts(&hb, "<hr>");
			buf_puts(&hb, html);
			free(html);
			free(f);
		}
		buf_puts(&hb, "</div>");
		m->html = clean(buf_str(&hb), hb.len, 0, 0);
		buf_free(&hb);
	}
	*out = m;
	m = NULL;
	rc = 0;
err:
	buf_free(&w.plain);
	buf_free(&w.html);
	buf_free(&w.fwd);
	if (msg != NULL)
		g_object_unref(msg);
	if (parser != NULL)
		g_object_unref(parser);
	if (stream != NULL)
		g_object_unref(stream);
	inmail_free(m);
	return rc;
}

void
inmail_free(struct inmail *m)
{
	size_t i;

	if (m == NULL)
		return;
	free(m->message_id);
	free(m->in_reply_to);
	for (i = 0; i < m->nreferences; i++)
		free(m->references[i]);
	free(m->from.name);
	free(m->from.addr);
	if (m->reply_to != NULL) {
		free(m->reply_to->name);
		free(m->reply_to->addr);
		free(m->reply_to);
	}
	for (i = 0; i < m->nrcpts; i++) {
		free(m->rcpts[i].name);
		free(m->rcpts[i].addr);
	}
	free(m->subject);
	free(m->x_loop);
	free(m->text);
	free(m->html);
	for (i = 0; i < m->nfiles; i++) {
		free(m->files[i].filename);
		free(m->files[i].content_type);
		free(m->files[i].content_id);
		free(m->files[i].data);
	}
	free(m);
}
