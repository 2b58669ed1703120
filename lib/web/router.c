#include <stdlib.h>
#include <string.h>

#include "router.h"
#include "util.h"

/* Length of the path segment starting at s (up to '/' or the end). */
static size_t
seglen(const char *s)
{
	return strcspn(s, "/");
}

int
route_pattern_match(const char *pat, const char *path, struct kvlist *params)
{
	size_t base = params ? params->n : 0;

	while (*pat != '\0' && *path != '\0') {
		if (*pat == ':') {
			size_t nl = seglen(pat + 1), vl = seglen(path);

			if (vl == 0)
				goto fail;
			if (params)
				kv_add(params, pat + 1, nl, path, vl);
			pat += 1 + nl;
			path += vl;
			continue;
		}
		if (*pat != *path)
			goto fail;
		pat++;
		path++;
	}
	if (*pat == '\0' && *path == '\0')
		return 1;
fail:
	/* Drop the params this attempt added. */
	while (params && params->n > base) {
		params->n--;
		free(params->v[params->n].name);
		free(params->v[params->n].value);
	}
	return 0;
}

static int
method_ok(enum method want, enum method got)
{
	return want == got || (want == M_GET && got == M_HEAD);
}

static const char *const method_names[M__MAX] = {
	[M_GET] = "GET", [M_HEAD] = "HEAD", [M_POST] = "POST", [M_OTHER] = "",
};

const struct route *
route_match(const struct route *t, struct req *r, int *status)
{
	const struct route *rt;
	struct buf allow = BUF_INIT;

	for (rt = t; rt->pattern != NULL; rt++) {
		if (!method_ok(rt->method, r->method))
			continue;
		if (route_pattern_match(rt->pattern, r->path, &r->params))
			return rt;
	}
	/* No route for this method: is there one for another? */
	for (rt = t; rt->pattern != NULL; rt++) {
		if (!route_pattern_match(rt->pattern, r->path, NULL))
			continue;
		if (allow.len)
			buf_puts(&allow, ", ");
		buf_puts(&allow, method_names[rt->method]);
		if (rt->method == M_GET)
			buf_puts(&allow, ", HEAD");
	}
	if (allow.len) {
		resp_header(r, "Allow", buf_str(&allow));
		*status = 405;
	} else
		*status = 404;
	buf_free(&allow);
	return NULL;
}
