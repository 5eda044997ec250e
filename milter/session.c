#include "session.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../policy/direction.h"
#include "apply.h"
#include "daemon.h"
#include "judge.h"
#include "events.h"
#include "hold.h"
#include "log.h"
#include "metrics.h"
#include "spool.h"
#include "stop.h"

struct session {
	struct envelope env;
	unsigned long quiet; /* negotiated SMFIP_NR_* steps */
	int leadspc;
	int spooling;
	int spool_failed;
	int in_flight;
	struct spool spool;
	struct message_headers headers;
	struct timespec started;
};

static struct session *session_of(SMFICTX *ctx)
{
	return smfi_getpriv(ctx);
}

static char *copy(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* An envelope address without its angle brackets. */
static char *address(const char *s)
{
	size_t n;

	if (!s)
		return NULL;
	n = strlen(s);
	if (n >= 2 && s[0] == '<' && s[n - 1] == '>')
		return strndup(s + 1, n - 2);
	return strdup(s);
}

static void message_reset(struct session *s)
{
	free(s->env.sender);
	free(s->env.auth);
	free(s->env.queue_id);
	for (size_t i = 0; i < s->env.nrcpts; i++)
		free(s->env.rcpts[i]);
	free(s->env.rcpts);
	s->env.sender = s->env.auth = s->env.queue_id = NULL;
	s->env.rcpts = NULL;
	s->env.nrcpts = 0;
	if (s->spooling)
		spool_close(&s->spool);
	s->spooling = 0;
	s->spool_failed = 0;
	free(s->headers.subject_value);
	free(s->headers.released_value);
	memset(&s->headers, 0, sizeof(s->headers));
	s->headers.leadspc = s->leadspc;
	if (s->in_flight)
		stop_message_end();
	s->in_flight = 0;
}

/* Protocol steps kensa never answers when the MTA allows it. */
#define QUIET_STEPS                                                            \
	(SMFIP_NR_CONN | SMFIP_NR_HELO | SMFIP_NR_RCPT | SMFIP_NR_HDR |        \
	 SMFIP_NR_EOH | SMFIP_NR_BODY)

/* CONTINUE, or NOREPLY where the MTA agreed not to wait for it. */
static sfsistat go_on(const struct session *s, unsigned long step)
{
	return (s->quiet & step) ? SMFIS_NOREPLY : SMFIS_CONTINUE;
}

static sfsistat on_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
			     unsigned long f2, unsigned long f3,
			     unsigned long *pf0, unsigned long *pf1,
			     unsigned long *pf2, unsigned long *pf3)
{
	const unsigned long want = SMFIF_ADDHDRS | SMFIF_CHGHDRS |
				   SMFIF_QUARANTINE | SMFIF_ADDRCPT |
				   SMFIF_SETSYMLIST;
	struct session *s = calloc(1, sizeof(*s));

	if (!s)
		return SMFIS_TEMPFAIL;
	if ((f0 & want) != want)
		log_msg(LOG_WARNING,
			"MTA does not offer every action kensa needs "
			"(offered 0x%lx, wanted 0x%lx)",
			f0, want);
	*pf0 = f0 & want;
	/* Answer only where an answer can change something (MAIL and end
	 * of message): every header or body chunk answered would cost the
	 * MTA and us a round trip. */
	*pf1 = f1 & (SMFIP_HDR_LEADSPC | SMFIP_NOUNKNOWN | SMFIP_NODATA |
		     QUIET_STEPS);
	s->quiet = *pf1 & QUIET_STEPS;
	*pf2 = 0;
	*pf3 = 0;
	s->leadspc = (f1 & SMFIP_HDR_LEADSPC) != 0;
	s->headers.leadspc = s->leadspc;
	smfi_setpriv(ctx, s);
	if (f0 & SMFIF_SETSYMLIST) {
		smfi_setsymlist(ctx, SMFIM_CONNECT,
				"{daemon_name} {daemon_port}");
		smfi_setsymlist(ctx, SMFIM_ENVFROM,
				"i {auth_authen} {daemon_name} {daemon_port}");
		smfi_setsymlist(ctx, SMFIM_EOM, "i");
	}
	return SMFIS_CONTINUE;
}

static sfsistat on_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *addr)
{
	struct session *s = session_of(ctx);
	char buf[INET6_ADDRSTRLEN] = "";

	if (!s)
		return SMFIS_TEMPFAIL;
	if (addr && addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)addr)->sin_addr, buf,
			  sizeof(buf));
	else if (addr && addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)addr)->sin6_addr,
			  buf, sizeof(buf));
	free(s->env.client_addr);
	free(s->env.client_name);
	s->env.client_addr = strdup(*buf ? buf : "local");
	s->env.client_name = copy(host);
	free(s->env.daemon_name);
	s->env.daemon_name = copy(smfi_getsymval(ctx, "{daemon_name}"));
	return go_on(s, SMFIP_NR_CONN);
}

