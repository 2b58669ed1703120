/*
 * landlock: what a confined worker may reach by name, with every right
 * the running kernel's Landlock ABI knows (handled and so denied unless a
 * rule allows it): files under the templates (read) and TMPDIR (upload
 * spool files), no TCP bind or connect (but to the database's port when
 * it is reached over TCP, db_host), no abstract unix sockets and no
 * signals outside the worker.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include <linux/landlock.h>

#include "config.h"
#include "log.h"
#include "sandbox.h"
#include "timefmt.h"

/*
 * Debian 12's <linux/landlock.h> (Linux 6.1) stops at ABI 2: the rights
 * and fields of later ABIs, from the kernel's uapi header.
 */
#define FS_TRUNCATE	(1ULL << 14)	/* ABI 3 */
#define NET_BIND_TCP	(1ULL << 0)	/* ABI 4 */
#define NET_CONNECT_TCP	(1ULL << 1)
#define FS_IOCTL_DEV	(1ULL << 15)	/* ABI 5 */
#define SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)	/* ABI 6 */
#define SCOPE_SIGNAL	(1ULL << 1)

/* struct landlock_ruleset_attr as of ABI 6; older kernels accept it as
 * long as the fields they do not know are zero. */
struct ruleset_attr {
	uint64_t	handled_access_fs;
	uint64_t	handled_access_net;
	uint64_t	scoped;
};

#define FS_V1		((1ULL << 13) - 1)
#define FS_READ		(LANDLOCK_ACCESS_FS_READ_FILE | \
			 LANDLOCK_ACCESS_FS_READ_DIR)
/* An upload spool file: O_TMPFILE, or mkstemp and unlink. */
#define FS_SPOOL	(FS_READ | LANDLOCK_ACCESS_FS_WRITE_FILE | \
			 LANDLOCK_ACCESS_FS_MAKE_REG | \
			 LANDLOCK_ACCESS_FS_REMOVE_FILE | FS_TRUNCATE)

static uint64_t
fs_rights(int abi)
{
	uint64_t fs = FS_V1;

	if (abi >= 2)
		fs |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		fs |= FS_TRUNCATE;
	if (abi >= 5)
		fs |= FS_IOCTL_DEV;
	return fs;
}

static int
allow_beneath(int ruleset, const char *path, uint64_t access)
{
	struct landlock_path_beneath_attr pb;
	int fd, rc;

	if ((fd = open(path, O_PATH | O_CLOEXEC)) == -1)
		return 0;	/* nothing there to allow */
	memset(&pb, 0, sizeof(pb));
	pb.allowed_access = access;
	pb.parent_fd = fd;
	rc = (int)syscall(SYS_landlock_add_rule, ruleset,
	    LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	close(fd);
	return rc;
}

/* struct landlock_net_port_attr (ABI 4; not in Debian 12's header). */
struct net_port_attr {
	uint64_t	allowed_access;
	uint64_t	port;
};
#define RULE_NET_PORT	2	/* LANDLOCK_RULE_NET_PORT */

static int
allow_port(int ruleset, long long port)
{
	struct net_port_attr np;

	memset(&np, 0, sizeof(np));
	np.allowed_access = NET_CONNECT_TCP;
	np.port = (uint64_t)port;
	return (int)syscall(SYS_landlock_add_rule, ruleset, RULE_NET_PORT,
	    &np, 0);
}

/*
 * TCP connects to the database's port (db_host) or to the ports of the
 * nodes of db_hosts. Landlock rules name a port, not an address: any
 * host on those ports (names were resolved before confining, server.c).
 */
static int
allow_db_ports(int ruleset)
{
	struct dbhost h;
	size_t i;

	if (cfg.db_host != NULL && *cfg.db_host != '\0' &&
	    allow_port(ruleset, cfg.db_port) == -1)
		return -1;
	for (i = 0; config_db_host(i, &h) == 0; i++)
		if (allow_port(ruleset, h.port) == -1)
			return -1;
	return 0;
}

/* Where upload spool files go: as spool_open() in request.c decides. */
static const char *
tmp_dir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir != NULL && *dir != '\0' ? dir : "/tmp";
}

static void
say_what_is_missing(int abi)
{
	if (abi < 3)
		log_info("sandbox: Landlock ABI %d: files outside the allowed "
		    "folders can still be truncated", abi);
	if (abi < 4)
		log_info("sandbox: Landlock ABI %d: TCP connect and bind stay "
		    "open", abi);
	if (abi < 6)
		log_info("sandbox: Landlock ABI %d: signals and abstract unix "
		    "sockets outside the worker stay reachable", abi);
}

int
landlock_confine(void)
{
	struct ruleset_attr attr;
	uint64_t fs;
	int abi, fd, rc = -1;

	abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1) {
		log_info("sandbox: this kernel has no Landlock; files stay "
		    "reachable");
		return 0;
	}
	say_what_is_missing(abi);
	fs = fs_rights(abi);
	memset(&attr, 0, sizeof(attr));
	attr.handled_access_fs = fs;
	/* The database is a unix socket (db_socket): no TCP at all; or over
	 * TCP (db_host, or the nodes of db_hosts): connect to those ports
	 * only (allow_db_ports). */
	if (abi >= 4)
		attr.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP;
	if (abi >= 6)
		attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL;
	fd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd == -1)
		return -1;
	/* tz_dir(): glibc reads a zone's file when a time is first shown
	 * in it (timefmt.h). */
	if (allow_beneath(fd, cfg.templates, FS_READ) == -1 ||
	    allow_beneath(fd, tz_dir(), FS_READ) == -1 ||
	    allow_beneath(fd, tmp_dir(), FS_SPOOL & fs) == -1 ||
	    (abi >= 4 && allow_db_ports(fd) == -1))
		goto out;
#if defined(__SANITIZE_ADDRESS__)
	/* The leak checker reads the process's memory map at exit. */
	if (allow_beneath(fd, "/proc", FS_READ) == -1)
		goto out;
#endif
	rc = (int)syscall(SYS_landlock_restrict_self, fd, 0);
out:
	close(fd);
	return rc;
}
