/*
 * thread_subject - reply and forward prefixes of a Subject, and the base
 * subject they leave, normalized so that the Subject of a message and the
 * Subjects of the replies to it give the same bytes (what the thread
 * ledger hashes).
 *
 * Reads UTF-8 (invalid bytes repaired first; raw ISO-2022-JP, as some
 * Japanese mailers send it unencoded, converted). Normalization: Unicode
 * NFKC (full-width letters and colons become ASCII), case folding,
 * whitespace runs collapsed to one space, trimmed. Then, repeatedly, a
 * leading mailing-list tag ("[list] ", at most THREAD_SUBJECT_TAG_BYTES)
 * and a prefix: Re, Aw, Sv, Vs, Antw, Odp, Ref, Res, Ynt, R, 返信, 回复,
 * 答复, 回覆, 답장 (replies); Fw, Fwd, Wg, Tr, Rv, Enc, Pd, Doorst, 転送,
 * 转发, 轉寄, 전달 (forwards); each may carry a count ("Re[2]", "Re(2)",
 * "Re^2") and takes a colon, with or without a space before it.
 * Bounded: at most THREAD_SUBJECT_BYTES of the subject are read and at
 * most THREAD_SUBJECT_PREFIXES prefixes stripped.
 */
#ifndef KENSA_THREAD_SUBJECT_H
#define KENSA_THREAD_SUBJECT_H

#include "span.h"

#define THREAD_SUBJECT_BYTES	 4096
#define THREAD_SUBJECT_PREFIXES	 32
#define THREAD_SUBJECT_TAG_BYTES 40

enum thread_subject_kind {
	THREAD_SUBJECT_NEW,	/* no prefix */
	THREAD_SUBJECT_REPLY,	/* the outermost prefix is a reply's */
	THREAD_SUBJECT_FORWARD, /* the outermost prefix is a forward's */
};

struct thread_subject {
	enum thread_subject_kind kind;
	unsigned replies, forwards; /* prefixes stripped */
	char *base;		    /* normalized base subject, malloc'd */
};

/* 0, or -1 when memory ran out; out->base is then NULL. */
int thread_subject_parse(struct span subject, struct thread_subject *out);
void thread_subject_free(struct thread_subject *s);

/* The normalized base subject of subject (NUL-terminated) in *base_out,
 * to free(): the input of the ledger's subject hash. 0, or -1. */
int thread_subject_base(const char *subject, char **base_out);

/* Raw ISO-2022-JP (ESC sequences) converted, invalid UTF-8 repaired: a
 * NUL-terminated UTF-8 copy of at most max bytes of text, or NULL. */
char *thread_text_utf8(struct span text, size_t max);

#endif
