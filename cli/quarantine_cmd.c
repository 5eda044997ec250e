#include "quarantine_cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../parser/content_digest.h"
#include "common.h"
#include "../store/quarantine.h"
#include "../store/release.h"

struct qrun {
	struct settings settings;
	const char *dir;
	int json;
	time_t since;
	const char *rule;
	const char *sender;
	const char *to;
	long older_than_days;
};

static const char usage_text[] =
    "usage: kensa quarantine [--config FILE] [--dir PATH] COMMAND\n"
    "  list [--since YYYY-MM-DD] [--rule GLOB] [--sender PATTERN] [--json]\n"
    "  show ID\n"
    "  release ID [--to ADDRESS]\n"
    "  delete ID\n"
    "  purge [--older-than DAYS]\n";

static const char *str(json_t *obj, const char *key)
{
	const char *v = json_string_value(json_object_get(obj, key));
	return v ? v : "";
}

static int rule_matches(json_t *meta, const char *glob)
{
	size_t i;
	json_t *r;

	json_array_foreach(json_object_get(meta, "rules"), i, r)
	{
		if (json_is_string(r) &&
		    fnmatch(glob, json_string_value(r), 0) == 0)
			return 1;
	}
	return 0;
}

static int list_one(const char *id, json_t *meta, void *arg)
{
	struct qrun *q = arg;
	json_t *env = json_object_get(meta, "envelope");
	const char *sender = str(env, "sender");
	size_t i;
	json_t *r;

	if (q->rule && !rule_matches(meta, q->rule))
		return 0;
	if (q->sender && fnmatch(q->sender, sender, FNM_CASEFOLD) != 0)
		return 0;
	if (q->since && strncmp(id, "hold:", 5) != 0 &&
	    quarantine_id_time(id) < q->since)
		return 0;
	if (q->json) {
		json_object_set_new(meta, "id", json_string(id));
		json_dumpf(meta, stdout, JSON_COMPACT);
		printf("\n");
		return 0;
	}
	printf("%s  %-10s  ", id, str(meta, "verdict"));
	json_array_foreach(json_object_get(meta, "rules"), i, r)
	    printf("%s%s", i ? "," : "", json_string_value(r));
	printf("  <%s>  %s", sender, str(meta, "subject"));
	if (json_object_get(meta, "release"))
		printf("  (release: %s)", str(meta, "release"));
	printf("\n");
	return 0;
}

/* The event log's objects for the given queue ids (held mail). */
static json_t *events_for(const struct qrun *q, json_t *wanted)
{
	const char *path = q->settings.event_log;
	json_t *found = json_object();
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	if (!*path || strcmp(path, "-") == 0 || !(f = fopen(path, "r")))
		return found;
	while (getline(&line, &cap, f) > 0) {
		json_t *e = json_loads(line, 0, NULL);
		const char *qid = str(e, "queue_id");
		if (*qid && json_object_get(wanted, qid))
			json_object_set(found, qid, e);
		json_decref(e);
	}
	free(line);
	fclose(f);
	return found;
}

/* Postfix's hold queue (postqueue -j; MAIL_CONFIG picks the instance),
 * joined with the event log by queue id. */
static void list_held(struct qrun *q)
{
	FILE *p = popen("postqueue -j 2>/dev/null", "r");
	json_t *held = json_array(), *wanted = json_object(), *events, *h;
	char *line = NULL;
	size_t cap = 0, i;

	while (p && getline(&line, &cap, p) > 0) {
		json_t *e = json_loads(line, 0, NULL);
		if (strcmp(str(e, "queue_name"), "hold") == 0) {
			json_array_append(held, e);
			json_object_set_new(wanted, str(e, "queue_id"),
					    json_true());
		}
		json_decref(e);
	}
	free(line);
	if (p)
		pclose(p);
	events = events_for(q, wanted);
	json_array_foreach(held, i, h)
	{
		const char *qid = str(h, "queue_id");
		json_t *e = json_object_get(events, qid);
		json_t *meta = e ? json_deep_copy(e) : json_object();
		time_t when = (time_t)json_integer_value(
		    json_object_get(h, "arrival_time"));
		char id[128];

		if (q->since && when < q->since)
			continue;
		snprintf(id, sizeof(id), "hold:%s", qid);
		if (!e) {
			json_object_set_new(meta, "verdict",
					    json_string("unknown"));
			json_object_set_new(meta, "rules", json_array());
			json_object_set_new(
			    meta, "envelope",
			    json_pack("{s:s}", "sender", str(h, "sender")));
		}
		json_object_set_new(meta, "release",
				    json_sprintf("postsuper -H %s", qid));
		list_one(id, meta, q);
		json_decref(meta);
	}
	json_decref(events);
	json_decref(wanted);
	json_decref(held);
}

