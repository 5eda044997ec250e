/*
 * thread_ledger - the thread findings that need the envelope or the
 * ledger, added to a scan's report by either front end (kensa-milter
 * after the worker's scan, `kensa scan`) before the policy decides, and
 * the recording of outbound mail.
 *
 * Inbound, the message's In-Reply-To and References (at most
 * THREAD_MAX_REFERENCES, newest first) are looked up:
 *   thread.reply_verified    a referenced message is ours and the sender
 *                            (address or organizational domain) was one
 *                            of its recipients;
 *   thread.ledger_mismatch   referenced messages are ours, the sender was
 *                            among none of their recipients;
 *   thread.ledger_unknown    a referenced Message-ID carries one of our
 *                            local_domains but the ledger does not know it;
 *   thread.display_name_impersonation  the From display name is one our
 *                            correspondents use, from an organization none
 *                            of them writes from;
 *   thread.msgid_recipient_domain  the Message-ID's domain is a
 *                            recipient's organization (not the sender's).
 * An unreachable ledger answers nothing (logged by the caller through
 * *ledger_error); mail goes on.
 *
 * Outbound mail gets no thread findings at all (thread_ledger_judge drops
 * the parser's). Outbound, the message is recorded: Message-ID -> sender,
 * recipients (the envelope's, or To/Cc/Bcc without one), time, subject; and the
 * display names of its recipients. Display names count only when they look
 * like a person's (two words, or non-ASCII, at least THREAD_NAME_MIN
 * characters): role names such as "Support" are shared by everyone.
 */
#ifndef KENSA_THREAD_LEDGER_H
#define KENSA_THREAD_LEDGER_H

#include "../parser/envelope.h"
#include "../parser/report.h"
#include "ledger.h"

#define THREAD_MAX_REFERENCES 20
#define THREAD_NAME_MIN	      4

/* The thread checks by direction: inbound, thread_ledger_check; outbound,
 * none, so the parser's thread findings are dropped too. */
int thread_ledger_judge(struct ledger *l, int learn, const char *local_domains,
			const struct envelope *env, struct report *r,
			const char **ledger_error);

/* l may be NULL (no ledger: only the envelope check). Returns -1 only
 * when out of memory; *ledger_error is set when the ledger failed. */
int thread_ledger_check(struct ledger *l, int learn, const char *local_domains,
			const struct envelope *env, struct report *r,
			const char **ledger_error);
/* 1 recorded, 0 nothing to record (no Message-ID), -1 the ledger failed. */
int thread_ledger_record(struct ledger *l, const struct envelope *env,
			 const struct report *r);

#endif
