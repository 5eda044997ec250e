#include "envelope_file.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *dup_str(const json_t *obj, const char *key)
{
	const char *v = json_string_value(json_object_get(obj, key));
	return v ? strdup(v) : NULL;
}

static json_t *load_sidecar(const char *path)
{
	char json[4096];
	size_t n = strlen(path);
	struct stat st;

	snprintf(json, sizeof(json), "%s.json", path);
	if (stat(json, &st) != 0 && n > 4 && strcmp(path + n - 4, ".eml") == 0)
		snprintf(json, sizeof(json), "%.*s.json", (int)(n - 4), path);
	if (stat(json, &st) != 0 || st.st_size > ENVELOPE_FILE_MAX)
		return NULL;
	return json_load_file(json, 0, NULL);
}

int envelope_file_load(const char *message_path, struct envelope *env)
{
	json_t *j = load_sidecar(message_path), *e, *c, *rcpts, *r;
	const char *d;
	size_t i;

	memset(env, 0, sizeof(*env));
	if (!json_is_object(j)) {
		json_decref(j);
		return 0;
	}
	e = json_object_get(j, "envelope") ? json_object_get(j, "envelope") : j;
	c = json_object_get(j, "client");
	env->sender = dup_str(e, "sender");
	env->auth = dup_str(e, "auth");
	env->client_addr = c ? dup_str(c, "addr") : dup_str(j, "client_addr");
	env->helo = c ? dup_str(c, "helo") : dup_str(j, "helo");
	env->queue_id = dup_str(j, "queue_id");
	env->daemon_name = dup_str(e, "daemon_name");
	d = json_string_value(json_object_get(j, "direction"));
	env->outbound = d ? strcmp(d, "outbound") == 0 : -1;
	rcpts = json_object_get(e, "recipients");
	env->rcpts = calloc(json_array_size(rcpts) + 1, sizeof(char *));
	json_array_foreach(rcpts, i, r) if (env->rcpts && json_is_string(r))
	    env->rcpts[env->nrcpts++] = strdup(json_string_value(r));
	json_decref(j);
	return 1;
}

void envelope_file_free(struct envelope *env)
{
	free(env->sender);
	free(env->auth);
	free(env->client_addr);
	free(env->helo);
	free(env->queue_id);
	free(env->daemon_name);
	for (size_t i = 0; i < env->nrcpts; i++)
		free(env->rcpts[i]);
	free(env->rcpts);
	memset(env, 0, sizeof(*env));
}
