#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "util.h"

struct config cfg;

enum ktype { K_STR, K_INT };

/* Every key, its type, default and bounds. INSTALL documents this table. */
static const struct key {
	const char	*name;
	enum ktype	 type;
	size_t		 off;
	const char	*def;
	long long	 min, max;
} keys[] = {
#define S(n, d) { #n, K_STR, offsetof(struct config, n), d, 0, 0 }
#define I(n, d, lo, hi) { #n, K_INT, offsetof(struct config, n), #d, lo, hi }
	S(db_socket, "/run/mysqld/mysqld.sock"),
	S(db_name, "helpdesk"),
	S(db_user, "helpdesk"),
	S(db_password, ""),
	S(templates, "/usr/share/helpdesk/html"),
	S(sql_dir, "/usr/share/helpdesk/sql"),
	S(secret, ""),
	I(max_form, 1048576, 1024, 1073741824),
	I(max_request, 52428800, 1024, 4294967296LL),
	I(max_file, 26214400, 1, 4294967296LL),
	I(max_files, 10, 0, 1000),
	I(argon2_t, 2, 1, 100),
	I(argon2_m_kib, 19456, 8, 4194304),
	I(argon2_p, 1, 1, 64),
	I(session_idle, 43200, 60, 31536000),
	I(session_max, 2592000, 60, 315360000),
	I(throttle_window, 900, 1, 86400),
	I(throttle_account, 5, 1, 1000000),
	I(throttle_ip, 30, 1, 1000000),
	I(throttle_account_all, 50, 1, 1000000),
	S(cookie_secure, "auto"),
	S(sandbox, "on"),
	I(listen_backlog, 4096, 16, 65535),
#undef S
#undef I
};

static const struct key *
find_key(const char *name)
{
	size_t i;

	for (i = 0; i < nitems(keys); i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

/* Sets one key from text; the text is kept for the life of the process. */
static int
set_key(const struct key *k, const char *val, const char *where)
{
	char *p = (char *)&cfg + k->off;
	long long v;

	if (k->type == K_STR) {
		/* Every string here came from this function: replace it. */
		free(*(char **)p);
		*(char **)p = xstrdup(val);
		return 0;
	}
	if (parse_int(val, k->min, k->max, &v) == -1) {
		fprintf(stderr, "%s: %s must be a number from %lld to %lld\n",
		    where, k->name, k->min, k->max);
		return -1;
	}
	*(long long *)p = v;
	return 0;
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int
load_file(const char *path)
{
	FILE *f;
	char line[4096], where[512];
	int lineno = 0, rc = 0;

	if ((f = fopen(path, "r")) == NULL) {
		/* No file is fine: defaults and environment may suffice. */
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *s, *eq, *name;
		const struct key *k;

		lineno++;
		snprintf(where, sizeof(where), "%s:%d", path, lineno);
		s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		if ((eq = strchr(s, '=')) == NULL) {
			fprintf(stderr, "%s: expected key = value\n", where);
			rc = -1;
			continue;
		}
		*eq = '\0';
		name = trim(s);
		if ((k = find_key(name)) == NULL) {
			fprintf(stderr, "%s: unknown key '%s'\n", where, name);
			rc = -1;
			continue;
		}
		if (set_key(k, trim(eq + 1), where) == -1)
			rc = -1;
	}
	fclose(f);
	return rc;
}

static int
load_env(void)
{
	char name[64];
	size_t i, j;
	int rc = 0;

	for (i = 0; i < nitems(keys); i++) {
		const char *v;

		snprintf(name, sizeof(name), "HELPDESK_%s", keys[i].name);
		for (j = 9; name[j]; j++)
			name[j] = (char)toupper((unsigned char)name[j]);
		if ((v = getenv(name)) != NULL && set_key(&keys[i], v, name))
			rc = -1;
	}
	return rc;
}

static int
check(void)
{
	if (strlen(cfg.secret) != 64 ||
	    strspn(cfg.secret, "0123456789abcdefABCDEF") != 64) {
		fprintf(stderr, "config: secret must be 64 hex digits "
		    "(generate one: od -An -tx1 -N32 /dev/urandom | tr -d ' \\n')\n");
		return -1;
	}
	if (strcmp(cfg.cookie_secure, "auto") != 0 &&
	    strcmp(cfg.cookie_secure, "always") != 0 &&
	    strcmp(cfg.cookie_secure, "never") != 0) {
		fprintf(stderr, "config: cookie_secure must be auto, always or never\n");
		return -1;
	}
	if (strcmp(cfg.sandbox, "on") != 0 && strcmp(cfg.sandbox, "off") != 0) {
		fprintf(stderr, "config: sandbox must be on or off\n");
		return -1;
	}
	return 0;
}

int
config_load(void)
{
	const char *path = getenv("HELPDESK_CONFIG");
	size_t i;

	for (i = 0; i < nitems(keys); i++)
		if (set_key(&keys[i], keys[i].def, "default") == -1)
			return -1;
	if (path == NULL)
		path = "/etc/helpdesk/helpdesk.conf";
	if (load_file(path) == -1 || load_env() == -1)
		return -1;
	return check();
}