static int audit(const struct qrun *q, const char *action, const char *id,
		 const char *detail)
{
	char path[4096];
	const char *who = getenv("SUDO_USER");
	struct passwd *pw = getpwuid(getuid());
	json_t *line;
	char *text;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/audit.log", q->dir);
	line = json_pack(
	    "{s:I,s:s,s:s,s:s,s:s}", "time", (json_int_t)time(NULL), "user",
	    who	 ? who
	    : pw ? pw->pw_name
		 : "?",
	    "action", action, "id", id, "detail", detail ? detail : "");
	text = line ? json_dumps(line, JSON_COMPACT) : NULL;
	json_decref(line);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
		  0640);
	f = fd >= 0 ? fdopen(fd, "a") : NULL;
	if (!f && fd >= 0)
		close(fd);
	if (!f || !text) {
		fprintf(stderr, "kensa: cannot write %s\n", path);
		free(text);
		if (f)
			fclose(f);
		return -1;
	}
	fprintf(f, "%s\n", text);
	free(text);
	return fclose(f);
}

static int show(struct qrun *q, const char *id)
{
	json_t *meta = quarantine_meta(q->dir, id);
	char buf[8192];
	FILE *f;
	int fd;

	if (!meta) {
		fprintf(stderr, "kensa: no quarantine entry %s\n", id);
		return 1;
	}
	json_dumpf(meta, stdout, JSON_INDENT(2));
	printf("\n--- headers\n");
	json_decref(meta);
	fd = quarantine_open_message(q->dir, id);
	f = fd >= 0 ? fdopen(fd, "r") : NULL;
	while (f && fgets(buf, sizeof(buf), f)) {
		if (buf[0] == '\n' || (buf[0] == '\r' && buf[1] == '\n'))
			break;
		fputs(buf, stdout);
	}
	if (f)
		fclose(f);
	return 0;
}

/* The stored message, mapped; *len 0 and NULL for an empty one. */
static void *map_message(const struct qrun *q, const char *id, size_t *len)
{
	int fd = quarantine_open_message(q->dir, id);
	struct stat st;
	void *map = NULL;

	*len = 0;
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return MAP_FAILED;
	}
	if (st.st_size > 0)
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd,
			   0);
	close(fd);
	*len = (size_t)st.st_size;
	return map;
}

static int release(struct qrun *q, const char *id)
{
	json_t *meta = quarantine_meta(q->dir, id), *rcpts;
	unsigned char key[RELEASE_KEY_LEN];
	const char **to = NULL;
	char digest[65], err[256], *stamp = NULL, *field = NULL;
	size_t len = 0, n = 0, i;
	json_t *r;
	void *msg;
	int rc = 1;

	if (!meta) {
		fprintf(stderr, "kensa: no quarantine entry %s\n", id);
		return 1;
	}
	if (release_key_load(q->settings.state_dir, key) < 0) {
		fprintf(stderr, "kensa: cannot read %s/release.key\n",
			q->settings.state_dir);
		json_decref(meta);
		return 2;
	}
	rcpts =
	    json_object_get(json_object_get(meta, "envelope"), "recipients");
	to = calloc(json_array_size(rcpts) + 1, sizeof(*to));
	if (q->to && to)
		to[n++] = q->to;
	else if (to)
		json_array_foreach(rcpts, i, r) if (json_is_string(r)) to[n++] =
		    json_string_value(r);
	msg = map_message(q, id, &len);
	if (msg == MAP_FAILED || !to ||
	    content_digest(span_make(msg ? msg : "", len), digest) < 0 ||
	    !(stamp = release_stamp(key, id, digest)) ||
	    asprintf(&field, "%s: %s", RELEASE_HEADER, stamp) < 0) {
		fprintf(stderr, "kensa: cannot read quarantine entry %s\n", id);
		rc = 2;
	} else if (release_send(
		       q->settings.release_smtp,
		       str(json_object_get(meta, "envelope"), "sender"), to, n,
		       field, span_make(msg ? msg : "", len), err,
		       sizeof(err)) < 0) {
		fprintf(stderr, "kensa: release of %s to %s failed: %s\n", id,
			q->settings.release_smtp, err);
		rc = 2;
	} else {
		printf("released %s to %zu recipient(s)\n", id, n);
		rc = audit(q, "release", id,
			   q->to ? q->to : "original recipients") < 0
			 ? 2
			 : 0;
	}
	if (msg && msg != MAP_FAILED)
		munmap(msg, len);
	free(stamp);
	free(field);
	free(to);
	json_decref(meta);
	return rc;
}

