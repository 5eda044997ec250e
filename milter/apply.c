#include "apply.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../policy/reply_text.h"
#include "../store/release.h"
#include "daemon.h"
#include "log.h"
#include "metrics.h"

static const char *forged_name(int i)
{
	const struct settings *s = &kensa.settings;
	const char *names[FORGED_NAMES] = {s->header_verdict, s->header_score,
					   s->header_rules};
	return names[i];
}

void apply_count_header(struct message_headers *c, const char *name,
			const char *value)
{
	for (int i = 0; i < FORGED_NAMES; i++)
		if (strcasecmp(name, forged_name(i)) == 0)
			c->n[i]++;
	if (strcasecmp(name, "Subject") == 0 && c->subject++ == 0)
		c->subject_value = strdup(value);
	if (strcasecmp(name, RELEASE_HEADER) == 0 && c->released++ == 0)
		c->released_value = strdup(value);
}

/* '%' doubled for smfi_setreply, at most REPLY_TEXT_MAX characters. */
char *apply_reply_text(const char *text)
{
	char *clean = reply_text_sanitize(text ? text : "");
	char *out = malloc(REPLY_TEXT_MAX + 1);
	size_t n = 0;

	if (!clean || !out) {
		free(clean);
		free(out);
		return NULL;
	}
	for (const char *p = clean; *p; p++) {
		size_t need = *p == '%' ? 2 : 1;
		if (n + need > REPLY_TEXT_MAX)
			break;
		out[n++] = *p;
		if (*p == '%')
			out[n++] = '%';
	}
	out[n] = '\0';
	free(clean);
	return out;
}

static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* The prefix as it goes into a header: ASCII, or an RFC 2047 word. */
static char *encoded_prefix(const char *prefix)
{
	unsigned char b64[512];
	size_t len = strlen(prefix);
	char *out;

	if (is_ascii(prefix))
		return strdup(prefix);
	if (len > 300)
		len = 300;
	EVP_EncodeBlock(b64, (const unsigned char *)prefix, (int)len);
	if (asprintf(&out, "=?UTF-8?B?%s?=", b64) < 0)
		return NULL;
	return out;
}

/* With SMFIP_HDR_LEADSPC the MTA writes values as given: add the space. */
static const char *lead(const struct message_headers *c)
{
	return c->leadspc ? " " : "";
}

static void add_header(SMFICTX *ctx, const struct message_headers *c,
		       const char *name, const char *value)
{
	char *v = NULL;

	if (asprintf(&v, "%s%s", lead(c), value) < 0)
		return;
	smfi_addheader(ctx, (char *)name, v);
	free(v);
}

static void prefix_subject(SMFICTX *ctx, const struct message_headers *c,
			   const char *prefix)
{
	char *word = encoded_prefix(prefix), *value = NULL;
	const char *old = c->subject_value;

	if (!word)
		return;
	while (old && (*old == ' ' || *old == '\t'))
		old++;
	if (old && strncmp(old, word, strlen(word)) == 0) {
		free(word);
		return; /* already tagged */
	}
	if (!old) {
		add_header(ctx, c, "Subject", word);
	} else if (asprintf(&value, "%s%s %s", lead(c), word, old) >= 0) {
		smfi_chgheader(ctx, "Subject", 1, value);
		free(value);
	}
	free(word);
}

static void remove_all(SMFICTX *ctx, const char *name, unsigned count);

/* Our headers, and release stamps that were not honoured, go. */
static void remove_forged(SMFICTX *ctx, const struct message_headers *c,
			  int keep_release)
{
	for (int i = 0; i < FORGED_NAMES; i++)
		remove_all(ctx, forged_name(i), c->n[i]);
	if (!keep_release)
		remove_all(ctx, RELEASE_HEADER, c->released);
}

/* Outbound mail carries the verdict only: score and rules would show
 * the policy to the outside. */
