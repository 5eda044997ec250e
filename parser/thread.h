/*
 * thread - what a message's headers and quoted text say about the
 * conversation it claims to belong to, without the ledger:
 *   thread.fake_reply            a reply Subject (thread_subject.h) with
 *                                neither In-Reply-To nor References;
 *   thread.display_name_address  the From display name shows an e-mail
 *                                address other than the sender's;
 *   thread.sender_not_in_thread  the message quotes earlier messages whose
 *                                header blocks show their recipients
 *                                (thread_quote.h), and the sender is not
 *                                among their participants by address or
 *                                organizational domain.
 * A forward (thread_subject.h) is not checked: it passes on, on purpose,
 * mail its sender may have had through a list, an alias or a Bcc; nor is
 * list mail (List-Id or List-Post), whose thread is the list's.
 * A participant known by name only (Outlook shows colleagues so) may be
 * the sender: when one exists and the sender's display name matches it
 * (NFKC, case-folded, same words or contained), or the sender shows no
 * display name, the sender is taken to be in the thread. Only the top
 * message is read (not attached ones). Bounded: the texts read come from
 * the expanded-bytes budget, at most THREAD_TEXT_BYTES in all (thread_quote
 * bounds each text); a text cut short is no finding (the quotes hide no
 * code), what was read is judged.
 */
#ifndef KENSA_THREAD_H
#define KENSA_THREAD_H

#include <gmime/gmime.h>

#include "scan_ctx.h"
#include "thread_quote.h"

#define THREAD_TEXT_BYTES (4u * THREAD_QUOTE_BYTES)

/* 0, or -1 when memory ran out. */
int thread_scan(struct scan_ctx *ctx, GMimeMessage *message);

/* Is shown (a name in a quoted thread) the name sender_name? Both UTF-8. */
int thread_name_matches(const char *sender_name, const char *shown);

/* Is the sender (address, display name or NULL) in the thread q quotes?
 * 1 yes or cannot tell, 0 no; *domains_out (may be NULL) gets up to three
 * organizational domains of the thread, comma-separated, to free(). */
int thread_sender_in_quote(const struct thread_quote *q, const char *addr,
			   const char *name, char **domains_out);

#endif
