#include "thread_subject.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

struct subject_prefix {
	const char *word; /* case-folded, NFKC */
	enum thread_subject_kind kind;
};

static const struct subject_prefix prefixes[] = {
    {"re", THREAD_SUBJECT_REPLY},	{"aw", THREAD_SUBJECT_REPLY},
    {"sv", THREAD_SUBJECT_REPLY},	{"vs", THREAD_SUBJECT_REPLY},
    {"antw", THREAD_SUBJECT_REPLY},	{"odp", THREAD_SUBJECT_REPLY},
    {"ref", THREAD_SUBJECT_REPLY},	{"res", THREAD_SUBJECT_REPLY},
    {"ynt", THREAD_SUBJECT_REPLY},	{"r", THREAD_SUBJECT_REPLY},
    {"返信", THREAD_SUBJECT_REPLY},	{"回复", THREAD_SUBJECT_REPLY},
    {"答复", THREAD_SUBJECT_REPLY},	{"回覆", THREAD_SUBJECT_REPLY},
    {"답장", THREAD_SUBJECT_REPLY},	{"fwd", THREAD_SUBJECT_FORWARD},
    {"fw", THREAD_SUBJECT_FORWARD},	{"wg", THREAD_SUBJECT_FORWARD},
    {"tr", THREAD_SUBJECT_FORWARD},	{"rv", THREAD_SUBJECT_FORWARD},
    {"enc", THREAD_SUBJECT_FORWARD},	{"pd", THREAD_SUBJECT_FORWARD},
    {"doorst", THREAD_SUBJECT_FORWARD}, {"転送", THREAD_SUBJECT_FORWARD},
    {"转发", THREAD_SUBJECT_FORWARD},	{"轉寄", THREAD_SUBJECT_FORWARD},
    {"전달", THREAD_SUBJECT_FORWARD},
};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

char *thread_text_utf8(struct span text, size_t max)
{
	size_t n = text.len < max ? text.len : max;
	char *converted = NULL;
	char *out;

	if (memchr(text.ptr, 0x1b, n)) {
		gsize written = 0;
		char *g = g_convert((const char *)text.ptr, (gssize)n, "UTF-8",
				    "ISO-2022-JP", NULL, &written, NULL);
		if (g) {
			converted = strndup(g, written);
			g_free(g);
			if (!converted)
				return NULL;
			text = span_str(converted);
			n = text.len;
		}
	}
	if (utf8_valid(text.ptr, n) && !memchr(text.ptr, 0, n))
		out = strndup((const char *)text.ptr, n);
	else
		out = utf8_repair(text.ptr, n);
	free(converted);
	return out;
}

/* NFKC, case-folded, whitespace collapsed and trimmed; malloc'd. */
static char *normalize(const char *utf8)
{
	char *nfkc = g_utf8_normalize(utf8, -1, G_NORMALIZE_NFKC);
	char *folded, *out;
	size_t o = 0;

	if (!nfkc)
		return strdup("");
	folded = g_utf8_casefold(nfkc, -1);
	g_free(nfkc);
	out = malloc(strlen(folded) + 1);
	if (out) {
		for (const char *p = folded; *p; p++) {
			if (is_space(*p)) {
				if (o && out[o - 1] != ' ')
					out[o++] = ' ';
				continue;
			}
			out[o++] = *p;
		}
		while (o && out[o - 1] == ' ')
			o--;
		out[o] = '\0';
	}
	g_free(folded);
	return out;
}

/* Length of a count after a prefix word ("[2]", "(2)", "^2"), or 0. */
static size_t count_length(const char *p)
{
	char close = p[0] == '[' ? ']' : p[0] == '(' ? ')' : 0;
	size_t i = 1;

	if (p[0] == '^') {
		while (is_digit(p[i]) && i < 8)
			i++;
		return i > 1 ? i : 0;
	}
	if (!close)
		return 0;
	while (is_digit(p[i]) && i < 8)
		i++;
	return i > 1 && p[i] == close ? i + 1 : 0;
}

/* The length of the prefix at p, with its colon and the spaces after it,
 * and its kind; 0 when p starts with none. */
static size_t prefix_at(const char *p, enum thread_subject_kind *kind)
{
	for (size_t k = 0; k < sizeof(prefixes) / sizeof(prefixes[0]); k++) {
		size_t n = strlen(prefixes[k].word);
		if (strncmp(p, prefixes[k].word, n) != 0)
			continue;
		n += count_length(p + n);
		while (p[n] == ' ')
			n++;
		if (p[n] != ':')
			continue;
		n++;
		while (p[n] == ' ')
			n++;
		*kind = prefixes[k].kind;
		return n;
	}
	return 0;
}

/* A leading "[tag] " of a mailing list, or 0. */
static size_t tag_at(const char *p)
{
	const char *close;

	if (p[0] != '[')
		return 0;
	close = strchr(p, ']');
	if (!close || close - p > THREAD_SUBJECT_TAG_BYTES || close == p + 1)
		return 0;
	close++;
	while (*close == ' ')
		close++;
	return (size_t)(close - p);
}

int thread_subject_parse(struct span subject, struct thread_subject *out)
{
	char *text = thread_text_utf8(subject, THREAD_SUBJECT_BYTES);
	char *norm, *p;

	memset(out, 0, sizeof(*out));
	if (!text)
		return -1;
	norm = normalize(text);
	free(text);
	if (!norm)
		return -1;
	p = norm;
	for (unsigned i = 0; i < THREAD_SUBJECT_PREFIXES; i++) {
		enum thread_subject_kind kind;
		size_t tag = tag_at(p), len = prefix_at(p + tag, &kind);
		if (!len)
			break;
		if (out->kind == THREAD_SUBJECT_NEW)
			out->kind = kind;
		if (kind == THREAD_SUBJECT_REPLY)
			out->replies++;
		else
			out->forwards++;
		p += tag + len;
	}
	out->base = strdup(p);
	free(norm);
	return out->base ? 0 : -1;
}

void thread_subject_free(struct thread_subject *s)
{
	free(s->base);
	s->base = NULL;
}

int thread_subject_base(const char *subject, char **base_out)
{
	struct thread_subject s;

	*base_out = NULL;
	if (thread_subject_parse(span_str(subject), &s) < 0)
		return -1;
	*base_out = s.base;
	return 0;
}
