#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "util.h"

struct config cfg;

enum ktype { K_STR, K_INT, K_RATE };

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
/* "N/SECONDS": N from 1 to hi, a window of 1 s to a week. */
#define R(n, d, hi) { #n, K_RATE, offsetof(struct config, n), d, 1, hi }
	S(db_socket, "/run/mysqld/mysqld.sock"),
	S(db_name, "helpdesk"),
	S(db_user, "helpdesk"),
	S(db_password, ""),
	S(db_host, ""),
	I(db_port, 3306, 1, 65535),
	I(db_read_timeout, 30, 1, 86400),
	S(auto_migrate, "off"),
	S(templates, "/usr/share/helpdesk/html"),
	S(locale_dir, "/usr/share/helpdesk/locale"),
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
	S(base_url, ""),
	S(mail_from, ""),
	S(mail_from_name, "Helpdesk"),
	S(mail_reply_to, ""),
	S(mail_secret, ""),
	S(mail_transport, "smtp"),
	S(smtp_url, "smtp://127.0.0.1:25"),
	S(smtp_tls, "required"),
	S(smtp_user, ""),
	S(smtp_password, ""),
	S(smtp_ca_file, ""),
	S(sendmail_path, "/usr/sbin/sendmail"),
	I(mail_give_up_after, 172800, 60, 31536000),
	I(mail_poll_ms, 2000, 50, 60000),
	I(mail_max_bytes, 41943040, 65536, 4294967296LL),
	I(reset_ttl, 3600, 60, 86400),
	I(confirm_ttl, 172800, 60, 2592000),
	I(mail_limit_window, 3600, 60, 86400),
	I(mail_limit_address, 3, 1, 1000),
	I(mail_limit_client, 20, 1, 100000),
	R(limit_signup, "20/3600", 1000000000),
	R(limit_password, "10/3600", 1000000000),
	R(limit_ticket_create, "30/3600", 1000000000),
	R(limit_reply, "120/3600", 1000000000),
	R(limit_upload, "60/3600", 1000000000),
	R(limit_invite, "100/3600", 1000000000),
	R(limit_join, "20/3600", 1000000000),
	I(signin_alert_after, 10, 1, 1000000),
	R(limit_signin_alert, "1/86400", 1000000000),
	S(policy_file, "/usr/share/helpdesk/policy/privacy.md"),
	S(policy_version, "2026-01-16"),
	S(terms_file, "/usr/share/helpdesk/policy/terms.md"),
	S(contact_email, ""),
	/* Bounds shared with a workspace's own choices: retention.h. */
	I(retention_close_solved_days, 0, 0, 3650),
	I(retention_closed_days, 0, 0, 36500),
	S(retention_closed_action, "anonymise"),
	I(retention_audit_days, 365, 30, 3650),
	I(retention_usage_days, 395, 1, 3650),
	I(retention_invitations_days, 30, 1, 3650),
	I(retention_sessions_days, 7, 0, 3650),
	I(retention_signin_failures_days, 30, 1, 3650),
	I(retention_tokens_days, 7, 0, 3650),
	I(retention_rate_counts_days, 7, 1, 3650),
	I(retention_outbox_days, 30, 1, 3650),
	I(retention_unconfirmed_days, 30, 0, 3650),
	I(retention_quarantine_days, 30, 1, 3650),
	I(retention_mail_seen_days, 90, 7, 3650),
	I(retention_batch, 500, 10, 10000),
	S(imap_url, ""),
	S(imap_user, ""),
	S(imap_password, ""),
	S(imap_recipient, ""),
	S(imap_done, "delete"),
	I(imap_poll_seconds, 60, 1, 86400),
	/* More than one database node (INSTALL): TCP, in this order. */
	S(db_hosts, ""),
	/* The queue's result count: exact up to it, "more than" beyond. */
	I(queue_count_max, 1000, 1, 100000),
	/* A search's plan: the set up to this many entries of its rarest
	 * word, the newest-first walk beyond (lib/domain/queue.c). */
	I(search_set_max, 2000, 0, 1000000),
#undef S
#undef I
#undef R
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

