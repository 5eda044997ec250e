/*
 * utf8 - repair of untrusted text into valid UTF-8.
 * Invalid, overlong and surrogate sequences and NUL bytes become U+FFFD.
 * The output is at most 3 times the input length plus one.
 * Also the one UTF-8 encoder the analyzers share, and UTF-16 text (the
 * names in PDF and TNEF) into a bounded buffer.
 */
#ifndef KENSA_UTF8_H
#define KENSA_UTF8_H

#include <stddef.h>
#include <stdint.h>

char *utf8_repair(const void *bytes, size_t len);
int utf8_valid(const void *bytes, size_t len);

/* The UTF-8 bytes of code point cp (at most U+10FFFF) in out, their count
 * (1 to 4). No check: callers replace what they do not take (NUL,
 * surrogates) before. */
size_t utf8_encode(uint32_t cp, char *out);

/* Appends cp to out (cap bytes, *o used) when it fits whole with room for
 * a terminating NUL; otherwise leaves out as it is. */
void utf8_append(char *out, size_t cap, size_t *o, uint32_t cp);

/* UTF-16 units (big- or little-endian) up to the first NUL unit, as
 * NUL-terminated UTF-8 in out (cap > 0 bytes): surrogate pairs joined, a
 * lone surrogate written as it is (utf8_repair mends it where the text
 * goes), characters that do not fit left out. */
void utf8_from_utf16(const uint8_t *p, size_t len, int big_endian, char *out,
		     size_t cap);

#endif
