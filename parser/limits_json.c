#include "limits_json.h"

#include <stddef.h>

#define U(f)                                                                   \
	{                                                                      \
#f, offsetof(struct scan_limits, f), 0                         \
	}
#define Z(f)                                                                   \
	{                                                                      \
#f, offsetof(struct scan_limits, f), 1                         \
	}
static const struct {
	const char *name;
	size_t offset;
	int is_size; /* size_t, else unsigned */
} fields[] = {
    U(mime_depth),
    U(mime_parts),
    Z(message_bytes),
    Z(decoded_bytes),
    U(findings),
    U(nesting_depth),
    /* archives and passwords */
    U(archive_entries),
    U(archive_ratio),
    Z(archive_member_bytes),
    Z(archive_head_bytes),
    U(password_tokens),
    U(password_tries),
    U(password_ms),
    U(urls),
    U(office_password_tries),
    /* PDF */
    U(pdf_objects),
    U(pdf_ms),
};
#undef U
#undef Z

json_t *limits_to_json(const struct scan_limits *l)
{
	json_t *j = json_object();

	for (size_t i = 0; j && i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *p = (const char *)l + fields[i].offset;
		json_int_t v = fields[i].is_size ? (json_int_t)(*(size_t *)p)
						 : (json_int_t)(*(unsigned *)p);
		json_object_set_new(j, fields[i].name, json_integer(v));
	}
	return j;
}

void limits_from_json(const json_t *j, struct scan_limits *l)
{
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const json_t *v = json_object_get(j, fields[i].name);
		char *p = (char *)l + fields[i].offset;
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			continue;
		if (fields[i].is_size)
			*(size_t *)p = (size_t)json_integer_value(v);
		else
			*(unsigned *)p = (unsigned)json_integer_value(v);
	}
}
