/*
 * digest - SHA-256 of a span as 64 lower-case hex digits (OpenSSL EVP),
 * and the one hex encoder of digests and keys.
 */
#ifndef KENSA_DIGEST_H
#define KENSA_DIGEST_H

#include "span.h"

void digest_sha256_hex(struct span bytes, char out[65]);
/* n bytes as 2n lower-case hex digits and a NUL in out. */
void digest_hex(const unsigned char *in, size_t n, char *out);

#endif