static sfsistat on_helo(SMFICTX *ctx, char *helo)
{
	struct session *s = session_of(ctx);

	if (!s)
		return SMFIS_TEMPFAIL;
	free(s->env.helo);
	s->env.helo = copy(helo);
	return go_on(s, SMFIP_NR_HELO);
}

static sfsistat on_envfrom(SMFICTX *ctx, char **argv)
{
	struct session *s = session_of(ctx);

	if (!s)
		return SMFIS_TEMPFAIL;
	message_reset(s);
	if (stop_message_begin() < 0) {
		smfi_setreply(ctx, "451", "4.7.1",
			      "Content filter restarting, try again later");
		return SMFIS_TEMPFAIL;
	}
	s->in_flight = 1;
	s->env.sender = address(argv[0]);
	s->env.auth = copy(smfi_getsymval(ctx, "{auth_authen}"));
	s->env.queue_id = copy(smfi_getsymval(ctx, "i"));
	if (smfi_getsymval(ctx, "{daemon_name}")) {
		free(s->env.daemon_name);
		s->env.daemon_name = copy(smfi_getsymval(ctx, "{daemon_name}"));
	}
	s->env.outbound =
	    direction_outbound(&s->env, kensa.settings.outbound_daemons,
			       kensa.settings.internal_networks);
	clock_gettime(CLOCK_MONOTONIC, &s->started);
	return SMFIS_CONTINUE;
}

static sfsistat on_envrcpt(SMFICTX *ctx, char **argv)
{
	struct session *s = session_of(ctx);
	char **r;

	if (!s)
		return SMFIS_TEMPFAIL;
	r = realloc(s->env.rcpts, (s->env.nrcpts + 1) * sizeof(*r));
	if (!r)
		return SMFIS_TEMPFAIL;
	s->env.rcpts = r;
	r[s->env.nrcpts] = address(argv[0]);
	if (r[s->env.nrcpts])
		s->env.nrcpts++;
	return go_on(s, SMFIP_NR_RCPT);
}

static void spool_bytes(struct session *s, const void *buf, size_t len)
{
	const struct settings *st = &kensa.settings;

	if (s->spool_failed)
		return;
	if (!s->spooling) {
		if (spool_open(&s->spool, st->spool_dir,
			       st->spool_memory_limit) < 0) {
			s->spool_failed = 1;
			return;
		}
		s->spooling = 1;
	}
	if (spool_write(&s->spool, buf, len) < 0)
		s->spool_failed = 1;
}

/* Header value with bare LF turned into CRLF, as on the wire. */
static void spool_header_value(struct session *s, const char *v)
{
	for (const char *p = v; *p;) {
		const char *lf = strchr(p, '\n');
		if (!lf) {
			spool_bytes(s, p, strlen(p));
			break;
		}
		if (lf > p && lf[-1] == '\r')
			spool_bytes(s, p, (size_t)(lf - p) + 1);
		else {
			spool_bytes(s, p, (size_t)(lf - p));
			spool_bytes(s, "\r\n", 2);
		}
		p = lf + 1;
	}
}

static sfsistat on_header(SMFICTX *ctx, char *name, char *value)
{
	struct session *s = session_of(ctx);

	if (!s)
		return SMFIS_TEMPFAIL;
	apply_count_header(&s->headers, name, value);
	spool_bytes(s, name, strlen(name));
	spool_bytes(s, s->leadspc ? ":" : ": ", s->leadspc ? 1 : 2);
	spool_header_value(s, value);
	spool_bytes(s, "\r\n", 2);
	return go_on(s, SMFIP_NR_HDR);
}

static sfsistat on_eoh(SMFICTX *ctx)
{
	struct session *s = session_of(ctx);

	if (!s)
		return SMFIS_TEMPFAIL;
	spool_bytes(s, "\r\n", 2);
	return go_on(s, SMFIP_NR_EOH);
}

static sfsistat on_body(SMFICTX *ctx, unsigned char *buf, size_t len)
{
	struct session *s = session_of(ctx);

	if (!s)
		return SMFIS_TEMPFAIL;
	spool_bytes(s, buf, len);
	return go_on(s, SMFIP_NR_BODY);
}

static void log_judgement(const struct session *s, const struct judgement *j,
			  double ms, const struct quarantine_ref *q)
{
	const struct decision *d = &j->decision;
	char rules[512] = "", where[128] = "";
	size_t off = 0;
	char *msgid = log_clean(j->report.message_id);
	char *sender = log_clean(s->env.sender);
	char *queue = log_clean(s->env.queue_id);

	for (size_t i = 0; i < d->nrules && off < sizeof(rules); i++)
		off += (size_t)snprintf(rules + off, sizeof(rules) - off,
					"%s%s", i ? "," : "", d->rules[i]);
	if (q && strcmp(q->method, "store") == 0)
		snprintf(where, sizeof(where), " quarantine=%s", q->id);
	if (j->released_id)
		snprintf(where, sizeof(where), " released=%s", j->released_id);
	log_msg(LOG_INFO,
		"%s: verdict=%s%s score=%ld rules=%s message-id=%s from=<%s> "
		"elapsed=%.1fms%s%s",
		queue, verdict_name(d->verdict), d->monitor ? " (monitor)" : "",
		d->score, *rules ? rules : "-", msgid, sender, ms, where,
		j->poisoned ? " poison" : "");
	free(msgid);
	free(sender);
	free(queue);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(now.tv_nsec - t0->tv_nsec) / 1e6;
}

