#define PCRE2_CODE_UNIT_WIDTH 8
#include "regex.h"

#include <pcre2.h>
#include <stdlib.h>

struct regex {
	pcre2_code *code;
	pcre2_match_context *limits;
};

struct regex *regex_compile(const char *pattern, char *err, size_t errlen,
			    size_t *offset)
{
	struct regex *re = calloc(1, sizeof(*re));
	int code;
	PCRE2_SIZE off = 0;

	if (!re)
		return NULL;
	re->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				 PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code,
				 &off, NULL);
	if (!re->code) {
		pcre2_get_error_message(code, (PCRE2_UCHAR *)err, errlen);
		*offset = off;
		free(re);
		return NULL;
	}
	pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE); /* optional */
	re->limits = pcre2_match_context_create(NULL);
	if (!re->limits) {
		regex_free(re);
		return NULL;
	}
	pcre2_set_match_limit(re->limits, REGEX_MATCH_LIMIT);
	pcre2_set_depth_limit(re->limits, REGEX_DEPTH_LIMIT);
	return re;
}

enum regex_result regex_match(const struct regex *re, const char *text,
			      size_t len)
{
	pcre2_match_data *md =
	    pcre2_match_data_create_from_pattern(re->code, NULL);
	int rc;

	if (!md)
		return REGEX_NO;
	rc = pcre2_match(re->code, (PCRE2_SPTR)text, len, 0, 0, md, re->limits);
	pcre2_match_data_free(md);
	if (rc >= 0)
		return REGEX_YES;
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_JIT_STACKLIMIT)
		return REGEX_LIMIT;
	return REGEX_NO;
}

void regex_free(struct regex *re)
{
	if (!re)
		return;
	pcre2_code_free(re->code);
	pcre2_match_context_free(re->limits);
	free(re);
}
