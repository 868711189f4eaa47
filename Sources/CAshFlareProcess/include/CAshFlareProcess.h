#ifndef CASHFLAREPROCESS_H
#define CASHFLAREPROCESS_H

#include <sys/types.h>
#include <sys/epoll.h>

/// pidfd_open(2) (glibc has no wrapper before 2.36 and Swift cannot call the variadic syscall):
/// a descriptor that becomes readable when process `pid` exits, or -1 with errno set.
int ashflare_pidfd_open(pid_t pid);

/// pipe2(2) with O_CLOEXEC (Glibc's Swift module hides pipe2 behind _GNU_SOURCE): 0, or -1
/// with errno set.
int ashflare_pipe_cloexec(int fds[2]);

#endif
