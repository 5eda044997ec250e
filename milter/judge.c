#include "judge.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../parser/limits_json.h"
#include "../parser/report_wire.h"
#include "../store/thread_ledger.h"
#include "daemon.h"
#include "log.h"
#include "metrics.h"
#include "poison.h"

char *judge_worker_request(const struct policy *p)
{
	const struct settings *s = &kensa.settings;
	json_t *yara = json_array();
	json_t *req;
	char *text;

	for (size_t i = 0; yara && i < p->nyara_files; i++)
		json_array_append_new(yara, json_string(p->yara_files[i]));
	req =
	    json_pack("{s:o,s:I,s:b,s:o}", "limits", limits_to_json(&s->limits),
		      "timeout", (json_int_t)s->scan_timeout, "test_hooks",
		      s->test_hooks, "yara", yara);
	if (req && s->passwords_common)
		json_object_set_new(req, "common_passwords",
				    json_string(s->passwords_common));
	text = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	return text;
}

static int failed_scan(struct report *r, const char *id, const char *detail)
{
	report_init(r, kensa.settings.limits.findings);
	return report_add_finding(r, id, NULL, detail, strlen(detail));
}

/* Runs the scan; fills the report, or returns -1 on a transient fault. */
static int scan_in_worker(const char *request, int fd, const char *sha256,
			  const struct timespec *deadline, struct report *r)
{
	char *reply = NULL;
	const char *detail = "";
	size_t len = 0;
	enum pool_status st;
	int rc = -1;

	st = pool_scan(&kensa.pool, fd, request, deadline, &reply, &len,
		       &detail);
	switch (st) {
	case POOL_OK:
		rc = report_from_wire(reply, len, r,
				      kensa.settings.limits.findings);
		break;
	case POOL_TIMEOUT:
		log_msg(LOG_WARNING, "scan of %s: %s", sha256, detail);
		metrics_worker_restart("timeout");
		rc = failed_scan(r, "scan.timeout", detail);
		break;
	case POOL_CRASH:
		poison_record(sha256);
		metrics_worker_restart("crash");
		log_msg(LOG_ERR, "scan of %s: %s (crash %u)", sha256, detail,
			poison_crashes(sha256));
		rc = failed_scan(r, "scan.error", detail);
		break;
	case POOL_ERROR:
		log_msg(LOG_ERR, "scan of %s: %s", sha256, detail);
		break;
	}
	free(reply);
	return rc;
}

/* Inbound: the thread findings that need the envelope or the ledger;
 * outbound: none. */
static int check_thread(const struct envelope *env, struct report *r)
{
	const char *ledger_error = NULL;
	int rc =
	    thread_ledger_judge(kensa.ledger, 1, kensa.settings.local_domains,
				env, r, &ledger_error);

	if (kensa.ledger && !env->outbound)
		metrics_ledger(ledger_error ? "lookup_error" : "lookup");
	if (ledger_error)
		log_msg(LOG_WARNING, "%s: ledger %s: %s",
			env->queue_id ? env->queue_id : "NOQUEUE",
			ledger_location(kensa.ledger), ledger_error);
	return rc;
}

void judge_record_outbound(const struct envelope *env,
			   const struct judgement *j)
{
	const struct decision *d = &j->decision;
	int rc;

	if (!kensa.ledger || !env->outbound ||
	    (!d->monitor && d->verdict > VERDICT_TAG))
		return;
	rc = thread_ledger_record(kensa.ledger, env, &j->report);
	if (rc > 0)
		metrics_ledger("recorded");
	if (rc < 0) {
		metrics_ledger("record_error");
		log_msg(LOG_WARNING, "%s: ledger %s: not recorded: %s",
			env->queue_id ? env->queue_id : "NOQUEUE",
			ledger_location(kensa.ledger),
			ledger_last_error(kensa.ledger));
	}
}

enum judge_status judge_message(int spool_fd, const char *sha256,
				const struct envelope *env,
				const struct timespec *deadline,
				struct judgement *out)
{
	const struct settings *s = &kensa.settings;

	memset(out, 0, sizeof(*out));
	out->policy = policy_ref_get();
	if (!out->policy)
		return JUDGE_TEMPFAIL;
	if (poison_crashes(sha256) >= s->poison_crashes) {
		out->poisoned = 1;
		if (failed_scan(&out->report, "scan.poison",
				"crashed the scanner before") < 0)
			return JUDGE_TEMPFAIL;
	} else if (scan_in_worker(policy_ref_request(out->policy), spool_fd,
				  sha256, deadline, &out->report) < 0) {
		return JUDGE_TEMPFAIL;
	}
	if (!out->poisoned && check_thread(env, &out->report) < 0)
		return JUDGE_TEMPFAIL;
	if (policy_judge(policy_ref_policy(out->policy), &out->report, env,
			 &out->decision) < 0)
		return JUDGE_TEMPFAIL;
	if (out->poisoned) {
		if (s->on_poison >= VERDICT_COUNT)
			return JUDGE_POISON_TEMPFAIL;
		out->decision.verdict = (enum verdict)s->on_poison;
		out->decision.monitor = 0;
	}
	return JUDGE_OK;
}

void judgement_free(struct judgement *j)
{
	free(j->released_id);
	j->released_id = NULL;
	decision_free(&j->decision);
	report_free(&j->report);
	if (j->policy)
		policy_ref_put(j->policy);
	j->policy = NULL;
}
