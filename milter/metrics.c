#include "metrics.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static const double buckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
				 0.5,	1,    2.5,   5,	   10,	20};
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

struct label_counts {
	char *name[METRICS_MAX_LABELS];
	unsigned long long count[METRICS_MAX_LABELS];
	size_t n;
	unsigned long long other;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct MHD_Daemon *httpd;
static unsigned long long messages[VERDICT_COUNT][2]; /* [verdict][monitor] */
static struct label_counts rule_hits, findings, tempfails, restarts, ledger;
static unsigned long long reloads[2]; /* failed, ok */
static struct label_counts quarantined;
static unsigned long long quarantined_bytes;
static unsigned long long latency[NBUCKETS + 1];
static double latency_sum;
static unsigned long long latency_count;

static void label_add(struct label_counts *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->name[i], name) == 0) {
			c->count[i]++;
			return;
		}
	if (c->n < METRICS_MAX_LABELS && (c->name[c->n] = strdup(name))) {
		c->count[c->n++] = 1;
		return;
	}
	c->other++;
}

void metrics_message(const struct report *r, const struct decision *d,
		     double seconds)
{
	size_t b = 0;

	pthread_mutex_lock(&lock);
	messages[d->verdict][d->monitor ? 1 : 0]++;
	for (size_t i = 0; i < d->nrules; i++)
		label_add(&rule_hits, d->rules[i]);
	for (size_t i = 0; i < d->nmonitor_rules; i++)
		label_add(&rule_hits, d->monitor_rules[i]);
	for (size_t i = 0; i < r->nfindings; i++)
		label_add(&findings, r->findings[i].id);
	while (b < NBUCKETS && seconds > buckets[b])
		b++;
	latency[b]++;
	latency_sum += seconds;
	latency_count++;
	pthread_mutex_unlock(&lock);
}

void metrics_tempfail(const char *cause)
{
	pthread_mutex_lock(&lock);
	label_add(&tempfails, cause);
	pthread_mutex_unlock(&lock);
}

void metrics_worker_restart(const char *reason)
{
	pthread_mutex_lock(&lock);
	label_add(&restarts, reason);
	pthread_mutex_unlock(&lock);
}

void metrics_quarantined(const char *method, size_t bytes)
{
	pthread_mutex_lock(&lock);
	label_add(&quarantined, method);
	quarantined_bytes += bytes;
	pthread_mutex_unlock(&lock);
}

void metrics_ledger(const char *event)
{
	pthread_mutex_lock(&lock);
	label_add(&ledger, event);
	pthread_mutex_unlock(&lock);
}

void metrics_reload(int ok)
{
	pthread_mutex_lock(&lock);
	reloads[ok ? 1 : 0]++;
	pthread_mutex_unlock(&lock);
}

struct text {
	char *buf;
	size_t len, cap;
};

static void put(struct text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->buf ? t->buf + t->len : NULL,
			      t->buf ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (t->buf && t->len + (size_t)n < t->cap) {
			t->len += (size_t)n;
			return;
		}
		size_t cap = (t->cap + (size_t)n + 1) * 2;
		char *nb = realloc(t->buf, cap);
		if (!nb)
			return;
		t->buf = nb;
		t->cap = cap;
	}
}

static void put_labels(struct text *t, const char *metric, const char *label,
		       const struct label_counts *c)
{
	for (size_t i = 0; i < c->n; i++)
		put(t, "%s{%s=\"%s\"} %llu\n", metric, label, c->name[i],
		    c->count[i]);
	if (c->other)
		put(t, "%s{%s=\"other\"} %llu\n", metric, label, c->other);
}

