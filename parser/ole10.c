/*
 * ole10 - OLE1 Package data; see ole10.h.
 */
#include "ole10.h"

#include "bytes.h"

static int ole10_cstring(struct span data, size_t *at, struct span *str)
{
	const uint8_t *nul;

	if (*at >= data.len)
		return -1;
	nul = memchr(data.ptr + *at, 0, data.len - *at);
	if (!nul)
		return -1;
	*str = span_make(data.ptr + *at, (size_t)(nul - data.ptr) - *at);
	*at = (size_t)(nul - data.ptr) + 1;
	return 0;
}

int ole10_sized(struct span data, size_t *at, struct span *out)
{
	size_t size;

	if (data.len - *at < 4)
		return -1;
	size = bytes_le32(data.ptr + *at);
	*at += 4;
	if (size > data.len - *at)
		return -1;
	*out = span_make(data.ptr + *at, size);
	*at += size;
	return 0;
}

static struct span ole10_basename(struct span path)
{
	while (path.len > 0 && path.ptr[path.len - 1] == 0)
		path.len--;
	for (size_t i = path.len; i > 0; i--)
		if (path.ptr[i - 1] == '\\' || path.ptr[i - 1] == '/')
			return span_make(path.ptr + i, path.len - i);
	return path;
}

int ole10_package(struct span native, struct span *name, struct span *file)
{
	struct span label, path, tmp;
	size_t at = 2;

	if (native.len < 2 || ole10_cstring(native, &at, &label) < 0 ||
	    ole10_cstring(native, &at, &path) < 0 || native.len - at < 4)
		return -1;
	at += 4;
	if (ole10_sized(native, &at, &tmp) < 0 ||
	    ole10_sized(native, &at, file) < 0)
		return -1;
	*name = ole10_basename(tmp.len ? tmp : path.len ? path : label);
	return 0;
}

int ole10_native_stream(struct span stream, struct span *name,
			struct span *file)
{
	size_t size;

	if (stream.len < 4)
		return -1;
	size = bytes_le32(stream.ptr);
	if (size > stream.len - 4)
		size = stream.len - 4;
	return ole10_package(span_make(stream.ptr + 4, size), name, file);
}
