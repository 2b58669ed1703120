/*
 * Fuzz target: route_pattern_match and route_match. Input: one byte for
 * the method, then the path (up to a NUL). The table is the programs'
 * own routes. Every answer is checked against a slow matcher written
 * from the documented rule instead: split both at '/', the same number
 * of segments, a ":name" segment takes one non-empty segment and any
 * other must be equal.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "http.h"
#include "kv.h"
#include "router.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int h(struct req *r) { (void)r; return 0; }

/* The routes of cgi-bin/, all in one table. */
static const struct route routes[] = {
	{ M_GET, "/", h, 0, 0 },
	{ M_GET, "/healthz", h, 0, 0 },
	{ M_GET, "/signup", h, 0, 0 },
	{ M_POST, "/signup", h, 0, 0 },
	{ M_GET, "/signin", h, 0, 0 },
	{ M_POST, "/signin", h, 0, 0 },
	{ M_POST, "/signout", h, 0, 0 },
	{ M_GET, "/account", h, 0, 0 },
	{ M_POST, "/account/password", h, 0, 0 },
	{ M_GET, "/workspaces", h, 0, 0 },
	{ M_POST, "/workspaces", h, 0, 0 },
	{ M_GET, "/invite/:token", h, 0, 0 },
	{ M_POST, "/invite/:token", h, 0, 0 },
	{ M_GET, "/w/:slug", h, 0, 0 },
	{ M_GET, "/w/:slug/join", h, 0, 0 },
	{ M_POST, "/w/:slug/join", h, 0, 0 },
	{ M_GET, "/w/:slug/tickets", h, 0, 0 },
	{ M_GET, "/w/:slug/tickets/new", h, 0, 0 },
	{ M_POST, "/w/:slug/tickets/new", h, 0, 0 },
	{ M_GET, "/w/:slug/tickets/:num", h, 0, 0 },
	{ M_POST, "/w/:slug/tickets/:num", h, 0, 0 },
	{ M_POST, "/w/:slug/tickets/:num/comments", h, 0, 0 },
	{ M_GET, "/w/:slug/attachments/:id", h, 0, 0 },
	{ M_GET, "/w/:slug/admin", h, 0, 0 },
	{ M_GET, "/w/:slug/admin/members", h, 0, 0 },
	{ M_POST, "/w/:slug/admin/members/invite", h, 0, 0 },
	{ M_POST, "/w/:slug/admin/members/:user/role", h, 0, 0 },
	{ M_POST, "/w/:slug/admin/members/:user/remove", h, 0, 0 },
	{ M_POST, "/w/:slug/admin/invitations/:id/revoke", h, 0, 0 },
	{ M_GET, "/w/:slug/admin/settings", h, 0, 0 },
	{ M_POST, "/w/:slug/admin/settings", h, 0, 0 },
	{ M_GET, "/w/:slug/admin/audit", h, 0, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

#define NROUTES	(sizeof(routes) / sizeof(routes[0]) - 1)

/* The next segment of *s (up to '/' or the end); *s moves past it. */
static size_t
segment(const char **s, const char **start)
{
	size_t n = strcspn(*s, "/");

	*start = *s;
	*s += n;
	return n;
}

/*
 * The reference: 1 on a match, with the parameters appended to params
 * (when not NULL) in order.
 */
static int
ref_match(const char *pat, const char *path, struct kvlist *params)
{
	struct kvlist got = KVLIST_INIT;
	const char *ps, *ts;
	size_t pn, tn, i;

	for (;;) {
		pn = segment(&pat, &ps);
		tn = segment(&path, &ts);
		if (pn > 0 && ps[0] == ':') {
			if (tn == 0)
				goto no;
			kv_add(&got, ps + 1, pn - 1, ts, tn);
		} else if (pn != tn || memcmp(ps, ts, pn) != 0)
			goto no;
		if (*pat == '\0' || *path == '\0')
			break;
		pat++;
		path++;
	}
	if (*pat != '\0' || *path != '\0')
		goto no;
	for (i = 0; params != NULL && i < got.n; i++)
		kv_add(params, got.v[i].name, strlen(got.v[i].name),
		    got.v[i].value, got.v[i].vlen);
	kv_free(&got);
	return 1;
no:
	kv_free(&got);
	return 0;
}

static void
same_params(const struct kvlist *a, size_t from, const struct kvlist *b)
{
	size_t i;

	if (a->n - from != b->n)
		abort();
	for (i = 0; i < b->n; i++) {
		const struct kv *x = &a->v[from + i], *y = &b->v[i];

		if (strcmp(x->name, y->name) != 0 || x->vlen != y->vlen ||
		    memcmp(x->value, y->value, y->vlen) != 0 ||
		    x->vlen == 0 || memchr(x->value, '/', x->vlen) != NULL)
			abort();
	}
}

static int
method_ok(enum method want, enum method got)
{
	return want == got || (want == M_GET && got == M_HEAD);
}

/* Every pattern on its own, into a list that already holds a pair. */
static void
check_patterns(const char *path)
{
	struct kvlist params = KVLIST_INIT, want = KVLIST_INIT;
	size_t i;
	int m;

	for (i = 0; i < NROUTES; i++) {
		kv_add(&params, "keep", 4, "me", 2);
		m = route_pattern_match(routes[i].pattern, path, &params);
		if (m != ref_match(routes[i].pattern, path, &want) ||
		    m != route_pattern_match(routes[i].pattern, path, NULL))
			abort();
		/* A failed match leaves what was there; a match appends. */
		if (strcmp(params.v[0].name, "keep") != 0)
			abort();
		same_params(&params, 1, &want);
		kv_free(&params);
		kv_free(&want);
	}
}

static void
check_route_match(enum method method, char *path)
{
	struct kvlist want = KVLIST_INIT;
	struct buf allow = BUF_INIT;
	const struct route *rt, *first = NULL;
	struct req r;
	size_t i;
	int status = 0, any = 0;
	static const char *const names[] = { "GET", "HEAD", "POST", "" };

	for (i = 0; i < NROUTES; i++) {
		if (!ref_match(routes[i].pattern, path, NULL))
			continue;
		any = 1;
		if (first == NULL && method_ok(routes[i].method, method))
			first = &routes[i];
		if (allow.len)
			buf_puts(&allow, ", ");
		buf_puts(&allow, names[routes[i].method]);
		if (routes[i].method == M_GET)
			buf_puts(&allow, ", HEAD");
	}

	memset(&r, 0, sizeof(r));
	r.method = method;
	r.path = path;
	rt = route_match(routes, &r, &status);
	if (rt != first)
		abort();
	if (rt != NULL) {
		ref_match(rt->pattern, path, &want);
		same_params(&r.params, 0, &want);
		if (r.headers.n != 0)
			abort();
	} else if (r.params.n != 0)
		abort();
	else if (any) {
		if (status != 405 || r.headers.n != 1 ||
		    strcmp(r.headers.v[0].name, "Allow") != 0 ||
		    strcmp(r.headers.v[0].value, buf_str(&allow)) != 0)
			abort();
	} else if (status != 404 || r.headers.n != 0)
		abort();
	kv_free(&want);
	kv_free(&r.params);
	kv_free(&r.headers);
	buf_free(&allow);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum method method;
	char *path;

	if (size < 1)
		return 0;
	method = (enum method)(data[0] % M__MAX);
	if ((path = malloc(size)) == NULL)
		return 0;
	memcpy(path, data + 1, size - 1);
	path[size - 1] = '\0';
	check_patterns(path);
	check_route_match(method, path);
	free(path);
	return 0;
}
