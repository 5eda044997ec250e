/*
 * digest - SHA-256 of a span as 64 lower-case hex digits (OpenSSL EVP).
 */
#ifndef KENSA_DIGEST_H
#define KENSA_DIGEST_H

#include "span.h"

void digest_sha256_hex(struct span bytes, char out[65]);

#endif