/* "N/SECONDS", without spaces. */
static int
set_rate(const struct key *k, const char *val, struct rate *out,
    const char *where)
{
	const char *slash = strchr(val, '/');
	char num[24];
	struct rate r;

	if (slash == NULL || (size_t)(slash - val) >= sizeof(num))
		goto bad;
	memcpy(num, val, (size_t)(slash - val));
	num[slash - val] = '\0';
	if (parse_int(num, k->min, k->max, &r.n) == -1 ||
	    parse_int(slash + 1, 1, 7 * 86400, &r.window) == -1)
		goto bad;
	*out = r;
	return 0;
bad:
	fprintf(stderr, "%s: %s must be N/SECONDS: at most N (1 to %lld) in "
	    "each window of 1 to 604800 seconds, as 30/3600\n", where,
	    k->name, k->max);
	return -1;
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
	if (k->type == K_RATE)
		return set_rate(k, val, (struct rate *)p, where);
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

/* The version is stored with every acknowledgement and consent
 * (VARCHAR(40)) and shown on the pages; the contact address is printed
 * into the policy and a mailto: link. */
static int
check_policy(void)
{
	size_t n = strlen(cfg.policy_version);
	const char *at;

	if (n == 0 || n > 40 || strspn(cfg.policy_version,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789.-_") != n) {
		fprintf(stderr, "config: policy_version must be 1 to 40 "
		    "letters, digits, '.', '-' or '_' (a date: 2026-01-16)\n");
		return -1;
	}
	n = strlen(cfg.contact_email);
	if (n > 0 && (n > 254 || (at = strchr(cfg.contact_email, '@')) ==
	    NULL || at == cfg.contact_email || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL || strpbrk(cfg.contact_email,
	    " \t\r\n<>()[]\\,;:\"") != NULL)) {
		fprintf(stderr, "config: contact_email must be an email "
		    "address (local@domain)\n");
		return -1;
	}
	return 0;
}

/*
 * Entry i of db_hosts, "host:port,host:port,...": 0 and its parts, 1 past
 * the last entry, -1 when entry i is malformed (an IPv4 address and a
 * port from 1 to 65535).
 */
int
config_db_host(size_t i, struct dbhost *h)
{
	const char *p = cfg.db_hosts, *e, *colon;
	char port[8];
	size_t n;

	memset(h, 0, sizeof(*h));
	/* (A config not loaded, as in unit tests: no hosts.) */
	if (p == NULL)
		return 1;
	for (; i > 0; i--) {
		if ((p = strchr(p, ',')) == NULL)
			return 1;
		p++;
	}
	while (*p == ' ')
		p++;
	if (*p == '\0')
		return 1;
	e = p + strcspn(p, ", ");
	if ((colon = memchr(p, ':', (size_t)(e - p))) == NULL ||
	    (n = (size_t)(colon - p)) == 0 || n >= sizeof(h->host) ||
	    (size_t)(e - colon - 1) == 0 ||
	    (size_t)(e - colon - 1) >= sizeof(port))
		return -1;
	memcpy(h->host, p, n);
	/* An IPv4 address: a confined worker cannot read /etc/hosts. */
	if (strspn(h->host, "0123456789.") != n)
		return -1;
	memcpy(port, colon + 1, (size_t)(e - colon - 1));
	port[e - colon - 1] = '\0';
	if (parse_int(port, 1, 65535, &h->port) == -1)
		return -1;
	/* Nothing but spaces before the next comma. */
	while (*e == ' ')
		e++;
	return *e == '\0' || *e == ',' ? 0 : -1;
}

static int
check_db_hosts(void)
{
	struct dbhost h;
	size_t i;
	int rc;

	/* Each entry but the last ends at a comma: this ends. */
	for (i = 0; (rc = config_db_host(i, &h)) == 0; i++)
		;
	if (rc == -1 || i > DB_HOSTS_MAX) {
		fprintf(stderr, "config: db_hosts must be up to %d entries "
		    "host:port separated by commas, as "
		    "10.0.0.1:3306,10.0.0.2:3306\n", DB_HOSTS_MAX);
		return -1;
	}
	return 0;
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
	if (strcmp(cfg.auto_migrate, "on") != 0 &&
	    strcmp(cfg.auto_migrate, "off") != 0) {
		fprintf(stderr, "config: auto_migrate must be on or off\n");
		return -1;
	}
	/* Mail keys: a value given must be right; config_check_mail says
	 * which the mailer cannot do without. */
	if (*cfg.mail_secret != '\0' && (strlen(cfg.mail_secret) != 64 ||
	    strspn(cfg.mail_secret, "0123456789abcdefABCDEF") != 64)) {
		fprintf(stderr, "config: mail_secret must be 64 hex digits\n");
		return -1;
	}
	if (strcmp(cfg.mail_transport, "smtp") != 0 &&
	    strcmp(cfg.mail_transport, "sendmail") != 0) {
		fprintf(stderr, "config: mail_transport must be smtp or sendmail\n");
		return -1;
	}
	if (check_policy() == -1)
		return -1;
	if (strcmp(cfg.retention_closed_action, "delete") != 0 &&
	    strcmp(cfg.retention_closed_action, "anonymise") != 0) {
		fprintf(stderr, "config: retention_closed_action must be delete "
		    "or anonymise\n");
		return -1;
	}
	/* An account is not erased while its confirmation link still
	 * works. */
	if (cfg.retention_unconfirmed_days != 0 &&
	    cfg.retention_unconfirmed_days * 86400 < cfg.confirm_ttl) {
		fprintf(stderr, "config: retention_unconfirmed_days must be 0 "
		    "or at least confirm_ttl (in days)\n");
		return -1;
	}
	if (strcmp(cfg.smtp_tls, "required") != 0 &&
	    strcmp(cfg.smtp_tls, "none") != 0) {
		fprintf(stderr, "config: smtp_tls must be required or none\n");
		return -1;
	}
	return check_db_hosts();
}

int
config_origin(const char *url, struct origin *o)
{
	const char *p, *h, *e;
	size_t n;

	memset(o, 0, sizeof(*o));
	if ((p = strstr(url, "://")) == NULL ||
	    (n = (size_t)(p - url)) == 0 || n >= sizeof(o->scheme))
		return -1;
	memcpy(o->scheme, url, n);
	h = p + 3;
	if (*h == '[') {
		if ((e = strchr(h, ']')) == NULL)
			return -1;
		e++;
	} else
		for (e = h; *e != '\0' && *e != ':' && *e != '/'; e++)
			;
	if ((n = (size_t)(e - h)) == 0 || n >= sizeof(o->host))
		return -1;
	memcpy(o->host, h, n);
	/* Letters, digits, '-', '.', and ':' inside IPv6 brackets only. */
	for (p = o->host; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.' &&
		    !(o->host[0] == '[' && strchr(":[]", *p) != NULL))
			return -1;
	if (*e == ':') {
		char port[8];

		h = e + 1;
		for (e = h; *e != '\0' && *e != '/'; e++)
			;
		if ((n = (size_t)(e - h)) == 0 || n >= sizeof(port))
			return -1;
		memcpy(port, h, n);
		port[n] = '\0';
		if (parse_int(port, 1, 65535, &o->port) == -1)
			return -1;
	}
	if (*e == '/')
		e++;
	return *e == '\0' ? 0 : -1;
}

int
config_host_is_loopback(const char *host)
{
	return strcmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0 ||
	    strcmp(host, "::1") == 0 || (str_startswith(host, "127.") &&
	    strspn(host, "0123456789.") == strlen(host));
}

int
config_check_mail(void)
{
	struct origin o;

	if (config_origin(cfg.base_url, &o) == -1 ||
	    !(strcmp(o.scheme, "https") == 0 ||
	    (strcmp(o.scheme, "http") == 0 && config_host_is_loopback(o.host)))) {
		fprintf(stderr, "config: base_url must be the public origin, "
		    "https://host[:port] (http only on a loopback address); "
		    "every link in a mail is built from it\n");
		return -1;
	}
	if (*cfg.mail_from == '\0') {
		fprintf(stderr, "config: mail_from must be set: the address "
		    "mail is sent from\n");
		return -1;
	}
	if (*cfg.mail_secret == '\0') {
		fprintf(stderr, "config: mail_secret must be 64 hex digits "
		    "(generate one: od -An -tx1 -N32 /dev/urandom | tr -d ' \\n')\n");
		return -1;
	}
	if (strcmp(cfg.mail_transport, "sendmail") == 0) {
		if (*cfg.sendmail_path != '/') {
			fprintf(stderr, "config: sendmail_path must be an "
			    "absolute path\n");
			return -1;
		}
		return 0;
	}
	if (config_origin(cfg.smtp_url, &o) == -1 ||
	    (strcmp(o.scheme, "smtp") != 0 && strcmp(o.scheme, "smtps") != 0)) {
		fprintf(stderr, "config: smtp_url must be smtp://host:port "
		    "or smtps://host:port\n");
		return -1;
	}
	/* Without TLS the password and every message cross the network in
	 * the clear: only a relay on this machine may go without. */
	if (strcmp(cfg.smtp_tls, "none") == 0 &&
	    !config_host_is_loopback(o.host)) {
		fprintf(stderr, "config: smtp_tls = none is allowed only for a "
		    "relay on a loopback address, not %s\n", o.host);
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