static int delete_entry(struct qrun *q, const char *id)
{
	if (!quarantine_id_valid(id) || quarantine_delete(q->dir, id) < 0) {
		fprintf(stderr, "kensa: no quarantine entry %s\n", id);
		return 1;
	}
	return audit(q, "delete", id, NULL) < 0 ? 2 : 0;
}

static int purge(struct qrun *q)
{
	long days = q->older_than_days >= 0
			? q->older_than_days
			: (long)(q->settings.quarantine_retention / 86400);
	unsigned removed;
	char detail[64];

	if (quarantine_purge(q->dir, time(NULL) - (time_t)days * 86400,
			     &removed) < 0) {
		fprintf(stderr, "kensa: cannot purge %s: %s\n", q->dir,
			strerror(errno));
		return 2;
	}
	printf("purged %u entries older than %ld days\n", removed, days);
	snprintf(detail, sizeof(detail), "older than %ld days, %u entries",
		 days, removed);
	return audit(q, "purge", "-", detail) < 0 ? 2 : 0;
}

static int parse_day(const char *s, time_t *out)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d", &tm);
	if (!end || *end)
		return -1;
	*out = timegm(&tm);
	return 0;
}

static int run(struct qrun *q, int argc, char **argv)
{
	const char *cmd = argv[0];

	if (strcmp(cmd, "list") == 0 && argc == 1) {
		if (quarantine_foreach(q->dir, list_one, q) < 0)
			return 2;
		list_held(q);
		return 0;
	}
	if (strcmp(cmd, "show") == 0 && argc == 2)
		return show(q, argv[1]);
	if (strcmp(cmd, "release") == 0 && argc == 2)
		return release(q, argv[1]);
	if (strcmp(cmd, "delete") == 0 && argc == 2)
		return delete_entry(q, argv[1]);
	if (strcmp(cmd, "purge") == 0 && argc == 1)
		return purge(q);
	fputs(usage_text, stderr);
	return 2;
}

int quarantine_cmd(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"dir", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"since", required_argument, NULL, 's'},
	    {"rule", required_argument, NULL, 'r'},
	    {"sender", required_argument, NULL, 'S'},
	    {"to", required_argument, NULL, 't'},
	    {"older-than", required_argument, NULL, 'o'},
	    {NULL, 0, NULL, 0},
	};
	struct qrun q;
	const char *config = NULL;
	int c, rc;

	memset(&q, 0, sizeof(q));
	q.older_than_days = -1;
	/* GNU getopt permutes: options may come before or after COMMAND */
	while ((c = getopt_long(argc, argv, "c:d:", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'd': q.dir = optarg; break;
		case 'j': q.json = 1; break;
		case 'r': q.rule = optarg; break;
		case 'S': q.sender = optarg; break;
		case 't': q.to = optarg; break;
		case 's':
			if (parse_day(optarg, &q.since) < 0) {
				fprintf(stderr, "kensa: --since YYYY-MM-DD\n");
				return 2;
			}
			break;
		case 'o': q.older_than_days = strtol(optarg, NULL, 10); break;
		default: fputs(usage_text, stderr); return 2;
		}
	}
	if (optind >= argc) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (cli_settings(&q.settings, config) < 0)
		return 2;
	if (!q.dir)
		q.dir = q.settings.quarantine_dir;
	rc = run(&q, argc - optind, argv + optind);
	settings_free(&q.settings);
	return rc;
}
