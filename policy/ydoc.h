/*
 * ydoc - a YAML file loaded whole with libyaml, and the small set of
 * accessors the policy and the settings compilers share. Every error names
 * file:line:column (1-based) and what was expected. Limits: files over
 * YDOC_MAX_BYTES are refused; duplicate mapping keys are errors.
 */
#ifndef KENSA_YDOC_H
#define KENSA_YDOC_H

#include <stddef.h>
#include <yaml.h>

#define YDOC_MAX_BYTES (16u << 20)

struct ydoc {
	const char *file;
	yaml_document_t doc;
	int loaded;
	char *error; /* first error, "file:line:col: message" */
};

int ydoc_load_file(struct ydoc *y, const char *path);
int ydoc_load_string(struct ydoc *y, const char *name, const char *text,
		     size_t len);
void ydoc_free(struct ydoc *y);

yaml_node_t *ydoc_root(struct ydoc *y);
yaml_node_t *ydoc_node(struct ydoc *y, int index);
int ydoc_error(struct ydoc *y, const yaml_node_t *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

const char *ydoc_scalar(const yaml_node_t *n);
int ydoc_expect_mapping(struct ydoc *y, const yaml_node_t *n, const char *what);
int ydoc_check_keys(struct ydoc *y, yaml_node_t *map, const char *const *keys);
yaml_node_t *ydoc_get(struct ydoc *y, yaml_node_t *map, const char *key);
int ydoc_string(struct ydoc *y, yaml_node_t *n, char **out);
int ydoc_int(struct ydoc *y, yaml_node_t *n, long min, long max, long *out);
int ydoc_bool(struct ydoc *y, yaml_node_t *n, int *out);

#endif
