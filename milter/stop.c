#include "stop.h"

#include <errno.h>
#include <fcntl.h>
#include <libmilter/mfapi.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t idle = PTHREAD_COND_INITIALIZER;
static int in_flight;
static int stopping;
static int wake[2] = {-1, -1};
static volatile sig_atomic_t stop_signal;
static int milter_status;

int stop_message_begin(void)
{
	int rc = 0;

	pthread_mutex_lock(&lock);
	if (stopping)
		rc = -1;
	else
		in_flight++;
	pthread_mutex_unlock(&lock);
	return rc;
}

void stop_message_end(void)
{
	pthread_mutex_lock(&lock);
	if (--in_flight == 0)
		pthread_cond_broadcast(&idle);
	pthread_mutex_unlock(&lock);
}

static void on_stop_signal(int sig)
{
	int saved = errno;

	stop_signal = sig;
	if (write(wake[1], "s", 1) < 0) {
		/* the pipe is full: a wake-up is pending anyway */
	}
	errno = saved;
}

int stop_init(void)
{
	struct sigaction sa;

	if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) < 0 ||
	    sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGHUP, &sa, NULL) < 0)
		return -1;
	return 0;
}

static void *milter_thread(void *arg)
{
	(void)arg;
	milter_status = smfi_main();
	if (write(wake[1], "m", 1) < 0) {
		/* see on_stop_signal */
	}
	return NULL;
}

static void drain(unsigned seconds)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += seconds;
	pthread_mutex_lock(&lock);
	stopping = 1;
	while (in_flight > 0)
		if (pthread_cond_timedwait(&idle, &lock, &until) == ETIMEDOUT)
			break;
	if (in_flight > 0)
		log_msg(LOG_WARNING, "stopping with %d messages in flight",
			in_flight);
	pthread_mutex_unlock(&lock);
}

int stop_run_milter(unsigned drain_seconds)
{
	sigset_t set, old;
	pthread_t t;
	char why = 0;

	/* libmilter's threads must not take the stop signals: block them
	 * while it starts its threads, then unblock them here only. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	if (pthread_create(&t, NULL, milter_thread, NULL) != 0)
		return 1;
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	for (;;) {
		struct pollfd pfd = {wake[0], POLLIN, 0};
		if (poll(&pfd, 1, -1) < 0 && errno == EINTR)
			continue;
		if (read(wake[0], &why, 1) == 1)
			break;
	}
	if (why == 'm') {
		pthread_join(t, NULL);
		log_msg(LOG_ERR, "milter loop ended unexpectedly");
		return 1;
	}
	sd_notify(0, "STOPPING=1");
	log_msg(LOG_INFO, "stopping on signal %d; draining messages in flight",
		(int)stop_signal);
	drain(drain_seconds);
	smfi_stop();
	pthread_join(t, NULL);
	log_msg(LOG_INFO, "stopped");
	return milter_status == MI_SUCCESS ? 0 : 1;
}
