/*
 * attachments: files sent with a new ticket, a comment or a note.
 *
 * Contents live in MariaDB, once per workspace and distinct SHA-256
 * (blobs), so every app node sees them and a database backup holds them,
 * and no workspace's uploads touch another's rows; each upload is an
 * attachments row that points at its blob and belongs to a ticket's
 * opening message (comment_id NULL) or to one comment or note. It is
 * visible exactly when that message is (authz.h).
 *
 * A blob's bytes are rows of blob_chunks, 512 KiB each (the last one
 * shorter; none for an empty file), so no packet carries a whole file and
 * a worker holds one chunk at a time: uploads are hashed and stored chunk
 * by chunk, letting go of each (upload.h), and downloads are streamed
 * chunk by chunk (attachment_send).
 *
 * A file name is outside input meant for other people's disks and
 * screens: it is normalised before it is stored or checked, and again
 * before it goes into a header. Content types come from a short
 * allow-list, never from the sender.
 */
#ifndef HD_ATTACHMENTS_H
#define HD_ATTACHMENTS_H

#include <stddef.h>
#include <json-c/json.h>

#include "actor.h"
#include "buf.h"
#include "outcome.h"
#include "upload.h"

#define FILENAME_MAX_BYTES	200
#define CONTENT_TYPE_DEFAULT	"application/octet-stream"

/*
 * raw is valid UTF-8 (the core checked). Removes Unicode format characters
 * (category Cf: bidi overrides, zero-width spaces, ...), C0 and C1 controls
 * and DEL, the path separators / and \ and the characters Windows forbids
 * (<>:"|?*); then leading dots and spaces and trailing dots and spaces.
 * Caps the result at FILENAME_MAX_BYTES on a character boundary, keeping
 * the extension when it is short. "file" when nothing is left. Returns a
 * malloc'd string, never NULL.
 */
char	*filename_normalize(const char *raw);

/* A static MIME type for a normalised name: a few types by extension,
 * CONTENT_TYPE_DEFAULT for everything else (svg and html included). */
const char *content_type_for(const char *name);

/* A stored type as a static string if it is one content_type_for can
 * give, else CONTENT_TYPE_DEFAULT. */
const char *content_type_safe(const char *stored);

/* Content-Disposition: attachment with an ASCII filename and an RFC 6266
 * filename* (UTF-8, percent-encoded) for a normalised name. */
void	content_disposition(struct buf *, const char *name);

/* "512 bytes", "1.2 MB", "25 MB" (units of 1024). */
void	size_label(long long bytes, char *out, size_t outsz);

/*
 * What every form with a file input says of the limits (config.h's
 * max_files, max_file and max_request): { files: 10, file: "25 MB",
 * total: "50 MB" }, which the partial partials/upload-limits words ("Up
 * to 10 files, 25 MB each, 50 MB in all"); total only when it binds
 * before files x file does.
 */
struct json_object *upload_limits(void);

/* Which limit refused a message's files. */
enum upload_limit {
	UPLOAD_FILES,	/* more than max_files */
	UPLOAD_FILE,	/* one over max_file */
	UPLOAD_TOTAL	/* the whole message over max_request */
};

/* Why, naming the limit: "Too many files in one message: the limit is
 * 10.", "A file is larger than 25 MB, the limit for one file.", "The
 * message and its files are larger than 50 MB, the limit for all of them
 * together." In the current language, cut to outsz. */
void	upload_refusal(enum upload_limit, char *out, size_t outsz);

/*
 * Stores every file of up on a ticket's opening message (comment_id 0)
 * or on one comment or note, uploaded by a's user in a's workspace: the
 * blob and its chunks unless the workspace stored that content already,
 * and an attachments row, and marks the ticket as having attachments
 * (tickets.has_attachments, which the ticket page reads to ask for them
 * only then). Runs inside the caller's transaction. OK,
 * E_NOT_FOUND (no such ticket or comment in a's workspace), E_DB.
 */
enum outcome attachments_save(const struct actor *, const struct uploads *up,
	    long long ticket_id, long long comment_id);

/*
 * The attachments of a ticket that a may see (the opening message and
 * visible comments and notes), in upload order: an array of
 * { id, comment_id (null for the opening message), filename, size,
 * size_label, url }. NULL on a database error.
 */
struct json_object *attachments_json(const struct actor *,
	    long long ticket_id);

/* One stored file, as attachment_open finds it. */
struct attachment_file {
	char		*filename;	/* as stored (normalised once) */
	char		*content_type;	/* as stored: see content_type_safe */
	long long	 size;
	unsigned char	 sha256[32];
};

/*
 * Attachment id of a's workspace, if a may see the message it belongs to
 * (the ticket, and the note for P_NOTE): OK with *f filled (free it with
 * attachment_close), E_NOT_FOUND when not, the same answer as for an id
 * that never existed, E_DB (a blob row that makes no sense is one too).
 */
enum outcome attachment_open(const struct actor *, long long id,
	    struct attachment_file *f);
void	attachment_close(struct attachment_file *);

/*
 * Sends the bytes of f, a chunk at a time, to write(arg, p, n), which
 * returns 0, or -1 to stop (the client went away). 0 when every byte
 * went; -1 when one could not be read (logged) or write stopped. Not an
 * outcome: like write(2), it streams, and its caller has sent the head
 * already, so nothing is left to decide by its answer.
 */
int	attachment_send(const struct actor *, long long id,
	    const struct attachment_file *f,
	    int (*write)(void *arg, const void *p, size_t n), void *arg);

#endif
