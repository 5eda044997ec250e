#include "worker.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../parser/limits_json.h"
#include "../parser/report_wire.h"
#include "../parser/scan.h"
#include "../parser/yara_rules.h"
#include "sandbox.h"
#include "wire.h"

#define HOOK_HEADER	"X-Kensa-Test-Hook:"
#define HOOK_SCAN_BYTES 65536

struct worker_request {
	struct scan_options opts;
	unsigned timeout;
	int test_hooks;
	const char *yara_error; /* the site's rules could not be compiled */
	char *common_passwords; /* owned; NULL: the built-in list */
};

/* The site's YARA rules, compiled once and again only when the list of
 * files or one of them (size, mtime) changes; why they could not be. */
static struct yara_rules *yara_cache;
static char *yara_key, *yara_error;

/* The last request as sent, and as read: the daemon sends the same one
 * with every message until the policy is reloaded. */
static char *last_text;
static size_t last_len;
static json_t *last_json;
static struct worker_request last;

static char *yara_files_key(const json_t *files)
{
	char *key = strdup(""), *next;
	size_t i;
	json_t *f;

	json_array_foreach(files, i, f)
	{
		struct stat st;
		const char *path = json_string_value(f);
		if (!key || !path)
			break;
		if (stat(path, &st) < 0)
			memset(&st, 0, sizeof(st));
		if (asprintf(&next, "%s%s:%lld:%lld\n", key, path,
			     (long long)st.st_size, (long long)st.st_mtime) < 0)
			next = NULL;
		free(key);
		key = next;
	}
	return key;
}

static void yara_for_request(const json_t *files, struct worker_request *req)
{
	const char *paths[64];
	char err[512], *key;
	size_t n = 0, i;
	json_t *f;

	if (json_array_size(files) == 0)
		return;
	key = yara_files_key(files);
	if (key && yara_key && strcmp(key, yara_key) == 0) {
		free(key);
		req->opts.yara = yara_cache;
		req->yara_error = yara_error;
		return;
	}
	json_array_foreach(files, i, f) if (n < 64 && json_is_string(f))
	    paths[n++] = json_string_value(f);
	yara_rules_free(yara_cache);
	yara_cache = NULL;
	free(yara_key);
	free(yara_error);
	yara_key = key;
	yara_error = NULL;
	if (yara_rules_compile(paths, n, &yara_cache, err, sizeof(err)) < 0)
		yara_error = strdup(err);
	req->opts.yara = yara_cache;
	req->yara_error = yara_error;
}

static int parse_request(const char *buf, size_t len,
			 struct worker_request *req)
{
	static const struct scan_limits defaults = SCAN_LIMITS_DEFAULT;
	json_t *j = json_loadb(buf, len, 0, NULL);

	if (!json_is_object(j)) {
		json_decref(j);
		return -1;
	}
	memset(req, 0, sizeof(*req));
	req->opts.limits = defaults;
	limits_from_json(json_object_get(j, "limits"), &req->opts.limits);
	req->timeout =
	    (unsigned)json_integer_value(json_object_get(j, "timeout"));
	req->test_hooks = json_is_true(json_object_get(j, "test_hooks"));
	if (json_is_string(json_object_get(j, "common_passwords"))) {
		req->common_passwords = strdup(
		    json_string_value(json_object_get(j, "common_passwords")));
		if (!req->common_passwords) {
			json_decref(j);
			return -1;
		}
	}
	req->opts.common_passwords = req->common_passwords;
	json_decref(last_json);
	last_json = j;
	return 0;
}

/* The request for this message: the last one again when the bytes are
 * the same (the YARA files are still checked for changes). */
static const struct worker_request *request_for(char *buf, size_t len)
{
	if (!last_text || len != last_len || memcmp(buf, last_text, len)) {
		free(last.common_passwords);
		free(last_text);
		last.common_passwords = NULL;
		last_text = NULL;
		if (parse_request(buf, len, &last) < 0) {
			free(buf);
			return NULL;
		}
		last_text = buf;
		last_len = len;
	} else {
		free(buf);
	}
	yara_for_request(json_object_get(last_json, "yara"), &last);
	return &last;
}

/* Test hooks (test_hooks: true only): crash or hang on request. */
static void run_test_hook(struct span msg)
{
	size_t n = msg.len < HOOK_SCAN_BYTES ? msg.len : HOOK_SCAN_BYTES;
	const char *h = memmem(msg.ptr, n, HOOK_HEADER, strlen(HOOK_HEADER));

	if (!h)
		return;
	h += strlen(HOOK_HEADER);
	while (*h == ' ')
		h++;
	if (strncmp(h, "crash", 5) == 0)
		kill(getpid(), SIGKILL);
	if (strncmp(h, "hang", 4) == 0)
		for (;;)
			pause();
}

/* The report of the message in fd, encoded for the daemon; 0 or -1. */
static int scan_to_wire(int fd, const struct worker_request *req,
			unsigned char **out, size_t *len)
{
	struct report report;
	struct stat st;
	void *map = NULL;
	struct span msg = span_make("", 0);
	int rc = -1;

	if (fstat(fd, &st) < 0)
		return -1;
	if (st.st_size > 0) {
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd,
			   0);
		if (map == MAP_FAILED)
			return -1;
		msg = span_make(map, (size_t)st.st_size);
	}
	if (req->test_hooks)
		run_test_hook(msg);
	if (scan_message(msg, &req->opts, &report) == 0) {
		if (req->yara_error)
			report_add_finding(&report, "scan.error", NULL,
					   req->yara_error,
					   strlen(req->yara_error));
		rc = report_to_wire(&report, out, len);
	}
	report_free(&report);
	if (map)
		munmap(map, (size_t)st.st_size);
	return rc;
}

int worker_main(size_t memory_limit)
{
	const struct worker_request *req;

	scan_global_init();
	if (sandbox_enter(memory_limit) < 0)
		return 1;
	for (;;) {
		char *buf;
		unsigned char *answer;
		size_t len, answer_len;
		int fd, rc = wire_recv(WORKER_FD, &buf, &len, &fd);

		if (rc != 0)
			return rc > 0 ? 0 : 1;
		if (fd < 0) {
			free(buf);
			return 1;
		}
		if (!(req = request_for(buf, len))) {
			close(fd);
			return 1;
		}
		sandbox_cpu_limit(req->timeout);
		rc = scan_to_wire(fd, req, &answer, &answer_len);
		close(fd);
		if (rc < 0)
			return 1;
		rc = wire_send(WORKER_FD, answer, answer_len, -1);
		free(answer);
		if (rc < 0)
			return 1;
	}
}
