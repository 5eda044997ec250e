#include "report_json.h"

#include <string.h>

static json_t *path_json(const struct part_path *p)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < p->n; i++)
		json_array_append_new(arr, json_string(p->elem[i]));
	return arr;
}

static json_t *string_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int path_equal(const struct part_path *a, const struct part_path *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->elem[i], b->elem[i]) != 0)
			return 0;
	return 1;
}

/* The URLs first found in part p: each URL is listed under one part. */
static json_t *part_urls_json(const struct report *r, const struct part_info *p)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < r->nurls; i++)
		if (path_equal(&r->urls[i].part, &p->path))
			json_array_append_new(arr, json_string(r->urls[i].url));
	return arr;
}

int report_to_json(const struct report *r, json_t *obj)
{
	json_t *findings = json_array(), *parts = json_array();
	json_t *urls = json_array();

	if (!findings || !parts || !urls)
		goto fail;
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];
		json_array_append_new(findings,
				      json_pack("{s:s,s:o,s:s}", "id", f->id,
						"part", path_json(&f->part),
						"detail", f->detail));
	}
	for (size_t i = 0; i < r->nparts; i++) {
		const struct part_info *p = &r->parts[i];
		json_array_append_new(
		    parts, json_pack("{s:o,s:s,s:o,s:o,s:I,s:s,s:o}", "path",
				     path_json(&p->path), "type", p->type,
				     "declared", string_or_null(p->declared),
				     "filename", string_or_null(p->filename),
				     "size", (json_int_t)p->size, "sha256",
				     p->sha256, "urls", part_urls_json(r, p)));
	}
	for (size_t i = 0; i < r->nurls; i++)
		json_array_append_new(urls, json_string(r->urls[i].url));
	json_object_set_new(obj, "message_id", string_or_null(r->message_id));
	json_object_set_new(obj, "subject", string_or_null(r->subject));
	json_object_set_new(obj, "from", string_or_null(r->from));
	json_object_set_new(obj, "from_addr", string_or_null(r->from_addr));
	json_object_set_new(obj, "size", json_integer((json_int_t)r->size));
	json_object_set_new(obj, "findings", findings);
	json_object_set_new(obj, "parts", parts);
	json_object_set_new(obj, "urls", urls);
	json_object_set_new(obj, "elapsed_ms", json_real(r->elapsed_ms));
	return 0;
fail:
	json_decref(findings);
	json_decref(parts);
	json_decref(urls);
	return -1;
}
