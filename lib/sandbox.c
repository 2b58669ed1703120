#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>

#include "config.h"
#include "log.h"
#include "sandbox.h"
#include "util.h"

/* The Landlock rights of ABI 1, which every Landlock kernel knows. */
#define FS_READ		(LANDLOCK_ACCESS_FS_READ_FILE | \
			 LANDLOCK_ACCESS_FS_READ_DIR)
#define FS_ALL_V1	((1ULL << 13) - 1)

static int
landlock_rule(int ruleset, const char *path, uint64_t access)
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

static int
landlock(void)
{
	struct landlock_ruleset_attr attr;
	const char *tmp = getenv("TMPDIR");
	int fd, rc = -1;

	if (syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION) < 1) {
		log_info("sandbox: this kernel has no Landlock; files stay "
		    "reachable");
		return 0;
	}
	memset(&attr, 0, sizeof(attr));
	attr.handled_access_fs = FS_ALL_V1;
	fd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd == -1)
		return -1;
	if (landlock_rule(fd, cfg.templates, FS_READ) == -1 ||
	    landlock_rule(fd, tmp ? tmp : "/tmp", FS_ALL_V1 &
	    ~LANDLOCK_ACCESS_FS_EXECUTE) == -1)
		goto out;
#if defined(__SANITIZE_ADDRESS__)
	/* The leak checker reads the process's memory map at exit. */
	if (landlock_rule(fd, "/proc", FS_READ) == -1)
		goto out;
#endif
	rc = (int)syscall(SYS_landlock_restrict_self, fd, 0);
out:
	close(fd);
	return rc;
}

#define DENY(nr) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM)

/*
 * A deny list, not an allow list: libraries may use any ordinary call,
 * but nothing a web worker has no business doing.
 */
static int
seccomp(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		/* x32 calls carry this bit: none of ours do. */
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		DENY(SYS_execve),
		DENY(SYS_execveat),
#if !defined(__SANITIZE_ADDRESS__)
		/* The leak checker attaches to the process's threads. */
		DENY(SYS_ptrace),
#endif
		DENY(SYS_process_vm_writev),
		DENY(SYS_process_vm_readv),
		DENY(SYS_mount),
		DENY(SYS_umount2),
		DENY(SYS_pivot_root),
		DENY(SYS_chroot),
		DENY(SYS_init_module),
		DENY(SYS_finit_module),
		DENY(SYS_delete_module),
		DENY(SYS_kexec_load),
		DENY(SYS_bpf),
		DENY(SYS_setuid),
		DENY(SYS_setgid),
		DENY(SYS_unshare),
		DENY(SYS_setns),
		DENY(SYS_reboot),
		DENY(SYS_swapon),
		DENY(SYS_acct),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { (unsigned short)nitems(filter), filter };

	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

int
sandbox_enter(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		log_err("sandbox: no_new_privs: %s", strerror(errno));
		return -1;
	}
	if (landlock() == -1) {
		log_err("sandbox: landlock: %s", strerror(errno));
		return -1;
	}
	if (seccomp() == -1) {
		log_err("sandbox: seccomp: %s", strerror(errno));
		return -1;
	}
	return 0;
}
