/* kv: an ordered list of name/value pairs (query, form fields, cookies). */
#ifndef HD_KV_H
#define HD_KV_H

#include <stddef.h>

struct kv {
	char	*name;
	char	*value;	/* NUL-terminated; may hold NULs when vlen says so */
	size_t	 vlen;
};

struct kvlist {
	struct kv	*v;
	size_t		 n;
	size_t		 cap;
};

#define KVLIST_INIT { NULL, 0, 0 }

/* Copies both; may reallocate the list. */
void		 kv_add(struct kvlist *, const char *name, size_t nlen,
		    const char *value, size_t vlen);
/* The first value for name, or NULL. */
const char	*kv_get(const struct kvlist *, const char *name);
const struct kv	*kv_find(const struct kvlist *, const char *name);
void		 kv_free(struct kvlist *);

#endif
