/*
 * signin_alert: repeated failed sign-ins against an account tell its
 * owner, by mail through the outbox, with a link to choose a new
 * password. The sign-in itself stays as throttle.h makes it: slowed,
 * never locked.
 */
#ifndef HD_SIGNIN_ALERT_H
#define HD_SIGNIN_ALERT_H

#include "actor.h"
#include "outcome.h"

/*
 * In the transaction that records a failed sign-in for email (throttle_
 * fail, after it): when cfg.signin_alert_after failures or more were
 * recorded against email in the last cfg.throttle_window seconds and an
 * account has that address, its owner is mailed (template
 * mail/signin-alert) a reset link, at most once per cfg.limit_signin_alert
 * (ratelimit.h, key "signin_alert:user:ID"), and "user.signin_alert" is
 * audited. Whether anything was sent is never returned: the page answers
 * the same either way. OK (also when nothing was due), E_DB,
 * E_DB_UNKNOWN.
 */
enum outcome signin_alert(const struct actor *, const char *email);

#endif
