/*
 * export: a person's data ("Download my data") and a whole workspace, as
 * one zip archive written while it is read: export.json (the format is
 * docs/export.md, "format": "helpdesk-export", "version": 1) and the
 * files, each streamed from its blob chunks into its own entry.
 *
 * Nothing is held whole: the JSON is written a ticket (or a row) at a
 * time, tickets are read in pages of EXPORT_PAGE by id, and a file is
 * copied a chunk (512 KiB) at a time, so a worker's memory does not grow
 * with the size of what it exports.
 *
 * What a person's export holds is what they may see now: in each
 * workspace they belong to, the tickets they requested with the thread
 * their role lets them read there (authz.h: never an internal note to a
 * requester), what they wrote on other tickets they may see, and the
 * files they uploaded to those. Other people appear by name only.
 *
 * The caller audits the export ("user.export", "workspace.export") and
 * commits that before the first byte goes out. These functions return 0
 * when the archive went out whole, -1 when it was cut short (why is
 * logged): like attachment_send, they stream, and the head is out before
 * they start. On -1 the archive's end was never written, so no unzip
 * takes it for complete; the caller cuts the response off too.
 */
#ifndef HD_EXPORT_H
#define HD_EXPORT_H

#include "actor.h"
#include "zipstream.h"

#define EXPORT_FORMAT	"helpdesk-export"
#define EXPORT_VERSION	1
/* Rows read per query of a long list (tickets, the audit log, files). */
#define EXPORT_PAGE	100

/* a's user's own data, across every workspace they belong to (a's
 * workspace, if any, is ignored). */
int	export_user(const struct actor *, zip_sink, void *arg);

/* Everything of a's workspace, for a role with P_SETTINGS (the caller's
 * route checks it; -1 and nothing written otherwise). */
int	export_workspace(const struct actor *, zip_sink, void *arg);

#endif
