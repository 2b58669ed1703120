/*
 * usage: which pages and features each workspace uses (the policy's usage
 * data, 2.2), as daily counts per workspace and feature, server-side
 * only, counted only for people who consented to it (consent purpose
 * "usage", consent.h). A count holds no person, address or browser:
 * usage_daily is (workspace, day, feature, n). Nothing of it leaves the
 * server. Retention purges it by day.
 */
#ifndef HD_USAGE_H
#define HD_USAGE_H

#include <json-c/json.h>

#include "actor.h"
#include "outcome.h"

/* Longest feature name usage_daily keeps. */
#define USAGE_FEATURE_MAX	40

/*
 * Counts one use of feature ("tickets.queue") in the actor's workspace
 * today (UTC): one upsert. The caller has checked the acting person's
 * consent (the web core reads it with the session). OK, E_INVALID (no
 * workspace, or a name too long), E_DB.
 */
enum outcome	 usage_count(const struct actor *, const char *feature);

/*
 * The actor's workspace's last days days (today included, UTC), for its
 * admins: { days: [{ day: "2026-11-30", label: "30 Nov" }, ...] newest first, features: [{
 * feature, total, counts: [{ n }, one per day in days' order] }] busiest
 * first, total }. NULL on a database error.
 */
struct json_object *usage_table(const struct actor *, int days);

#endif