static void render(struct text *t)
{
	unsigned long long cumulative = 0;

	put(t, "# HELP kensa_messages_total Messages decided, by verdict.\n"
	       "# TYPE kensa_messages_total counter\n");
	for (int v = 0; v < VERDICT_COUNT; v++)
		for (int m = 0; m < 2; m++)
			put(t,
			    "kensa_messages_total{verdict=\"%s\",mode=\"%s\"} "
			    "%llu\n",
			    verdict_name((enum verdict)v),
			    m ? "monitor" : "enforce", messages[v][m]);
	put(t, "# HELP kensa_rule_hits_total Policy rules matched.\n"
	       "# TYPE kensa_rule_hits_total counter\n");
	put_labels(t, "kensa_rule_hits_total", "rule", &rule_hits);
	put(t, "# HELP kensa_findings_total Findings reported, by id.\n"
	       "# TYPE kensa_findings_total counter\n");
	put_labels(t, "kensa_findings_total", "id", &findings);
	put(t, "# HELP kensa_tempfails_total Messages answered 4xx or "
	       "accepted on error, by cause.\n"
	       "# TYPE kensa_tempfails_total counter\n");
	put_labels(t, "kensa_tempfails_total", "cause", &tempfails);
	put(t, "# HELP kensa_worker_restarts_total Scan workers replaced.\n"
	       "# TYPE kensa_worker_restarts_total counter\n");
	put_labels(t, "kensa_worker_restarts_total", "reason", &restarts);
	put(t, "# HELP kensa_ledger_total Thread ledger operations: outbound "
	       "messages recorded, lookups, failures.\n"
	       "# TYPE kensa_ledger_total counter\n");
	put_labels(t, "kensa_ledger_total", "event", &ledger);
	put(t, "# HELP kensa_quarantined_total Messages quarantined, by "
	       "method.\n# TYPE kensa_quarantined_total counter\n");
	put_labels(t, "kensa_quarantined_total", "method", &quarantined);
	put(t,
	    "# HELP kensa_quarantined_bytes_total Bytes of quarantined "
	    "messages.\n# TYPE kensa_quarantined_bytes_total counter\n"
	    "kensa_quarantined_bytes_total %llu\n",
	    quarantined_bytes);
	put(t,
	    "# HELP kensa_policy_reloads_total Policy reloads.\n"
	    "# TYPE kensa_policy_reloads_total counter\n"
	    "kensa_policy_reloads_total{result=\"ok\"} %llu\n"
	    "kensa_policy_reloads_total{result=\"failed\"} %llu\n",
	    reloads[1], reloads[0]);
	put(t, "# HELP kensa_scan_seconds Time from end of message to "
	       "decision.\n# TYPE kensa_scan_seconds histogram\n");
	for (size_t b = 0; b < NBUCKETS; b++) {
		cumulative += latency[b];
		put(t, "kensa_scan_seconds_bucket{le=\"%g\"} %llu\n",
		    buckets[b], cumulative);
	}
	put(t, "kensa_scan_seconds_bucket{le=\"+Inf\"} %llu\n",
	    cumulative + latency[NBUCKETS]);
	put(t, "kensa_scan_seconds_sum %g\nkensa_scan_seconds_count %llu\n",
	    latency_sum, latency_count);
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn,
			      const char *url, const char *method,
			      const char *version, const char *upload,
			      size_t *upload_len, void **state)
{
	struct MHD_Response *resp;
	struct text t = {0};
	enum MHD_Result rc;
	unsigned status = MHD_HTTP_OK;

	if (strcmp(method, "GET") != 0 || strcmp(url, "/metrics") != 0) {
		put(&t, "kensa: only GET /metrics here\n");
		status = MHD_HTTP_NOT_FOUND;
	} else {
		pthread_mutex_lock(&lock);
		render(&t);
		pthread_mutex_unlock(&lock);
	}
	if (!t.buf)
		return MHD_NO;
	resp = MHD_create_response_from_buffer(t.len, t.buf,
					       MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "Content-Type",
				"text/plain; version=0.0.4");
	rc = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return rc;
}

/* "HOST:PORT" or "[V6]:PORT" into a socket address. */
static int parse_listen(const char *listen, struct sockaddr_storage *ss)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	size_t hl;
	long port;

	if (!colon || (hl = (size_t)(colon - listen)) >= sizeof(host))
		return -1;
	port = strtol(colon + 1, NULL, 10);
	if (port <= 0 || port > 65535)
		return -1;
	memcpy(host, listen, hl);
	host[hl] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		host[hl - 1] = '\0';
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		return inet_pton(AF_INET6, host + 1, &a->sin6_addr) == 1 ? 0
									 : -1;
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, host, &a->sin_addr) == 1 ? 0 : -1;
}

int metrics_start(const char *listen)
{
	struct sockaddr_storage ss;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD;

	if (!listen || !*listen)
		return 0;
	if (parse_listen(listen, &ss) < 0) {
		log_msg(LOG_ERR, "metrics_listen %s: expected HOST:PORT",
			listen);
		return -1;
	}
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	httpd = MHD_start_daemon(
	    flags, 0, NULL, NULL, answer, NULL, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT, 16u,
	    MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
	if (!httpd) {
		log_msg(LOG_ERR, "cannot serve metrics on %s", listen);
		return -1;
	}
	return 0;
}

void metrics_stop(void)
{
	if (httpd)
		MHD_stop_daemon(httpd);
	httpd = NULL;
}
