#include "ydoc.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int set_error(struct ydoc *y, size_t line, size_t col, const char *fmt,
		     va_list ap)
{
	char msg[512];

	if (y->error)
		return -1;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (asprintf(&y->error, "%s:%zu:%zu: %s", y->file, line, col, msg) < 0)
		y->error = NULL;
	return -1;
}

int ydoc_error(struct ydoc *y, const yaml_node_t *at, const char *fmt, ...)
{
	va_list ap;
	size_t line = at ? at->start_mark.line + 1 : 1;
	size_t col = at ? at->start_mark.column + 1 : 1;

	va_start(ap, fmt);
	set_error(y, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

static int mark_error(struct ydoc *y, yaml_mark_t mark, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_error(y, mark.line + 1, mark.column + 1, fmt, ap);
	va_end(ap);
	return -1;
}

int ydoc_load_string(struct ydoc *y, const char *name, const char *text,
		     size_t len)
{
	yaml_parser_t parser;
	int rc = 0;

	memset(y, 0, sizeof(*y));
	y->file = name;
	if (len > YDOC_MAX_BYTES) {
		mark_error(y, (yaml_mark_t){0}, "file larger than %u bytes",
			   YDOC_MAX_BYTES);
		return -1;
	}
	if (!yaml_parser_initialize(&parser))
		return mark_error(y, (yaml_mark_t){0}, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &y->doc)) {
		rc = mark_error(y, parser.problem_mark, "%s%s%s",
				parser.problem ? parser.problem : "YAML error",
				parser.context ? " " : "",
				parser.context ? parser.context : "");
	} else {
		y->loaded = 1;
	}
	yaml_parser_delete(&parser);
	return rc;
}

int ydoc_load_file(struct ydoc *y, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc;

	memset(y, 0, sizeof(*y));
	y->file = path;
	if (!f)
		return mark_error(y, (yaml_mark_t){0}, "cannot open: %s",
				  strerror(errno));
	for (;;) {
		size_t n;
		if (len == cap) {
			char *nb;
			if (cap > YDOC_MAX_BYTES)
				break;
			cap = cap ? cap * 2 : 8192;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return mark_error(y, (yaml_mark_t){0},
						  "out of memory");
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return mark_error(y, (yaml_mark_t){0}, "read error");
	}
	fclose(f);
	rc = ydoc_load_string(y, path, buf ? buf : "", len);
	free(buf);
	return rc;
}

void ydoc_free(struct ydoc *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = 0;
	free(y->error);
	y->error = NULL;
}

yaml_node_t *ydoc_root(struct ydoc *y)
{
	return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

yaml_node_t *ydoc_node(struct ydoc *y, int index)
{
	return yaml_document_get_node(&y->doc, index);
}

const char *ydoc_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE
		   ? (const char *)n->data.scalar.value
		   : NULL;
}

int ydoc_expect_mapping(struct ydoc *y, const yaml_node_t *n, const char *what)
{
	if (!n || n->type != YAML_MAPPING_NODE)
		return ydoc_error(y, n, "expected a mapping for %s", what);
	return 0;
}

static int key_known(const char *key, const char *const *keys)
{
	for (; *keys; keys++)
		if (strcmp(key, *keys) == 0)
			return 1;
	return 0;
}

int ydoc_check_keys(struct ydoc *y, yaml_node_t *map, const char *const *keys)
{
	yaml_node_pair_t *p, *q;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = ydoc_node(y, p->key);
		const char *name = ydoc_scalar(k);
		if (!name)
			return ydoc_error(y, k, "expected a key name");
		if (!key_known(name, keys)) {
			char known[256] = "";
			size_t off = 0;
			for (const char *const *kk = keys; *kk; kk++)
				off += (size_t)snprintf(
				    known + off,
				    off < sizeof(known) ? sizeof(known) - off
							: 0,
				    "%s%s", kk == keys ? "" : ", ", *kk);
			return ydoc_error(
			    y, k, "unknown key '%s' (expected one of: %s)",
			    name, known);
		}
		for (q = map->data.mapping.pairs.start; q < p; q++) {
			const char *prev = ydoc_scalar(ydoc_node(y, q->key));
			if (prev && strcmp(prev, name) == 0)
				return ydoc_error(y, k, "duplicate key '%s'",
						  name);
		}
	}
	return 0;
}

yaml_node_t *ydoc_get(struct ydoc *y, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		const char *name = ydoc_scalar(ydoc_node(y, p->key));
		if (name && strcmp(name, key) == 0)
			return ydoc_node(y, p->value);
	}
	return NULL;
}

int ydoc_string(struct ydoc *y, yaml_node_t *n, char **out)
{
	const char *s = ydoc_scalar(n);

	if (!s)
		return ydoc_error(y, n, "expected a string");
	free(*out);
	*out = strdup(s);
	return *out ? 0 : ydoc_error(y, n, "out of memory");
}

int ydoc_int(struct ydoc *y, yaml_node_t *n, long min, long max, long *out)
{
	const char *s = ydoc_scalar(n);
	char *end;
	long v;

	if (!s || !*s)
		return ydoc_error(y, n, "expected a whole number");
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end)
		return ydoc_error(y, n, "expected a whole number, not '%s'", s);
	if (v < min || v > max)
		return ydoc_error(y, n, "expected a number from %ld to %ld",
				  min, max);
	*out = v;
	return 0;
}

int ydoc_bool(struct ydoc *y, yaml_node_t *n, int *out)
{
	const char *s = ydoc_scalar(n);

	if (s && (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0 ||
		  strcasecmp(s, "on") == 0))
		*out = 1;
	else if (s && (strcasecmp(s, "false") == 0 ||
		       strcasecmp(s, "no") == 0 || strcasecmp(s, "off") == 0))
		*out = 0;
	else
		return ydoc_error(y, n, "expected true or false");
	return 0;
}
