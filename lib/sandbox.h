/*
 * sandbox: what a worker gives up once it is ready to serve. After this,
 * it cannot gain privileges, run another program, trace a process or
 * load kernel code (seccomp), and, where the kernel has Landlock, it may
 * open files only in the template directory (read) and the temporary
 * directory (read and write). Its database socket and its FastCGI socket
 * are already open or are reached by connect(), which Landlock leaves be.
 */
#ifndef HD_SANDBOX_H
#define HD_SANDBOX_H

/* Returns 0, or -1 when a step the kernel offers failed (logged). */
int	sandbox_enter(void);

#endif
