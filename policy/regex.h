/*
 * regex - PCRE2 for policy conditions: compiled once at load (with JIT
 * where available), matched against UTF-8 text with a match limit and a
 * depth limit, so a pathological pattern cannot hang a scan: hitting a
 * limit is reported (REGEX_LIMIT) and the condition does not match.
 */
#ifndef KENSA_REGEX_H
#define KENSA_REGEX_H

#include <stddef.h>

#define REGEX_MATCH_LIMIT 100000
#define REGEX_DEPTH_LIMIT 1000

enum regex_result { REGEX_NO, REGEX_YES, REGEX_LIMIT };

struct regex;

/* NULL on error, with the message and the offset in the pattern. */
struct regex *regex_compile(const char *pattern, char *err, size_t errlen,
			    size_t *offset);
enum regex_result regex_match(const struct regex *re, const char *text,
			      size_t len);
void regex_free(struct regex *re);

#endif
