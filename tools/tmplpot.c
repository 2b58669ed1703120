/*
 * tmplpot: prints the translatable units of every template under DIR as
 * a gettext template (.pot) on standard output, each with where it is.
 *
 *	tmplpot html >build/po/templates.pot
 *
 * It splits with the very function the loader translates with
 * (tmpl_units, tunits.h), so what is extracted is what is looked up.
 * tools/po-extract merges it with xgettext's list of the C strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tmpl.h"
#include "util.h"

struct unit {
	char		*msgid;
	struct buf	 refs;	/* "#: html/a.html:3 html/b.html:9" */
};

struct units {
	struct unit	*u;
	size_t		 n, cap;
};

static void
collect(void *arg, const char *where, int line, const char *msgid)
{
	struct units *all = arg;
	struct unit *u = NULL;
	size_t i;

	for (i = 0; i < all->n; i++)
		if (strcmp(all->u[i].msgid, msgid) == 0) {
			u = &all->u[i];
			break;
		}
	if (u == NULL) {
		if (all->n == all->cap) {
			all->cap = all->cap ? all->cap * 2 : 256;
			all->u = xrealloc(all->u, all->cap * sizeof(*all->u));
		}
		u = &all->u[all->n++];
		u->msgid = xstrdup(msgid);
		memset(&u->refs, 0, sizeof(u->refs));
	}
	buf_printf(&u->refs, " %s:%d", where, line);
}

/* A PO string: quoted, escaped, one line per line of the text. */
static void
po_string(const char *s)
{
	int multi = strchr(s, '\n') != NULL && s[strlen(s) - 1] != '\n';

	if (multi || (strchr(s, '\n') != NULL))
		printf("\"\"\n");
	putchar('"');
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '"':
			fputs("\\\"", stdout);
			break;
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		case '\n':
			fputs(s[1] != '\0' ? "\\n\"\n\"" : "\\n", stdout);
			break;
		default:
			putchar(*s);
		}
	}
	printf("\"\n");
}

int
main(int argc, char **argv)
{
	struct units all = { NULL, 0, 0 };
	char err[512];
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: tmplpot DIR\n");
		return 2;
	}
	if (tmpl_units(argv[1], collect, &all, err, sizeof(err)) == -1) {
		fprintf(stderr, "tmplpot: %s\n", err);
		return 1;
	}
	printf("msgid \"\"\nmsgstr \"\"\n"
	    "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
	    "\"Content-Transfer-Encoding: 8bit\\n\"\n");
	for (i = 0; i < all.n; i++) {
		printf("\n#:%s\n", buf_str(&all.u[i].refs));
		/* Units are HTML or mail text, not printf formats. */
		if (strchr(all.u[i].msgid, '%') != NULL)
			printf("#, no-c-format\n");
		printf("msgid ");
		po_string(all.u[i].msgid);
		printf("msgstr \"\"\n");
		free(all.u[i].msgid);
		buf_free(&all.u[i].refs);
	}
	free(all.u);
	return ferror(stdout) ? 1 : 0;
}
