/*
 * mime_text - the texts of a message, for the thread analysis (every
 * message: mime_text_foreach) and for password candidates when
 * the first protected container needs them (most mail has none, so most
 * mail pays nothing), and then all of them, so that every password the
 * message gives is known whatever the order of the parts: the Subject and
 * every text/plain and text/html part (transfer encoding decoded, charset
 * converted to UTF-8) go to the password candidates (passwords.h), then
 * the common passwords.
 * Bounded: at most PASSWORDS_TEXT_BYTES of each part, at most
 * MIME_TEXT_BYTES in all, at most limits.mime_parts parts looked at.
 */
#ifndef KENSA_MIME_TEXT_H
#define KENSA_MIME_TEXT_H

#include <gmime/gmime.h>

#include "scan_ctx.h"

#define MIME_TEXT_BYTES (4u * PASSWORDS_TEXT_BYTES)

/* Calls fn on every text/plain and text/html part of message (not those
 * of attached messages), decoded and converted to valid UTF-8, at most
 * part_max bytes of each and total_max in all, until fn returns non-zero,
 * which is returned. *bytes_read (may be NULL): the text bytes read. */
typedef int (*mime_text_fn)(void *arg, struct span text, int html);
int mime_text_foreach(GMimeMessage *message, const struct scan_limits *limits,
		      size_t part_max, size_t total_max, mime_text_fn fn,
		      void *arg, size_t *bytes_read);

/* Reads ctx->password_texts (set by the MIME walk for the message being
 * walked) into ctx->passwords, once; 0, or -1 when memory ran out. */
int mime_text_passwords(struct scan_ctx *ctx);

/* The decoded bytes of a text part converted from its charset to UTF-8
 * and repaired (utf8_repair); malloc'ed and NUL-terminated, *len bytes,
 * or NULL when memory ran out. */
char *mime_text_utf8(GMimeObject *part, struct span decoded, size_t *len);

#endif
