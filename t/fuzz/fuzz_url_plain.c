/*
 * fuzz_url_plain - differential libFuzzer target for url_parse's plain
 * URL shortcut: the input, read as one URL, must give the same answer and
 * the same normalized form, scheme, host, path, port, user flag and
 * address kind with the shortcut as with every URL read by curl.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../parser/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct url fast, slow;
	struct span found = span_make(data, size);
	int rc_fast = url_parse(found, &fast),
	    rc_slow = url_parse_curl(found, &slow);

	if (rc_fast != rc_slow)
		abort();
	if (rc_fast != 0)
		return 0;
	if (!same_text(fast.normalized, slow.normalized) ||
	    !same_text(fast.scheme, slow.scheme) ||
	    !same_text(fast.host, slow.host) ||
	    !same_text(fast.host_unicode, slow.host_unicode) ||
	    !same_text(fast.path, slow.path) ||
	    fast.has_userinfo != slow.has_userinfo || fast.port != slow.port ||
	    fast.ip != slow.ip)
		abort();
	url_free(&fast);
	url_free(&slow);
	return 0;
}
