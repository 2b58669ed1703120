/*
 * i18n: gettext catalogues (.mo), read whole into memory at start-up and
 * looked up by binary search (docs/decisions.md, "Languages (issue 13)").
 *
 * Not libintl's gettext(): it takes the language from the process locale
 * (setlocale, which needs that locale generated on the machine) and opens
 * the .mo lazily on the first lookup, after the sandbox (Landlock) has
 * closed the disk. Our own reader is small: the format is a header, a
 * table of msgids sorted by strcmp and a parallel table of msgstrs, each
 * entry a length and an offset (GNU gettext manual, "The Format of MO
 * Files").
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "log.h"
#include "util.h"

#define MO_MAGIC	0x950412deU
#define MO_MAXSIZE	(16 * 1024 * 1024)
#define I18N_MAXTAGS	64	/* tags of one string compared */

enum plural {
	PL_NOT_ONE,	/* n != 1: English, German, ... */
	PL_GT_ONE,	/* n > 1: French */
	PL_NONE		/* one form */
};

struct cat {
	char		 lang[4];
	unsigned char	*data;
	size_t		 size;
	uint32_t	 n, orig, trans;
	int		 swap;
	enum plural	 plural;
	unsigned char	*bad;	/* n flags: translation left out */
};

static struct cat	 cats[I18N_MAX];
static size_t		 ncats;
static const struct cat	*cur;
/* "en" and each catalogue's code, NULL-ended. */
static const char	*avail[I18N_MAX + 2] = { "en", NULL };

/* Each language's own name; a catalogue not named here shows its code. */
static const struct {
	const char	*lang, *name;
} names[] = {
	{ "en", "English" },
	{ "de", "Deutsch" },
	{ "fr", "Français" },
	{ "es", "Español" },
	{ "it", "Italiano" },
	{ "nl", "Nederlands" },
	{ "pt", "Português" },
};

static uint32_t
u32(const struct cat *c, size_t off)
{
	const unsigned char *p = c->data + off;

	if (c->swap)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0];
}

/* String i of the table at tab: NULL if it does not lie in the file. */
static const char *
mo_str(const struct cat *c, uint32_t tab, uint32_t i, uint32_t *len)
{
	size_t at = (size_t)tab + (size_t)i * 8;
	uint32_t n, off;

	if (at + 8 > c->size)
		return NULL;
	n = u32(c, at);
	off = u32(c, at + 4);
	if ((size_t)off + n >= c->size || c->data[(size_t)off + n] != '\0')
		return NULL;
	if (len != NULL)
		*len = n;
	return (const char *)c->data + off;
}

static int
lookup(const struct cat *c, const char *msgid)
{
	uint32_t lo = 0, hi = c->n, mid;
	const char *s;
	int cmp;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((s = mo_str(c, c->orig, mid, NULL)) == NULL)
			return -1;
		cmp = strcmp(msgid, s);
		if (cmp == 0)
			return (int)mid;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/*
 * The Plural-Forms of the header's msgstr. Only the rules of the
 * languages we may ship are known (n != 1, n > 1, one form); another is
 * logged and read as n != 1, rather than carrying an expression
 * evaluator for catalogues we do not have.
 */
static enum plural
plural_rule(const char *header, const char *where)
{
	const char *p = strstr(header, "plural=");
	char expr[64];
	size_t n = 0;

	if (p == NULL)
		return PL_NOT_ONE;
	for (p += 7; *p != '\0' && *p != ';' && *p != '\n' &&
	    n + 1 < sizeof(expr); p++)
		if (*p != ' ' && *p != '(' && *p != ')')
			expr[n++] = *p;
	expr[n] = '\0';
	if (strcmp(expr, "n!=1") == 0)
		return PL_NOT_ONE;
	if (strcmp(expr, "n>1") == 0)
		return PL_GT_ONE;
	if (strcmp(expr, "0") == 0)
		return PL_NONE;
	log_err("%s: plural rule \"%s\" is not one we know; using n != 1",
	    where, expr);
	return PL_NOT_ONE;
}

/* Tags of s (i18n_same_tags): {{..}}, <..>, and %-conversions. */
static size_t
tags(const char *s, const char **at, size_t *len, size_t max)
{
	const char *p = s, *e;
	size_t n = 0;

	while (*p != '\0' && n < max) {
		e = NULL;
		if (p[0] == '{' && p[1] == '{') {
			if ((e = strstr(p + 2, "}}")) != NULL)
				e += 2;
		} else if (p[0] == '<' && (isalpha((unsigned char)p[1]) ||
		    p[1] == '/')) {
			if ((e = strchr(p, '>')) != NULL)
				e++;
		} else if (p[0] == '%') {
			e = p + 1;
			e += strspn(e, "-+#0123456789.");
			e += strspn(e, "hlLqjzt");
			if (*e != '\0' && strchr("diouxXeEfFgGaAcspn%", *e))
				e++;
			else
				e = NULL;
		}
		if (e == NULL) {
			p++;
			continue;
		}
		at[n] = p;
		len[n] = (size_t)(e - p);
		n++;
		p = e;
	}
	return n;
}

int
i18n_same_tags(const char *a, const char *b)
{
	const char *ta[I18N_MAXTAGS], *tb[I18N_MAXTAGS];
	size_t la[I18N_MAXTAGS], lb[I18N_MAXTAGS];
	unsigned char used[I18N_MAXTAGS];
	size_t na, nb, i, j;

	na = tags(a, ta, la, I18N_MAXTAGS);
	nb = tags(b, tb, lb, I18N_MAXTAGS);
	if (na != nb)
		return 0;
	memset(used, 0, sizeof(used));
	for (i = 0; i < na; i++) {
		for (j = 0; j < nb; j++)
			if (!used[j] && la[i] == lb[j] &&
			    memcmp(ta[i], tb[j], la[i]) == 0)
				break;
		if (j == nb)
			return 0;
		used[j] = 1;
	}
	return 1;
}

/* Leaves out (bad) each translation whose tags differ from its msgid's. */
static void
check_tags(struct cat *c, const char *where)
{
	const char *id, *str, *form;
	uint32_t i, idlen, strlen_;

	c->bad = xcalloc(c->n ? c->n : 1, 1);
	for (i = 1; i < c->n; i++) {
		id = mo_str(c, c->orig, i, &idlen);
		str = mo_str(c, c->trans, i, &strlen_);
		if (id == NULL || str == NULL) {
			c->bad[i] = 1;
			continue;
		}
		/* Each form against the singular: "%lu ticket(s)" alike. */
		for (form = str; form < str + strlen_ + 1;
		    form += strlen(form) + 1)
			if (!i18n_same_tags(id, form)) {
				log_err("%s: the translation of \"%.60s\" "
				    "changes its tags; English is shown",
				    where, id);
				c->bad[i] = 1;
				break;
			}
	}
}

static int
read_all(const char *path, struct buf *b, char *err, size_t errsz)
{
	char chunk[8192];
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "re")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 &&
	    b->len <= MO_MAXSIZE)
		buf_add(b, chunk, n);
	fclose(fp);
	if (b->len > MO_MAXSIZE) {
		snprintf(err, errsz, "%s: larger than %d bytes", path,
		    MO_MAXSIZE);
		return -1;
	}
	return 0;
}

