#include <errno.h>
#include <string.h>
#include <sys/prctl.h>

#include "log.h"
#include "sandbox.h"

int
sandbox_enter(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		log_err("sandbox: no_new_privs: %s", strerror(errno));
		return -1;
	}
	if (landlock_confine() == -1) {
		log_err("sandbox: landlock: %s", strerror(errno));
		return -1;
	}
	if (seccomp_confine() == -1) {
		log_err("sandbox: seccomp: %s", strerror(errno));
		return -1;
	}
	return 0;
}
