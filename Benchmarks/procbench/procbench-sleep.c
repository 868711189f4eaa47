/* The supervised program of scripts/bench-vs-process-supervisors.sh: `sleep infinity` that says
 * when it runs. It writes "PID\n" to the FIFO named by $PROCBENCH_FIFO (one write, so lines from
 * many processes never interleave), keeps no other state, and pauses until a signal ends it
 * (SIGTERM and SIGKILL keep their default action, like sleep's). No libc start-up work beyond
 * the minimum, so each supervisor's figure is its own cost plus one fork/exec of this file. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void) {
    const char *fifo = getenv("PROCBENCH_FIFO");
    if (fifo != NULL) {
        int fd = open(fifo, O_WRONLY | O_CLOEXEC);
        if (fd >= 0) {
            char line[32];
            int length = snprintf(line, sizeof line, "%d\n", (int)getpid());
            if (write(fd, line, (size_t)length) != length) return 1;
            close(fd);
        }
    }
    for (;;) pause();
}
