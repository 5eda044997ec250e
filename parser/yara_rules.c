#include "yara_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yara.h>

struct yara_rules {
	YR_RULES *rules;
};

struct compile_error {
	char *buf;
	size_t len;
	int seen;
};

static void on_compile_error(int level, const char *file, int line,
			     const YR_RULE *rule, const char *message,
			     void *arg)
{
	struct compile_error *e = arg;

	if (level != YARA_ERROR_LEVEL_ERROR || e->seen)
		return;
	e->seen = 1;
	snprintf(e->buf, e->len, "%s:%d: %s", file ? file : "?", line, message);
}

int yara_rules_compile(const char *const *files, size_t n,
		       struct yara_rules **out, char *err, size_t errlen)
{
	struct compile_error e = {err, errlen, 0};
	YR_COMPILER *c = NULL;
	struct yara_rules *r;
	int rc = -1;

	*out = NULL;
	snprintf(err, errlen, "cannot compile YARA rules");
	/* libyara counts its users; each set of rules holds one */
	if (yr_initialize() != ERROR_SUCCESS)
		return -1;
	if (yr_compiler_create(&c) != ERROR_SUCCESS) {
		yr_finalize();
		return -1;
	}
	yr_compiler_set_callback(c, on_compile_error, &e);
	for (size_t i = 0; i < n; i++) {
		FILE *f = fopen(files[i], "r");
		int errors;
		if (!f) {
			snprintf(err, errlen, "%s: cannot read", files[i]);
			goto out;
		}
		errors = yr_compiler_add_file(c, f, NULL, files[i]);
		fclose(f);
		if (errors)
			goto out;
	}
	r = calloc(1, sizeof(*r));
	if (!r || yr_compiler_get_rules(c, &r->rules) != ERROR_SUCCESS) {
		free(r);
		goto out;
	}
	*out = r;
	rc = 0;
out:
	yr_compiler_destroy(c);
	if (rc < 0)
		yr_finalize();
	return rc;
}

void yara_rules_free(struct yara_rules *r)
{
	if (!r)
		return;
	yr_rules_destroy(r->rules);
	free(r);
	yr_finalize();
}

struct match_ctx {
	struct scan_ctx *ctx;
	const struct part_ctx *part;
};

static int on_match(YR_SCAN_CONTEXT *sc, int message, void *data, void *arg)
{
	struct match_ctx *m = arg;
	YR_RULE *rule = data;
	YR_META *meta;
	const char *detail = NULL;
	char id[160];

	(void)sc;
	if (message != CALLBACK_MSG_RULE_MATCHING)
		return CALLBACK_CONTINUE;
	yr_rule_metas_foreach(rule, meta)
	{
		if (meta->type == META_TYPE_STRING &&
		    strcmp(meta->identifier, "description") == 0)
			detail = meta->string;
	}
	snprintf(id, sizeof(id), "yara.%s", rule->identifier);
	scan_finding(m->ctx, id, m->part->path, "%s",
		     detail ? detail : rule->identifier);
	return CALLBACK_CONTINUE;
}

int yara_analyze(struct scan_ctx *ctx, const struct part_ctx *part)
{
	struct match_ctx m = {ctx, part};
	int rc;

	if (!ctx->yara)
		return 0;
	rc = yr_rules_scan_mem(ctx->yara->rules, part->content.ptr,
			       part->content.len, 0, on_match, &m,
			       YARA_SCAN_SECONDS);
	if (rc == ERROR_SCAN_TIMEOUT)
		return scan_finding(ctx, "scan.limit", part->path,
				    "YARA scan over %d seconds",
				    YARA_SCAN_SECONDS);
	return rc == ERROR_SUCCESS ? 0 : -1;
}
