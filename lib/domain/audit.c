#include "audit.h"
#include "db.h"

int
audit(struct req *r, long long workspace_id, long long actor_id,
    const char *action, const char *object_type, long long object_id)
{
	long long actor = r->user ? r->user->id : actor_id;

	return db_exec("INSERT INTO audit_log (workspace_id, actor_id, action,"
	    " object_type, object_id, ip, user_agent, created_at) VALUES"
	    " (NULLIF(?, 0), NULLIF(?, 0), ?, ?, NULLIF(?, 0), ?, LEFT(?, 255),"
	    " UTC_TIMESTAMP())", "iississ", workspace_id, actor, action,
	    object_type, object_id, r->remote_addr, r->user_agent) == -1 ?
	    -1 : 0;
}
