/*
 * mydata: what we hold about a person, as the "Your data" page shows it
 * to them (the privacy policy's right of access): their profile, each
 * workspace and their role in it, their recent sign-ins and the failed
 * ones against their address, the consents they gave and withdrew, the
 * policy versions they accepted or were shown, the invitations and mail
 * sent to their address, the mail they sent that waits in a quarantine,
 * and how much they wrote. Their sessions are
 * sessions.h's.
 *
 * Everything is the actor's own: each query is keyed by the actor's
 * user (or, for failed sign-ins, their address), never by anything the
 * request names. Lists are the newest n, each with its total.
 */
#ifndef HD_MYDATA_H
#define HD_MYDATA_H

#include <json-c/json.h>

#include "actor.h"

/*
 * The actor's data, times "YYYY-MM-DD HH:MM" UTC:
 *
 *	{ profile: { name, email, confirmed, since, and when a new
 *	      address waits for its link: pending_email, pending_until },
 *	  workspaces: [{ name, slug, role, since }], workspaces_total,
 *	  signins: [{ time, ip, browser (in words) }], signins_total,
 *	  failures: [{ time, ip }], failures_total,
 *	  failed_signins: [{ time, ip, browser }], failed_signins_total
 *	    (the audit rows of failed sign-ins naming the account),
 *	  consents: [{ purpose ("usage", "product_mail"), granted (0 or 1),
 *	      policy_version, time }], consents_total,
 *	  policy: [{ version, how ("signup", "notice"), time }], policy_total,
 *	  invitations: [{ workspace, role, time, state ("open", "accepted",
 *	      "expired") }], invitations_total,
 *	  mails: [{ time, subject, state ("sent", "waiting", "failed") }],
 *	      mails_total,
 *	  quarantined: [{ time, subject, workspace (its name, or null) }],
 *	      quarantined_total (mail they sent that waits in a quarantine),
 *	  counts: { tickets, replies, notes, files } }
 *
 * NULL on a database error, or when the actor has no live account.
 */
struct json_object *mydata_load(const struct actor *, int n);

#endif
