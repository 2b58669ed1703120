/*
 * featurename: the stable name of the feature a workspace page is, which
 * usage data counts (lib/domain/usage.h): "tickets.queue",
 * "tickets.search", "tickets.reply". A name is kept across releases, so
 * the admin's usage table compares like with like: a route renamed
 * keeps its name here.
 */
#ifndef HD_FEATURENAME_H
#define HD_FEATURENAME_H

#include <stddef.h>

#include "http.h"
#include "router.h"

/* Writes rt's feature, as r asked it, into out (outsz bytes, at most 40
 * characters kept). Returns out. */
const char *route_feature(const struct route *rt, const struct req *r,
	    char *out, size_t outsz);

#endif
