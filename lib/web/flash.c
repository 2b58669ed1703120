/*
 * flash: messages after actions (flash.h). The cookie's value is
 * "CODE" or "CODE.NUMBER"; anything else is ignored, so a forged cookie
 * can only pick one of these sentences.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flash.h"
#include "i18n.h"
#include "util.h"

static const struct {
	const char	*code;
	const char	*text;
	const char	*after;	/* non-NULL: the number, then this */
} messages[] = {
	[FLASH_TICKET_OPENED] = { "opened", N_("Ticket #"), N_(" opened.") },
	[FLASH_TRIAGE_SAVED] = { "triaged", N_("Triage saved.") },
	[FLASH_REPLY_SENT] = { "replied", N_("Reply sent.") },
	[FLASH_NOTE_ADDED] = { "noted", N_("Internal note added.") },
	[FLASH_WS_CREATED] = { "created", N_("Workspace created.") },
	[FLASH_WS_JOINED] = { "joined", N_("You joined the workspace.") },
	[FLASH_INVITE_ACCEPTED] = { "accepted",
	    N_("Invitation accepted: welcome to the workspace.") },
	[FLASH_WS_LEFT] = { "left", N_("You left the workspace.") },
	[FLASH_MEMBER_REMOVED] = { "removed", N_("The member was removed.") },
	[FLASH_INVITE_REVOKED] = { "revoked",
	    N_("The invitation was revoked.") },
	[FLASH_SESSION_ENDED] = { "ended", N_("That session was signed out.") },
	[FLASH_SESSIONS_ENDED] = { "others",
	    N_("Every other session was signed out.") },
	[FLASH_PASSWORD_CHANGED] = { "password", N_("Your password was "
	    "changed. Other sessions were signed out.") },
	[FLASH_PASSWORD_RESET] = { "reset", N_("Your new password is set. "
	    "Every other session of the account was signed out.") },
	[FLASH_EMAIL_CONFIRMED] = { "confirmed",
	    N_("Your email address is confirmed.") },
	[FLASH_EMAIL_LINK_SENT] = { "email", N_("We sent a link to your new "
	    "address. Your address changes when you open it.") },
	[FLASH_CONFIRM_RESENT] = { "resent",
	    N_("We sent a new confirmation link to your address.") },
	[FLASH_NOTIFICATIONS_SAVED] = { "notifications",
	    N_("Your notification settings were saved.") },
	[FLASH_NAME_CHANGED] = { "name", N_("Your name was changed.") },
	[FLASH_CONSENT_GRANTED] = { "granted",
	    N_("Thank you: your choice is saved.") },
	[FLASH_CONSENT_WITHDRAWN] = { "withdrawn",
	    N_("Withdrawn: we no longer do this.") },
	[FLASH_2FA_REMOVED] = { "tfoff", N_("Two-factor sign-in is off. Your "
	    "password alone signs you in now.") },
	[FLASH_2FA_RECOVERY_USED] = { "recovery", N_("You signed in with a "
	    "recovery code; it will not work again.") },
	[FLASH_ROLE_CHANGED] = { "role", N_("The role was changed.") },
	[FLASH_MEMBER_SUSPENDED] = { "suspended", N_("The member's access was "
	    "suspended. Nothing of theirs was deleted.") },
	[FLASH_MEMBER_UNSUSPENDED] = { "unsuspended",
	    N_("The member's access was given back.") },
	[FLASH_REQUESTER_ERASED] = { "erased", N_("The requester's data was "
	    "erased from this workspace.") },
	[FLASH_SETTINGS_SAVED] = { "settings", N_("The settings were saved.") },
	[FLASH_HOLD_PLACED] = { "held", N_("The hold is placed. Retention and "
	    "erasure keep what it covers until it is lifted.") },
	[FLASH_HOLD_LIFTED] = { "lifted", N_("The hold is lifted.") },
	[FLASH_QUARANTINE_DELETED] = { "deleted",
	    N_("The message was deleted.") },
	[FLASH_QUARANTINE_RELEASED] = { "released", N_("The message was "
	    "released as ticket #"), "." },
	[FLASH_WS_DELETED] = { "wsdeleted", N_("The workspace was deleted.") },
	[FLASH_SIGNED_OUT] = { "signedout", N_("You are signed out.") },
	[FLASH_PREFS_SAVED] = { "prefs", N_("Your preferences were saved.") },
};

void
flash(struct req *r, enum flash f, long long num)
{
	char v[48];

	if ((size_t)f >= nitems(messages))
		return;
	if (num > 0)
		snprintf(v, sizeof(v), "%s.%lld", messages[f].code, num);
	else
		snprintf(v, sizeof(v), "%s", messages[f].code);
	resp_cookie(r, FLASH_COOKIE, v, FLASH_MAX_AGE);
}

/* The number after the dot: 1 to 15 digits, nothing else. */
static long long
flash_num(const char *s)
{
	size_t n = strspn(s, "0123456789");

	if (n == 0 || n > 15 || s[n] != '\0')
		return -1;
	return strtoll(s, NULL, 10);
}

void
flash_take(struct req *r, struct json_object *ctx, int show)
{
	const char *v = kv_get(&r->cookies, FLASH_COOKIE);
	const char *dot;
	char text[160];
	long long num = 0;
	size_t i, len;

	if (v == NULL || r->method != M_GET)
		return;
	/* Read once: cleared whatever it held. */
	resp_cookie(r, FLASH_COOKIE, "", 0);
	if (!show || ctx == NULL)
		return;
	dot = strchr(v, '.');
	len = dot ? (size_t)(dot - v) : strlen(v);
	if (dot && (num = flash_num(dot + 1)) < 0)
		return;
	for (i = 0; i < nitems(messages); i++) {
		if (strlen(messages[i].code) != len ||
		    strncmp(messages[i].code, v, len) != 0)
			continue;
		/* A message with a number needs one; one without, none. */
		if ((messages[i].after != NULL) != (dot != NULL))
			return;
		if (dot)
			snprintf(text, sizeof(text), "%s%lld%s",
			    _(messages[i].text), num, _(messages[i].after));
		else
			snprintf(text, sizeof(text), "%s", _(messages[i].text));
		json_object_object_add(ctx, "flash",
		    json_object_new_string(text));
		return;
	}
}