static void add_headers(SMFICTX *ctx, const struct message_headers *c,
			const struct decision *d, int outbound)
{
	char verdict[64], score[32], rules[1024];
	size_t off = 0;

	snprintf(verdict, sizeof(verdict), "%s%s", verdict_name(d->verdict),
		 d->monitor ? "; mode=monitor" : "");
	snprintf(score, sizeof(score), "%ld", d->score);
	rules[0] = '\0';
	for (size_t i = 0; i < d->nrules && off < sizeof(rules); i++)
		off += (size_t)snprintf(rules + off, sizeof(rules) - off,
					"%s%s", i ? ", " : "", d->rules[i]);
	add_header(ctx, c, forged_name(0), verdict);
	if (outbound)
		return;
	add_header(ctx, c, forged_name(1), score);
	add_header(ctx, c, forged_name(2), d->nrules ? rules : "none");
}

static void remove_all(SMFICTX *ctx, const char *name, unsigned count)
{
	for (unsigned idx = count; idx >= 1; idx--)
		smfi_chgheader(ctx, (char *)name, (int)idx, NULL);
}

/* The counted rules' own actions: extra headers, and for mail that is
 * delivered (accept, tag) a copy to copy_to. */
static void apply_rule_actions(SMFICTX *ctx, const struct message_headers *c,
			       const struct decision *d)
{
	for (size_t i = 0; i < d->nrules; i++) {
		const struct rule *r = d->acting[i];
		for (size_t h = 0; h < r->nheaders; h++)
			add_header(ctx, c, r->headers[h].name,
				   r->headers[h].value);
		if (r->copy_to && d->verdict <= VERDICT_TAG) {
			char rcpt[600];
			snprintf(rcpt, sizeof(rcpt), "<%s>", r->copy_to);
			if (smfi_addrcpt(ctx, rcpt) != MI_SUCCESS)
				log_msg(LOG_WARNING, "copy_to %s refused",
					r->copy_to);
		}
	}
}

sfsistat apply_stored(SMFICTX *ctx, const struct decision *d)
{
	char *text;

	if (kensa.settings.quarantine_answer == QUARANTINE_DISCARD)
		return SMFIS_DISCARD;
	text = apply_reply_text(d->reject_text);
	smfi_setreply(ctx, "550", "5.7.1", text ? text : "Rejected");
	free(text);
	return SMFIS_REJECT;
}

sfsistat apply_decision(SMFICTX *ctx, const struct message_headers *c,
			const struct policy *p, const struct decision *d,
			int released, int outbound)
{
	if (!d->monitor && d->verdict == VERDICT_REJECT) {
		char *text = apply_reply_text(d->reject_text);
		smfi_setreply(ctx, "550", "5.7.1", text ? text : "Rejected");
		free(text);
		return SMFIS_REJECT;
	}
	remove_forged(ctx, c, released);
	add_headers(ctx, c, d, outbound);
	if (!d->monitor && !outbound && d->verdict == VERDICT_TAG &&
	    d->subject_prefix && *d->subject_prefix)
		prefix_subject(ctx, c, d->subject_prefix);
	if (!d->monitor)
		apply_rule_actions(ctx, c, d);
	if (!d->monitor && d->verdict == VERDICT_QUARANTINE) {
		char reason[256];
		snprintf(reason, sizeof(reason), "kensa: %s",
			 d->nrules ? d->rules[0] : "score");
		if (smfi_quarantine(ctx, reason) != MI_SUCCESS) {
			log_msg(LOG_ERR, "quarantine request failed");
			metrics_tempfail("quarantine");
			return apply_tempfail(ctx, c, "quarantine failed");
		}
	}
	return SMFIS_CONTINUE;
}

sfsistat apply_tempfail(SMFICTX *ctx, const struct message_headers *c,
			const char *why)
{
	static unsigned long accepted_on_error;

	if (kensa.settings.on_error == ON_ERROR_ACCEPT) {
		log_msg(
		    LOG_WARNING,
		    "accepting on error (on_error: accept, %lu so far): %s",
		    __atomic_add_fetch(&accepted_on_error, 1, __ATOMIC_RELAXED),
		    why);
		/* unchecked mail must not look checked */
		remove_forged(ctx, c, 0);
		return SMFIS_ACCEPT;
	}
	smfi_setreply(
	    ctx, "451", "4.7.1",
	    "Content filter temporarily unavailable, try again later");
	return SMFIS_TEMPFAIL;
}

sfsistat apply_poison_tempfail(SMFICTX *ctx)
{
	smfi_setreply(ctx, "451", "4.7.1",
		      "Message cannot be scanned now, try again later");
	return SMFIS_TEMPFAIL;
}