static int
load_mo(struct cat *c, const char *path, char *err, size_t errsz)
{
	struct buf b = BUF_INIT;
	const char *header;
	uint32_t magic;

	if (read_all(path, &b, err, errsz) == -1)
		goto err;
	c->size = b.len;
	c->data = (unsigned char *)buf_detach(&b);
	if (c->size < 28)
		goto bad;
	magic = (uint32_t)c->data[0] | (uint32_t)c->data[1] << 8 |
	    (uint32_t)c->data[2] << 16 | (uint32_t)c->data[3] << 24;
	if (magic == MO_MAGIC)
		c->swap = 0;
	else if (magic == ((MO_MAGIC >> 24) | ((MO_MAGIC >> 8) & 0xff00) |
	    ((MO_MAGIC << 8) & 0xff0000) | (MO_MAGIC << 24)))
		c->swap = 1;
	else
		goto bad;
	/* Major revision 0 only: the format we read. */
	if ((u32(c, 4) >> 16) != 0)
		goto bad;
	c->n = u32(c, 8);
	c->orig = u32(c, 12);
	c->trans = u32(c, 16);
	if (c->n == 0 || c->n > c->size / 16 ||
	    (size_t)c->orig + (size_t)c->n * 8 > c->size ||
	    (size_t)c->trans + (size_t)c->n * 8 > c->size)
		goto bad;
	/* Entry 0 is the header: msgid "". */
	if ((header = mo_str(c, c->orig, 0, NULL)) == NULL ||
	    *header != '\0' ||
	    (header = mo_str(c, c->trans, 0, NULL)) == NULL)
		goto bad;
	c->plural = plural_rule(header, path);
	check_tags(c, path);
	return 0;
bad:
	snprintf(err, errsz, "%s: not a gettext catalogue (.mo)", path);
err:
	buf_free(&b);
	free(c->data);
	c->data = NULL;
	return -1;
}

/* "de.mo": a code of two or three lowercase letters. */
static int
mo_name(const char *e, char *lang, size_t sz)
{
	size_t n = strlen(e), i;

	if (n < 5 || n > 6 || strcmp(e + n - 3, ".mo") != 0 || sz < 4)
		return 0;
	for (i = 0; i < n - 3; i++)
		if (e[i] < 'a' || e[i] > 'z')
			return 0;
	memcpy(lang, e, n - 3);
	lang[n - 3] = '\0';
	return strcmp(lang, "en") != 0;
}

