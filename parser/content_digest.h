/*
 * content_digest - SHA-256 of a message as content: every byte of it
 * except the header fields that change between deliveries of the same
 * message (Received, added by each MTA hop) and kensa's own release stamp
 * (X-Kensa-Released). A message keeps its content digest when the sender
 * retries it or when it is released from quarantine, so the poison check
 * and the release stamp can rely on it. Reads the header block line by
 * line (continuation lines belong to their field); bounded by the span.
 */
#ifndef KENSA_CONTENT_DIGEST_H
#define KENSA_CONTENT_DIGEST_H

#include "span.h"

int content_digest(struct span message, char hex[65]);

#endif
