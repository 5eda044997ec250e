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

static int path_from_json(const json_t *arr, struct part_path *p)
{
	size_t i;
	json_t *v;

	p->n = 0;
	if (!json_is_array(arr))
		return -1;
	json_array_foreach(arr, i, v)
	{
		if (!json_is_string(v) || path_push(p, json_string_value(v),
						    json_string_length(v)) < 0)
			return -1;
	}
	return 0;
}

static char *dup_member(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	if (!json_is_string(v))
		return NULL;
	return report_strdup(json_string_value(v), json_string_length(v));
}

static int finding_from_json(const json_t *f, struct report *r)
{
	const json_t *id = json_object_get(f, "id");
	const json_t *detail = json_object_get(f, "detail");
	struct part_path part = {0};
	int rc;

	if (!json_is_string(id) || !json_is_string(detail) ||
	    path_from_json(json_object_get(f, "part"), &part) < 0) {
		path_clear(&part);
		return -1;
	}
	rc = report_add_finding(r, json_string_value(id), &part,
				json_string_value(detail),
				json_string_length(detail));
	path_clear(&part);
	return rc;
}

static int part_from_json(const json_t *pj, struct report *r)
{
	struct part_info info;
	const json_t *sha = json_object_get(pj, "sha256");
	const json_t *type = json_object_get(pj, "type");
	int rc = -1;

	memset(&info, 0, sizeof(info));
	const json_t *size = json_object_get(pj, "size");

	if (!json_is_string(sha) || json_string_length(sha) != 64 ||
	    !json_is_string(type) || !json_is_integer(size) ||
	    json_integer_value(size) < 0 ||
	    path_from_json(json_object_get(pj, "path"), &info.path) < 0)
		goto out;
	memcpy(info.sha256, json_string_value(sha), 65);
	info.type = (char *)json_string_value(type);
	info.declared = dup_member(pj, "declared");
	info.filename = dup_member(pj, "filename");
	info.size = (size_t)json_integer_value(size);
	rc = report_add_part(r, &info);
	free(info.declared);
	free(info.filename);
out:
	path_clear(&info.path);
	return rc;
}

int report_headers_to_json(const struct report *r, json_t *obj)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < r->nheaders; i++)
		json_array_append_new(arr,
				      json_pack("[s,s]", r->headers[i].name,
						r->headers[i].value));
	return arr ? json_object_set_new(obj, "headers", arr) : -1;
}

static int headers_from_json(const json_t *arr, struct report *r)
{
	size_t i;
	json_t *h;

	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return -1;
	json_array_foreach(arr, i, h)
	{
		const char *name = json_string_value(json_array_get(h, 0));
		const char *value = json_string_value(json_array_get(h, 1));
		if (!name || !value || report_add_header(r, name, value) < 0)
			return -1;
	}
	return 0;
}

/* A part's "urls" (absent in reports older than the per-part lists). */
static int part_urls_from_json(const json_t *part, struct report *r,
			       const struct part_path *path)
{
	const json_t *urls = json_object_get(part, "urls");
	size_t i;
	json_t *v;

	if (!urls)
		return 0;
	if (!json_is_array(urls))
		return -1;
	json_array_foreach(urls, i, v)
	{
		if (!json_is_string(v) ||
		    report_add_url(r, path, json_string_value(v),
				   json_string_length(v)) < 0)
			return -1;
	}
	return 0;
}

int report_from_json(const json_t *obj, struct report *r, size_t max_findings)
{
	const json_t *findings = json_object_get(obj, "findings");
	const json_t *parts = json_object_get(obj, "parts");
	const json_t *urls = json_object_get(obj, "urls");
	size_t i;
	json_t *v;

	report_init(r, max_findings);
	if (!json_is_array(findings) || !json_is_array(parts) ||
	    !json_is_array(urls))
		return -1;
	json_array_foreach(findings, i,
			   v) if (finding_from_json(v, r) < 0) return -1;
	json_array_foreach(parts, i, v) if (part_from_json(v, r) < 0) return -1;
	for (i = 0; i < r->nparts; i++)
		if (part_urls_from_json(json_array_get(parts, i), r,
					&r->parts[i].path) < 0)
			return -1;
	json_array_foreach(urls, i, v)
	{
		if (!json_is_string(v) ||
		    report_add_url(r, NULL, json_string_value(v),
				   json_string_length(v)) < 0)
			return -1;
	}
	r->message_id = dup_member(obj, "message_id");
	r->subject = dup_member(obj, "subject");
	r->from = dup_member(obj, "from");
	r->from_addr = dup_member(obj, "from_addr");
	if (json_integer_value(json_object_get(obj, "size")) > 0)
		r->size =
		    (size_t)json_integer_value(json_object_get(obj, "size"));
	if (headers_from_json(json_object_get(obj, "headers"), r) < 0)
		return -1;
	r->elapsed_ms = json_real_value(json_object_get(obj, "elapsed_ms"));
	return 0;
}
