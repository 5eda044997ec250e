/*
 * content_digest - SHA-256 of a message as content: every byte of it
 * except the header fields that change between deliveries of the same
 * message (Received, added by each MTA hop) and kensa's own release stamp
 * (X-Kensa-Released). A message keeps its content digest when the sender
 * retries it or when it is released from quarantine, so the poison check
 * and the release stamp can rely on it. The digester takes the message in
 * pieces of any size (the daemon feeds it as the message is spooled, so
 * nothing is read twice); it holds at most CONTENT_DIGEST_HEAD bytes of a
 * header line, enough to know the field's name.
 */
#ifndef KENSA_CONTENT_DIGEST_H
#define KENSA_CONTENT_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "span.h"

#define CONTENT_DIGEST_HEAD 32

struct content_digest {
	void *md; /* EVP_MD_CTX */
	int in_body, decided, skipping;
	uint8_t head[CONTENT_DIGEST_HEAD];
	size_t nhead;
};

int content_digest_init(struct content_digest *cd);
int content_digest_update(struct content_digest *cd, const void *buf,
			  size_t len);
/* Writes the hex digest and releases cd (also on error). */
int content_digest_final(struct content_digest *cd, char hex[65]);
void content_digest_abort(struct content_digest *cd);

int content_digest(struct span message, char hex[65]);

#endif
