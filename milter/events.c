#include "events.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../parser/utf8.h"
#include "../policy/direction.h"
#include "../policy/event_json.h"
#include "log.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char *event_path;
static int event_fd = -1;

static int open_path(void)
{
	int fd;

	if (strcmp(event_path, "-") == 0)
		return dup(STDOUT_FILENO);
	fd = open(event_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0)
		log_msg(LOG_ERR, "cannot open event_log %s: %s", event_path,
			strerror(errno));
	return fd;
}

int events_open(const char *path)
{
	if (!path || !*path)
		return 0;
	event_path = strdup(path);
	if (!event_path)
		return -1;
	event_fd = open_path();
	return event_fd < 0 ? -1 : 0;
}

int events_reopen(void)
{
	int fd, old;

	if (!event_path)
		return 0;
	fd = open_path();
	if (fd < 0)
		return -1;
	pthread_mutex_lock(&lock);
	old = event_fd;
	event_fd = fd;
	pthread_mutex_unlock(&lock);
	if (old >= 0)
		close(old);
	return 0;
}

static json_t *string_or_null(const char *s)
{
	char *clean;
	json_t *j;

	if (!s)
		return json_null();
	clean = utf8_repair(s, strlen(s));
	j = clean ? json_string(clean) : json_null();
	free(clean);
	return j;
}

static json_t *envelope_json(const struct envelope *env)
{
	json_t *rcpts = json_array();

	for (size_t i = 0; rcpts && i < env->nrcpts; i++)
		json_array_append_new(rcpts, string_or_null(env->rcpts[i]));
	return json_pack("{s:o,s:o,s:o,s:o}", "sender",
			 string_or_null(env->sender), "recipients", rcpts,
			 "auth", string_or_null(env->auth), "daemon_name",
			 string_or_null(env->daemon_name));
}

static json_t *quarantine_json(const struct quarantine_ref *q)
{
	if (!q)
		return json_null();
	return json_pack("{s:s,s:o}", "method", q->method, "id",
			 string_or_null(q->id));
}

json_t *events_object(const struct envelope *env, const struct judgement *j,
		      double elapsed_ms, const struct quarantine_ref *q)
{
	json_t *e = event_json(NULL, &j->report, policy_ref_policy(j->policy),
			       &j->decision);

	if (!e)
		return NULL;
	json_object_set_new(e, "queue_id", string_or_null(env->queue_id));
	json_object_set_new(e, "envelope", envelope_json(env));
	json_object_set_new(e, "client",
			    json_pack("{s:o,s:o,s:o}", "addr",
				      string_or_null(env->client_addr), "name",
				      string_or_null(env->client_name), "helo",
				      string_or_null(env->helo)));
	json_object_set_new(e, "direction", json_string(direction_name(env)));
	json_object_set_new(e, "quarantine", quarantine_json(q));
	json_object_set_new(e, "released", string_or_null(j->released_id));
	json_object_set_new(e, "poison", json_boolean(j->poisoned));
	json_object_set_new(e, "total_ms", json_real(elapsed_ms));
	json_object_set_new(e, "time", json_integer((json_int_t)time(NULL)));
	return e;
}

void events_write(const struct envelope *env, const struct judgement *j,
		  double elapsed_ms, const struct quarantine_ref *q)
{
	json_t *e;
	char *line;
	size_t len;

	if (event_fd < 0)
		return;
	e = events_object(env, j, elapsed_ms, q);
	line = e ? json_dumps(e, JSON_COMPACT) : NULL;
	json_decref(e);
	if (!line)
		return;
	len = strlen(line);
	line[len] = '\n'; /* json_dumps' NUL becomes the line end */
	pthread_mutex_lock(&lock);
	if (write(event_fd, line, len + 1) != (ssize_t)(len + 1))
		log_msg(LOG_ERR, "event_log write failed: %s", strerror(errno));
	pthread_mutex_unlock(&lock);
	free(line);
}
