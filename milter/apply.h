/*
 * apply - carries out a decision through libmilter: removes forged
 * X-Kensa-* headers, adds ours (outbound: the verdict only), prefixes the
 * Subject of tagged inbound mail,
 * asks Postfix to hold quarantined mail, rejects with 550 5.7.1 and the
 * policy's text. Nothing taken from the message goes into a reply or an
 * added header. apply_tempfail answers 451 4.7.1 when kensa could not
 * decide, or accepts per on_error (forged X-Kensa-* headers still go).
 */
#ifndef KENSA_APPLY_H
#define KENSA_APPLY_H

#include <libmilter/mfapi.h>

#include "../policy/policy.h"

#define FORGED_NAMES 3

/* What apply needs to know of the message's headers. */
struct message_headers {
	int leadspc; /* SMFIP_HDR_LEADSPC: values carry their space */
	unsigned n[FORGED_NAMES]; /* verdict, score, rules */
	unsigned subject;
	char *subject_value;  /* first Subject, raw */
	unsigned released;    /* X-Kensa-Released fields */
	char *released_value; /* the first one, raw */
};

void apply_count_header(struct message_headers *c, const char *name,
			const char *value);
/* released: the message carries a valid release stamp, which stays.
 * outbound: no score or rules header, no Subject prefix. */
sfsistat apply_decision(SMFICTX *ctx, const struct message_headers *c,
			const struct policy *p, const struct decision *d,
			int released, int outbound);
/* Stored in kensa's quarantine: discard, or reject (quarantine_answer). */
sfsistat apply_stored(SMFICTX *ctx, const struct decision *d);
sfsistat apply_tempfail(SMFICTX *ctx, const struct message_headers *c,
			const char *why);
/* on_poison: tempfail, whatever on_error says */
sfsistat apply_poison_tempfail(SMFICTX *ctx);
char *apply_reply_text(const char *text);

#endif
