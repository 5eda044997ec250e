/*
 * thread_quote - the earlier messages a mail quotes, and who took part in
 * them. Reads UTF-8 text (plain, or HTML turned to text here: tags
 * dropped, block tags and <br> break lines, a few entities decoded,
 * script and style skipped), line by line, each line first stripped of
 * '>' quote marks, '*' bold marks and spaces. It finds:
 *   - header blocks of quoted messages (Outlook, Microsoft 365, Gmail's
 *     forwards, Apple Mail): a From line (From, 差出人, 送信者, Von, De,
 *     Da, Van) followed within THREAD_QUOTE_BLOCK_LINES lines by a Sent,
 *     Date, To, Cc or Subject line in English, Japanese, German, French,
 *     Spanish, Italian, Portuguese or Dutch, colons ASCII or full-width;
 *     or any From line right after a separator (-----Original
 *     Message----- and its translations, Gmail's Forwarded message line,
 *     Outlook's underscore line);
 *   - attribution lines: On … wrote:, … さんは書きました:, Gmail's
 *     2021年3月9日(火) 19:26 Name <addr>:, Am … schrieb …:, Le … a
 *     écrit :, El … escribió:, Il … ha scritto:, Em … escreveu:,
 *     Op … schreef …: (also wrapped over two lines).
 * Participants are the mailboxes of the From, To and Cc lines and of the
 * attribution lines: an address (lower case) and the name shown with it,
 * or a name alone (Outlook shows colleagues by name only).
 * Refuses nothing. Bounded: at most THREAD_QUOTE_BYTES of each text, lines
 * cut at THREAD_QUOTE_LINE_BYTES, at most THREAD_QUOTE_BLOCKS blocks and
 * attributions, THREAD_QUOTE_PARTICIPANTS participants (then `limited`).
 */
#ifndef KENSA_THREAD_QUOTE_H
#define KENSA_THREAD_QUOTE_H

#include <stddef.h>

#include "span.h"

#define THREAD_QUOTE_BYTES	  (256u << 10)
#define THREAD_QUOTE_LINE_BYTES	  1024
#define THREAD_QUOTE_BLOCK_LINES  8
#define THREAD_QUOTE_BLOCKS	  64
#define THREAD_QUOTE_PARTICIPANTS 64
#define THREAD_QUOTE_NAME_BYTES	  128
#define THREAD_QUOTE_ADDR_BYTES	  254

struct thread_participant {
	char *name; /* as shown, UTF-8, or NULL */
	char *addr; /* lower case, or NULL: known by name only */
};

struct thread_quote {
	struct thread_participant *p;
	size_t n, cap;
	unsigned blocks;	   /* quoted header blocks */
	unsigned recipient_blocks; /* of them, with a To or Cc line */
	unsigned attributions;	   /* attribution lines */
	int limited;		   /* a bound cut the search short */
};

void thread_quote_init(struct thread_quote *q);
void thread_quote_free(struct thread_quote *q);
/* Add what text quotes to q; 0, or -1 when memory ran out. */
int thread_quote_scan_text(struct thread_quote *q, struct span text);
int thread_quote_scan_html(struct thread_quote *q, struct span html);
/* The first e-mail address in text (local@domain.tld): 1 and its start
 * and length, or 0. */
int thread_quote_find_address(struct span text, size_t *start, size_t *len);
/* Participants with an address. */
size_t thread_quote_addresses(const struct thread_quote *q);

#endif
