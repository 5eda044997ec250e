#include "mbox.h"

int mbox_is_mbox(struct span file)
{
	return span_starts_with(file, "From ", 5);
}

static size_t line_end(struct span f, size_t i)
{
	const uint8_t *nl = memchr(f.ptr + i, '\n', f.len - i);
	return nl ? (size_t)(nl - f.ptr) + 1 : f.len;
}

int mbox_next(struct span f, size_t *offset, struct span *msg)
{
	size_t start, i;

	if (*offset >= f.len)
		return 1;
	start = line_end(f, *offset); /* skip the "From " separator */
	i = start;
	while (i < f.len) {
		size_t next = line_end(f, i);
		int blank =
		    next - i <= 2 && (f.ptr[i] == '\n' || f.ptr[i] == '\r');
		if (blank && span_has_at(f, next, "From ", 5)) {
			*msg = span_make(f.ptr + start, next - start);
			*offset = next;
			return 0;
		}
		i = next;
	}
	*msg = span_make(f.ptr + start, f.len - start);
	*offset = f.len;
	return 0;
}
