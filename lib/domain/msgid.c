#include <stdio.h>
#include <string.h>

#include "config.h"
#include "crypto.h"
#include "mime.h"
#include "msgid.h"
#include "util.h"

#define SIG_HEX		32	/* 128 bits in a Message-ID */
#define REPLY_SIG_HEX	20	/* 80 bits: local parts are short */

/* hex of the first hexlen/2 bytes of HMAC(mail_secret, "what.ws.ticket[.unique]") */
static void
sign(const char *what, long long ws, long long ticket, const char *unique,
    char *hex, size_t hexlen)
{
	unsigned char mac[32];
	char msg[128], all[65];
	int n;

	n = snprintf(msg, sizeof(msg), "%s.%lld.%lld%s%s", what, ws, ticket,
	    unique ? "." : "", unique ? unique : "");
	hmac_sha256(cfg.mail_secret, strlen(cfg.mail_secret), msg,
	    (size_t)n, mac);
	hex_encode(mac, sizeof(mac), all);
	memcpy(hex, all, hexlen);
	hex[hexlen] = '\0';
}

static int
make(long long ws, long long ticket, const char *unique, char *out,
    size_t outsz)
{
	struct origin o;
	char sig[SIG_HEX + 1];
	int n;

	if (ws < 0 || ticket < 0 || config_origin(cfg.base_url, &o) == -1 ||
	    *cfg.mail_secret == '\0')
		return -1;
	sign("hd", ws, ticket, unique, sig, SIG_HEX);
	n = snprintf(out, outsz, "<hd.%lld.%lld.%s.%s@%s>", ws, ticket,
	    unique, sig, o.host);
	return n > 0 && (size_t)n < outsz ? 0 : -1;
}

int
msgid_new(long long ws, long long ticket, char *out, size_t outsz)
{
	unsigned char r[8];
	char unique[17];

	random_bytes(r, sizeof(r));
	hex_encode(r, sizeof(r), unique);
	return make(ws, ticket, unique, out, outsz);
}

int
msgid_thread(long long ws, long long ticket, char *out, size_t outsz)
{
	if (ws <= 0 || ticket <= 0)
		return -1;
	return make(ws, ticket, "thread", out, outsz);
}

/* Reads a decimal id ending at stop from *p; 0 or -1. */
static int
read_id(const char **p, int stop, long long *v)
{
	const char *e = strchr(*p, stop);
	char num[24];

	if (e == NULL || e == *p || (size_t)(e - *p) >= sizeof(num))
		return -1;
	memcpy(num, *p, (size_t)(e - *p));
	num[e - *p] = '\0';
	if (parse_int(num, 0, 9223372036854775807LL, v) == -1)
		return -1;
	*p = e + 1;
	return 0;
}

int
msgid_verify(const char *id, long long *ws, long long *ticket)
{
	char unique[24], want[MSGID_MAX];
	const char *p = id, *e;
	long long w, t;

	if (strncmp(p, "<hd.", 4) != 0)
		return -1;
	p += 4;
	if (read_id(&p, '.', &w) == -1 || read_id(&p, '.', &t) == -1)
		return -1;
	if ((e = strchr(p, '.')) == NULL || e == p ||
	    (size_t)(e - p) >= sizeof(unique))
		return -1;
	memcpy(unique, p, (size_t)(e - p));
	unique[e - p] = '\0';
	if (strspn(unique, "0123456789abcdefhrt") != strlen(unique))
		return -1;
	/* Rebuilt with our own host and compared whole, in constant time. */
	if (make(w, t, unique, want, sizeof(want)) == -1 ||
	    strlen(id) != strlen(want) || !ct_memeq(id, want, strlen(want)))
		return -1;
	*ws = w;
	*ticket = t;
	return 0;
}

int
msgid_reply_to(long long ws, long long ticket, char *out, size_t outsz)
{
	const char *tmpl = cfg.mail_reply_to, *brace;
	char sig[REPLY_SIG_HEX + 1];
	int n;

	if (*tmpl == '\0')
		return 1;
	if ((brace = strstr(tmpl, "{token}")) == NULL)
		n = snprintf(out, outsz, "%s", tmpl);
	else {
		if (ws <= 0 || ticket <= 0 || *cfg.mail_secret == '\0')
			return 1;
		sign("reply", ws, ticket, NULL, sig, REPLY_SIG_HEX);
		n = snprintf(out, outsz, "%.*st%lld-%lld-%s%s",
		    (int)(brace - tmpl), tmpl, ws, ticket, sig, brace + 7);
	}
	if (n < 0 || (size_t)n >= outsz || !mime_addr_ok(out))
		return -1;
	return 0;
}

int
msgid_reply_verify(const char *token, long long *ws, long long *ticket)
{
	char want[REPLY_SIG_HEX + 1];
	const char *p = token;
	long long w, t;

	if (*p++ != 't' || read_id(&p, '-', &w) == -1 ||
	    read_id(&p, '-', &t) == -1 || w <= 0 || t <= 0 ||
	    strlen(p) != REPLY_SIG_HEX || *cfg.mail_secret == '\0')
		return -1;
	sign("reply", w, t, NULL, want, REPLY_SIG_HEX);
	if (!ct_memeq(p, want, REPLY_SIG_HEX))
		return -1;
	*ws = w;
	*ticket = t;
	return 0;
}