static const char *qid(const struct session *s)
{
	return s->env.queue_id ? s->env.queue_id : "-";
}

/* A decided message: quarantine it where configured, log, answer. */
static sfsistat decided(SMFICTX *ctx, struct session *s, struct judgement *j,
			const char *digest, double ms)
{
	const struct decision *d = &j->decision;
	struct quarantine_ref ref = {"hold", s->env.queue_id};
	const struct quarantine_ref *q = NULL;
	char id[64];
	int stored = 0;

	hold_check_release(j, s->headers.released_value, digest);
	if (!d->monitor && d->verdict == VERDICT_QUARANTINE) {
		q = &ref;
		if (d->quarantine_method ? d->quarantine_method == 2
					 : kensa.settings.quarantine_method ==
					       QUARANTINE_STORE) {
			if (hold_store(&s->spool, &s->env, j, ms, &ref, id,
				       sizeof(id)) < 0) {
				log_msg(LOG_ERR, "%s: quarantine store failed",
					qid(s));
				metrics_tempfail("quarantine");
				return apply_tempfail(
				    ctx, &s->headers,
				    "quarantine store failed");
			}
			stored = 1;
		}
	}
	if (q)
		metrics_quarantined(q->method, s->spool.size);
	hold_send_copies(&s->spool, &s->env, d);
	log_judgement(s, j, ms, q);
	events_write(&s->env, j, ms, q);
	metrics_message(&j->report, d, ms / 1e3);
	judge_record_outbound(&s->env, j);
	if (stored)
		return apply_stored(ctx, d);
	return apply_decision(ctx, &s->headers, policy_ref_policy(j->policy), d,
			      j->released_id != NULL, s->env.outbound);
}

static sfsistat on_eom(SMFICTX *ctx)
{
	struct session *s = session_of(ctx);
	struct judgement j;
	struct timespec deadline, start;
	char digest[65];
	sfsistat rc;

	if (!s)
		return SMFIS_TEMPFAIL;
	if (smfi_getsymval(ctx, "i")) {
		free(s->env.queue_id);
		s->env.queue_id = copy(smfi_getsymval(ctx, "i"));
	}
	if (!s->spooling)
		spool_bytes(s, "", 0);
	if (s->spool_failed || spool_finish(&s->spool, digest) < 0) {
		log_msg(LOG_ERR, "%s: spool I/O failed", qid(s));
		metrics_tempfail("spool");
		rc = apply_tempfail(ctx, &s->headers, "spool I/O failed");
		message_reset(s);
		return rc;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	deadline = start;
	deadline.tv_sec += (time_t)kensa.settings.scan_timeout;
	switch (judge_message(s->spool.fd, digest, &s->env, &deadline, &j)) {
	case JUDGE_OK:
		rc = decided(ctx, s, &j, digest, ms_since(&start));
		break;
	case JUDGE_POISON_TEMPFAIL:
		log_msg(LOG_WARNING, "%s: poison message, on_poison: tempfail",
			qid(s));
		metrics_tempfail("poison");
		rc = apply_poison_tempfail(ctx);
		break;
	default:
		log_msg(LOG_ERR, "%s: could not decide", qid(s));
		metrics_tempfail("decide");
		rc = apply_tempfail(ctx, &s->headers, "could not decide");
		break;
	}
	judgement_free(&j);
	message_reset(s);
	return rc;
}

static sfsistat on_abort(SMFICTX *ctx)
{
	struct session *s = session_of(ctx);

	if (s)
		message_reset(s);
	return SMFIS_CONTINUE;
}

static sfsistat on_close(SMFICTX *ctx)
{
	struct session *s = session_of(ctx);

	if (!s)
		return SMFIS_CONTINUE;
	message_reset(s);
	free(s->env.client_addr);
	free(s->env.client_name);
	free(s->env.helo);
	free(s->env.daemon_name);
	free(s);
	smfi_setpriv(ctx, NULL);
	return SMFIS_CONTINUE;
}

struct smfiDesc session_filter = {
    .xxfi_name = "kensa",
    .xxfi_version = SMFI_VERSION,
    .xxfi_flags = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE |
		  SMFIF_ADDRCPT | SMFIF_SETSYMLIST,
    .xxfi_connect = on_connect,
    .xxfi_helo = on_helo,
    .xxfi_envfrom = on_envfrom,
    .xxfi_envrcpt = on_envrcpt,
    .xxfi_header = on_header,
    .xxfi_eoh = on_eoh,
    .xxfi_body = on_body,
    .xxfi_eom = on_eom,
    .xxfi_abort = on_abort,
    .xxfi_close = on_close,
    .xxfi_negotiate = on_negotiate,
};
