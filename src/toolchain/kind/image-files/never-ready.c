/* rollcall's "never-ready" program: every command of the never-ready workload image is this binary.
 * As a container's first process it runs until stopped and serves nothing, so httpGet, tcpSocket
 * and gRPC readiness probes find no listener; run as anything else (an exec readiness probe) it
 * exits 1 at once. The container runs, and no readiness probe ever passes. */
#include <signal.h>
#include <unistd.h>

static void on_stop(int sig) {
  (void)sig;
  _exit(0);
}

int main(void) {
  if (getpid() != 1) return 1;
  /* PID 1 ignores signals it has no handler for: without these the pod would take its whole grace period to stop. */
  signal(SIGTERM, on_stop);
  signal(SIGINT, on_stop);
  for (;;) pause();
}
