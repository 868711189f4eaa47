#define _GNU_SOURCE
#include "CAshFlareProcess.h"
#include <sys/syscall.h>
#include <fcntl.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

int ashflare_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

int ashflare_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}
