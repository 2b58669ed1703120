#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "util.h"

void
kv_add(struct kvlist *l, const char *name, size_t nlen,
    const char *value, size_t vlen)
{
	struct kv *kv;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	kv = &l->v[l->n++];
	kv->name = xstrndup(name, nlen);
	kv->value = xstrndup(value, vlen);
	kv->vlen = vlen;
}

const struct kv *
kv_find(const struct kvlist *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

const char *
kv_get(const struct kvlist *l, const char *name)
{
	const struct kv *kv = kv_find(l, name);

	return kv ? kv->value : NULL;
}

void
kv_free(struct kvlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].value);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