int
i18n_load(const char *dir, char *err, size_t errsz)
{
	struct dirent **ents = NULL;
	struct buf path = BUF_INIT;
	struct cat c;
	int i, n, rc = -1;

	/* Loaded again (tests): the old catalogues go. */
	cur = NULL;
	for (; ncats > 0; ncats--) {
		free(cats[ncats - 1].data);
		free(cats[ncats - 1].bad);
	}
	avail[1] = NULL;
	if ((n = scandir(dir, &ents, NULL, alphasort)) == -1) {
		log_info("i18n: no catalogues in %s (%s): English only", dir,
		    strerror(errno));
		return 0;
	}
	for (i = 0; i < n; i++) {
		memset(&c, 0, sizeof(c));
		if (!mo_name(ents[i]->d_name, c.lang, sizeof(c.lang)))
			continue;
		if (ncats == I18N_MAX) {
			snprintf(err, errsz, "%s: more than %d catalogues", dir,
			    I18N_MAX);
			goto done;
		}
		buf_reset(&path);
		buf_printf(&path, "%s/%s", dir, ents[i]->d_name);
		if (load_mo(&c, buf_str(&path), err, errsz) == -1)
			goto done;
		cats[ncats] = c;
		avail[ncats + 1] = cats[ncats].lang;
		ncats++;
		avail[ncats + 1] = NULL;
	}
	rc = 0;
done:
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	buf_free(&path);
	return rc;
}

/* The catalogue of lang ("de", or "de-AT" for "de"), or NULL. */
static const struct cat *
find(const char *lang, size_t len)
{
	size_t i, n;

	if (lang == NULL)
		return NULL;
	for (n = 0; n < len && isalpha((unsigned char)lang[n]); n++)
		;
	for (i = 0; i < ncats; i++)
		if (strlen(cats[i].lang) == n &&
		    strncasecmp(cats[i].lang, lang, n) == 0)
			return &cats[i];
	return NULL;
}

void
i18n_set(const char *lang)
{
	cur = lang != NULL ? find(lang, strlen(lang)) : NULL;
}

const char *
i18n_lang(void)
{
	return cur != NULL ? cur->lang : "en";
}

static const char *
translation(const char *msgid, uint32_t *len)
{
	int i;

	if (cur == NULL || msgid == NULL || *msgid == '\0' ||
	    (i = lookup(cur, msgid)) < 0 || cur->bad[i])
		return NULL;
	return mo_str(cur, cur->trans, (uint32_t)i, len);
}

const char *
tr(const char *msgid)
{
	const char *t = translation(msgid, NULL);

	return t != NULL ? t : msgid;
}

const char *
trn(const char *singular, const char *plural, unsigned long n)
{
	const char *t, *end;
	uint32_t len;
	unsigned long form;

	if ((t = translation(singular, &len)) == NULL)
		return n == 1 ? singular : plural;
	switch (cur->plural) {
	case PL_GT_ONE:
		form = n > 1;
		break;
	case PL_NONE:
		form = 0;
		break;
	default:
		form = n != 1;
		break;
	}
	/* The forms follow each other, each NUL-ended. */
	for (end = t + len; form > 0 && t < end; form--)
		t += strlen(t) + 1;
	if (t >= end)
		return n == 1 ? singular : plural;
	return t;
}

const char *const *
i18n_available(void)
{
	return avail;
}

const char *
i18n_name(const char *lang)
{
	size_t i;

	if (lang == NULL)
		return NULL;
	if (strcmp(lang, "en") != 0 && find(lang, strlen(lang)) == NULL)
		return NULL;
	for (i = 0; i < nitems(names); i++)
		if (strcmp(names[i].lang, lang) == 0)
			return names[i].name;
	return find(lang, strlen(lang))->lang;
}

/* A q-value ("0.8", "1", "1.000") in thousandths; -1 if malformed. */
static int
qvalue(const char *p, size_t n)
{
	int q = 0, scale = 1000;
	size_t i;

	if (n == 0 || (p[0] != '0' && p[0] != '1'))
		return -1;
	q = (p[0] - '0') * 1000;
	if (n == 1)
		return q;
	if (p[1] != '.')
		return -1;
	for (i = 2; i < n && i < 5; i++) {
		if (!isdigit((unsigned char)p[i]))
			return -1;
		scale /= 10;
		q += (p[i] - '0') * scale;
	}
	return q > 1000 ? 1000 : q;
}

const char *
i18n_negotiate(const char *accept)
{
	const char *p, *e, *semi, *best = NULL, *lang;
	const struct cat *c;
	int q, bestq = 0;
	size_t n;

	for (p = accept; p != NULL && *p != '\0'; p = *e ? e + 1 : e) {
		e = p + strcspn(p, ",");
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		semi = memchr(p, ';', (size_t)(e - p));
		n = (size_t)((semi ? semi : e) - p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		q = 1000;
		if (semi != NULL) {
			const char *v = semi + 1;

			while (v < e && *v == ' ')
				v++;
			if (e - v >= 2 && v[0] == 'q' && v[1] == '=')
				q = qvalue(v + 2, (size_t)(e - v - 2));
		}
		if (q <= bestq || n == 0)
			continue;
		if (n >= 2 && strncasecmp(p, "en", 2) == 0 &&
		    (n == 2 || p[2] == '-'))
			lang = "en";
		else if ((c = find(p, n)) != NULL &&
		    (n == strlen(c->lang) || p[strlen(c->lang)] == '-'))
			lang = c->lang;
		else
			continue;
		best = lang;
		bestq = q;
	}
	return best;
}
