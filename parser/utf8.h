/*
 * utf8 - repair of untrusted text into valid UTF-8.
 * Invalid, overlong and surrogate sequences and NUL bytes become U+FFFD.
 * The output is at most 3 times the input length plus one.
 */
#ifndef KENSA_UTF8_H
#define KENSA_UTF8_H

#include <stddef.h>

char *utf8_repair(const void *bytes, size_t len);
int utf8_valid(const void *bytes, size_t len);

#endif
