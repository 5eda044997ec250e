/*
 * passwords - password candidates from the texts of a message.
 * Reads UTF-8 text or HTML (tags dropped, a few entities decoded), at most
 * PASSWORDS_TEXT_BYTES per text; every scan is bounded by the span. Keeps
 * at most max_tokens candidates per tier (limits.password_tokens); a token
 * longer than PASSWORDS_TOKEN_BYTES is not a candidate.
 */
#include "passwords.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entity.h"
#include "utf8.h"

#define PASSWORDS_TOKEN_MIN 2 /* other tokens: 2 to 32 ASCII bytes */
#define PASSWORDS_TOKEN_MAX 32
#define PASSWORDS_LOOKAHEAD 2 /* lines after a label that ends a line */

struct passwords_label {
	const char *text;
	int ascii; /* compared without case, needs word boundaries */
};

/* longer labels first where one begins another */
static const struct passwords_label labels[] = {
    {"password", 1},
    {"passwd", 1},
    {"pass", 1},
    {"pwd", 1},
    {"pw", 1},
    {"code", 1},
    {"kennwort", 1},
    {"mot de passe", 1},
    {"contrase\xc3\xb1"
     "a",
     1},
    {"senha", 1},
    {"\xe3\x83\x91\xe3\x82\xb9\xe3\x83\xaf\xe3\x83\xbc\xe3\x83\x89", 0},
    {"\xe3\x83\x91\xe3\x82\xb9", 0},
    {"\xe6\x9a\x97\xe8\xa8\xbc\xe7\x95\xaa\xe5\x8f\xb7", 0},
    {"\xe8\xa7\xa3\xe5\x87\x8d", 0},
};

/* what may stand between a label and its password */
static const char *const label_separators[] = {
    " ",
    "\t",
    ":",
    "=",
    "\xe3\x80\x80", /* ideographic space */
    "\xef\xbc\x9a", /* full-width colon */
    "\xef\xbc\x9d", /* full-width equals */
    "\xe3\x80\x8d", /* 」 */
    "\xe3\x80\x8f", /* 』 */
    "\xe3\x80\x91", /* 】 */
    "\xef\xbc\x89", /* ） */
    ")",
    "]",
    "\xe3\x81\xaf", /* は */
};

struct passwords_bracket {
	const char *open, *close;
};

static const struct passwords_bracket brackets[] = {
    {"\xe3\x80\x8c", "\xe3\x80\x8d"}, /* 「」 */
    {"\xe3\x80\x90", "\xe3\x80\x91"}, /* 【】 */
    {"\xe3\x80\x8e", "\xe3\x80\x8f"}, /* 『』 */
    {"\xe2\x80\x9c", "\xe2\x80\x9d"}, /* “” */
    {"\xe2\x80\x98", "\xe2\x80\x99"}, /* ‘’ */
    {"\xef\xbc\x88", "\xef\xbc\x89"}, /* （） */
    {"\"", "\""},
    {"'", "'"},
    {"(", ")"},
    {"[", "]"},
};

/* bytes that end a token: ASCII and ideographic white space */
static size_t space_at(const uint8_t *p, size_t n)
{
	if (n >= 1 && (p[0] == ' ' || p[0] == '\t' || p[0] == '\r' ||
		       p[0] == '\n' || p[0] == '\f' || p[0] == '\v'))
		return 1;
	if (n >= 3 && memcmp(p, "\xe3\x80\x80", 3) == 0)
		return 3;
	return 0;
}

static int is_ascii_alnum(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static int is_ascii_alpha(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static uint8_t ascii_lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

/* p[0..n) begins with s, ASCII letters compared without case */
static int prefix_nocase(const uint8_t *p, size_t n, const char *s)
{
	size_t len = strlen(s);

	if (n < len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (ascii_lower(p[i]) != (uint8_t)s[i])
			return 0;
	return 1;
}

static int prefix_exact(const uint8_t *p, size_t n, const char *s)
{
	size_t len = strlen(s);
	return n >= len && memcmp(p, s, len) == 0;
}

void passwords_init(struct passwords *p, unsigned max_tokens)
{
	memset(p, 0, sizeof(*p));
	p->max_tokens = max_tokens;
}

void passwords_free(struct passwords *p)
{
	for (int t = 0; t < PASSWORDS_TIERS; t++) {
		for (size_t i = 0; i < p->n[t]; i++) {
			free(p->tier[t][i].text);
			free(p->tier[t][i].origin);
		}
		free(p->tier[t]);
	}
	memset(p, 0, sizeof(*p));
}

static int passwords_known(const struct passwords *p, const uint8_t *s,
			   size_t len)
{
	for (int t = 0; t < PASSWORDS_TIERS; t++)
		for (size_t i = 0; i < p->n[t]; i++)
			if (p->tier[t][i].len == len &&
			    memcmp(p->tier[t][i].text, s, len) == 0)
				return 1;
	return 0;
}

/* Adds s to tier t unless known, empty, too long, holding NUL or full. */
static int passwords_add(struct passwords *p, enum passwords_tier t,
			 const uint8_t *s, size_t len, const char *origin)
{
	struct passwords_candidate *c;

	if (len == 0 || len > PASSWORDS_TOKEN_BYTES || memchr(s, 0, len))
		return 0;
	if (t != PASSWORDS_COMMON && p->n[t] >= p->max_tokens)
		return 0;
	if (passwords_known(p, s, len))
		return 0;
	if (p->n[t] == p->cap[t]) {
		size_t ncap = p->cap[t] ? p->cap[t] * 2 : 16;
		c = realloc(p->tier[t], ncap * sizeof(*c));
		if (!c)
			return -ENOMEM;
		p->tier[t] = c;
		p->cap[t] = ncap;
	}
	c = &p->tier[t][p->n[t]];
	c->text = strndup((const char *)s, len);
	c->origin = strdup(origin);
	if (!c->text || !c->origin) {
		free(c->text);
		free(c->origin);
		return -ENOMEM;
	}
	c->len = len;
	c->legacy = 0;
	p->n[t]++;
	return 0;
}

size_t passwords_count(const struct passwords *p)
{
	size_t n = 0;

	for (int t = 0; t < PASSWORDS_TIERS; t++)
		n += p->n[t];
	return n;
}

const struct passwords_candidate *passwords_get(const struct passwords *p,
						size_t i)
{
	for (int t = 0; t < PASSWORDS_TIERS; t++) {
		if (i < p->n[t])
			return &p->tier[t][i];
		i -= p->n[t];
	}
	return NULL;
}

/* ---- variants of a labelled token ---- */

static int trailing_punct(const uint8_t *s, size_t len)
{
	static const char *const marks[] = {
	    "\xe3\x80\x82", "\xe3\x80\x81", "\xef\xbc\x8e",
	    "\xef\xbc\x8c", "\xef\xbc\x81", "\xef\xbc\x89",
	};

	if (len >= 1 && strchr(".,;:!?)]}>", s[len - 1]) && s[len - 1])
		return 1;
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (len >= 3 && memcmp(s + len - 3, marks[i], 3) == 0)
			return 3;
	return 0;
}

/* Full-width ASCII (U+FF01..U+FF5E) to ASCII; returns the new length. */
static size_t fold_fullwidth(const uint8_t *s, size_t len, uint8_t *out)
{
	size_t o = 0;

	for (size_t i = 0; i < len;) {
		if (len - i >= 3 && s[i] == 0xef &&
		    (s[i + 1] == 0xbc || s[i + 1] == 0xbd) &&
		    s[i + 2] >= 0x80 && s[i + 2] <= 0xbf) {
			unsigned cp = 0xff00u + ((s[i + 1] & 1u) << 6) +
				      (s[i + 2] & 0x3fu);
			if (cp >= 0xff01 && cp <= 0xff5e) {
				out[o++] = (uint8_t)(cp - 0xff01 + 0x21);
				i += 3;
				continue;
			}
		}
		out[o++] = s[i++];
	}
	return o;
}

/* A Japanese password typed on Japanese Windows protects a ZIP with its
 * CP932 bytes: the same text, encoded so, is tried right after it (as
 * bytes only: Office passwords are Unicode and skip it). */
static int add_cp932(struct passwords *p, const uint8_t *s, size_t len,
		     const char *origin)
{
	char out[PASSWORDS_TOKEN_BYTES], where[256];
	char *in = (char *)s, *o = out;
	size_t inleft = len, outleft = sizeof(out), i, before;
	iconv_t cd;
	int rc;

	for (i = 0; i < len && s[i] < 0x80; i++)
		;
	if (i == len || (cd = iconv_open("CP932", "UTF-8")) == (iconv_t)-1)
		return 0;
	if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1 || inleft) {
		iconv_close(cd);
		return 0;
	}
	iconv_close(cd);
	snprintf(where, sizeof(where), "%s, in CP932", origin);
	before = p->n[PASSWORDS_LABELLED];
	rc = passwords_add(p, PASSWORDS_LABELLED, (uint8_t *)out,
			   sizeof(out) - outleft, where);
	if (rc == 0 && p->n[PASSWORDS_LABELLED] > before)
		p->tier[PASSWORDS_LABELLED][before].legacy = 1;
	return rc;
}

static int add_variants(struct passwords *p, const uint8_t *s, size_t len,
			const char *origin)
{
	uint8_t folded[PASSWORDS_TOKEN_BYTES];
	size_t cut;
	int rc;

	if (len == 0 || len > PASSWORDS_TOKEN_BYTES)
		return 0;
	rc = passwords_add(p, PASSWORDS_LABELLED, s, len, origin);
	if (rc == 0)
		rc = add_cp932(p, s, len, origin);
	for (cut = len; rc == 0 && cut > 0;) {
		size_t k = trailing_punct(s, cut);
		if (!k)
			break;
		cut -= k;
		rc = passwords_add(p, PASSWORDS_LABELLED, s, cut, origin);
	}
	if (rc == 0 && len > 0 && s[0] < 0x80) {
		for (cut = 0; cut < len && s[cut] < 0x80;)
			cut++;
		if (cut < len)
			rc = passwords_add(p, PASSWORDS_LABELLED, s, cut,
					   origin);
	}
	if (rc == 0) {
		size_t n = fold_fullwidth(s, len, folded);
		if (n != len)
			rc = add_variants(p, folded, n, origin);
	}
	return rc;
}

/* ---- labels ---- */

struct passwords_line {
	const uint8_t *ptr;
	size_t len;
	unsigned number;
};

/* Length of a label at line position i, or 0. */
static size_t label_at(const struct passwords_line *l, size_t i)
{
	const uint8_t *p = l->ptr + i;
	size_t n = l->len - i;

	for (size_t k = 0; k < sizeof(labels) / sizeof(labels[0]); k++) {
		size_t len = strlen(labels[k].text);
		if (!labels[k].ascii) {
			if (prefix_exact(p, n, labels[k].text))
				return len;
			continue;
		}
		if (i > 0 && is_ascii_alnum(l->ptr[i - 1]))
			continue;
		if (!prefix_nocase(p, n, labels[k].text))
			continue;
		if (len < n && is_ascii_alpha(p[len]))
			continue;
		return len;
	}
	return 0;
}

/* words between a label and its password: "the password is: x" */
static const char *const separator_words[] = {
    "is", "ist", "lautet", "est", "es", "\xc3\xa9", /* é */
};

/* a word counts when a space or a colon follows it */
static size_t separator_word_at(const uint8_t *p, size_t n)
{
	for (size_t s = 0;
	     s < sizeof(separator_words) / sizeof(separator_words[0]); s++) {
		size_t len = strlen(separator_words[s]);
		if (!prefix_nocase(p, n, separator_words[s]) || len == n)
			continue;
		if (space_at(p + len, n - len) || p[len] == ':' ||
		    prefix_exact(p + len, n - len, "\xef\xbc\x9a"))
			return len;
	}
	return 0;
}

static size_t skip_separators(const uint8_t *p, size_t n)
{
	size_t i = 0;

	for (;;) {
		size_t k = separator_word_at(p + i, n - i);
		for (size_t s = 0; !k && s < sizeof(label_separators) /
						 sizeof(label_separators[0]);
		     s++)
			if (prefix_nocase(p + i, n - i, label_separators[s])) {
				k = strlen(label_separators[s]);
				break;
			}
		if (!k)
			return i;
		i += k;
	}
}

/*
 * The token at p: inside brackets when it opens with one, else up to white
 * space. Returns its start offset and length through out; 0 if none.
 */
static int token_at(const uint8_t *p, size_t n, size_t *start, size_t *len)
{
	for (size_t b = 0; b < sizeof(brackets) / sizeof(brackets[0]); b++) {
		size_t ol = strlen(brackets[b].open);
		size_t cl = strlen(brackets[b].close);
		if (!prefix_exact(p, n, brackets[b].open))
			continue;
		for (size_t j = ol; j + cl <= n; j++)
			if (memcmp(p + j, brackets[b].close, cl) == 0) {
				*start = ol;
				*len = j - ol;
				return *len > 0;
			}
		break;
	}
	*start = 0;
	for (*len = 0; *len < n && !space_at(p + *len, n - *len);)
		(*len)++;
	return *len > 0;
}

/* label as the message writes it, at most PASSWORDS_TOKEN_BYTES */
static void origin_text(char *out, size_t outlen, const char *where,
			unsigned line, struct span label)
{
	int n =
	    (int)(label.len < PASSWORDS_TOKEN_BYTES ? label.len
						    : PASSWORDS_TOKEN_BYTES);

	if (line)
		snprintf(out, outlen, "%s line %u, after %.*s", where, line, n,
			 (const char *)label.ptr);
	else
		snprintf(out, outlen, "%s, after %.*s", where, n,
			 (const char *)label.ptr);
}

/* The first token of the first non-blank line among the next ones. */
static int next_line_token(struct passwords *p, const struct passwords_line *l,
			   size_t nlines, const char *where, struct span label)
{
	char origin[160];

	for (size_t k = 1; k <= PASSWORDS_LOOKAHEAD && k < nlines; k++) {
		const uint8_t *q = l[k].ptr;
		size_t n = l[k].len, skip = 0, start, len;
		while (skip < n && space_at(q + skip, n - skip))
			skip += space_at(q + skip, n - skip);
		if (skip == n)
			continue;
		if (!token_at(q + skip, n - skip, &start, &len))
			return 0;
		origin_text(origin, sizeof(origin), where, l[k].number, label);
		return add_variants(p, q + skip + start, len, origin);
	}
	return 0;
}

static int scan_line_labels(struct passwords *p, const struct passwords_line *l,
			    size_t nlines, const char *where)
{
	char origin[160];
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < l->len;) {
		size_t len = label_at(l, i), after, start, tlen;
		struct span label = span_make(l->ptr + i, len);
		if (!len) {
			i++;
			continue;
		}
		after = i + len;
		after += skip_separators(l->ptr + after, l->len - after);
		if (after >= l->len) {
			rc = next_line_token(p, l, nlines, where, label);
			break;
		}
		if (token_at(l->ptr + after, l->len - after, &start, &tlen)) {
			origin_text(origin, sizeof(origin), where, l->number,
				    label);
			rc = add_variants(p, l->ptr + after + start, tlen,
					  origin);
		}
		i = after > i + len ? after : i + len;
	}
	return rc;
}

/* ---- other tokens ---- */

static int scan_line_tokens(struct passwords *p, const struct passwords_line *l,
			    const char *where)
{
	char origin[160];
	size_t i = 0;

	while (i < l->len) {
		size_t start, len = 0;
		while (i < l->len && space_at(l->ptr + i, l->len - i))
			i += space_at(l->ptr + i, l->len - i);
		start = i;
		while (i < l->len && l->ptr[i] > 0x20 && l->ptr[i] < 0x7f)
			i++, len++;
		if (i < l->len && !space_at(l->ptr + i, l->len - i)) {
			/* a token with non-ASCII bytes is no candidate */
			while (i < l->len && !space_at(l->ptr + i, l->len - i))
				i++;
			continue;
		}
		while (len > 0 && strchr("\"'([<", l->ptr[start]))
			start++, len--;
		while (len > 0 &&
		       strchr(".,;:!?\"')]>", l->ptr[start + len - 1]))
			len--;
		if (len < PASSWORDS_TOKEN_MIN || len > PASSWORDS_TOKEN_MAX)
			continue;
		if (l->number)
			snprintf(origin, sizeof(origin), "%s line %u", where,
				 l->number);
		else
			snprintf(origin, sizeof(origin), "%s", where);
		if (passwords_add(p, PASSWORDS_TOKEN, l->ptr + start, len,
				  origin) < 0)
			return -ENOMEM;
		if (p->n[PASSWORDS_TOKEN] >= p->max_tokens)
			return 0;
	}
	return 0;
}

/* Splits text into lines; where "subject" has no line numbers. */
static int split_lines(struct span text, int numbered,
		       struct passwords_line **out, size_t *nout)
{
	size_t n = 1, k = 0, start = 0;
	struct passwords_line *l;

	for (size_t i = 0; i < text.len; i++)
		n += text.ptr[i] == '\n';
	l = calloc(n, sizeof(*l));
	if (!l)
		return -ENOMEM;
	for (size_t i = 0; i <= text.len; i++) {
		size_t end;
		if (i < text.len && text.ptr[i] != '\n')
			continue;
		end = i;
		if (end > start && text.ptr[end - 1] == '\r')
			end--;
		l[k].ptr = text.ptr + start;
		l[k].len = end - start;
		l[k].number = numbered ? (unsigned)(k + 1) : 0;
		k++;
		start = i + 1;
	}
	*out = l;
	*nout = k;
	return 0;
}

/* Labels (want_labels 1) or other tokens (0) of every line. */
static int scan_lines(struct passwords *p, const char *where, struct span text,
		      int want_labels)
{
	struct passwords_line *lines;
	size_t n;
	int rc = 0;

	if (split_lines(text, strcmp(where, "subject") != 0, &lines, &n) < 0)
		return -ENOMEM;
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = want_labels ? scan_line_labels(p, &lines[i], n - i, where)
				 : scan_line_tokens(p, &lines[i], where);
	free(lines);
	return rc;
}

/*
 * Labels in the text as written, then with full-width ASCII folded
 * (ＰＷ：), then the other tokens.
 */
int passwords_add_text(struct passwords *p, const char *where, struct span text)
{
	uint8_t *folded;
	size_t n;
	int rc;

	if (text.len == 0)
		return 0; /* an empty part's bytes may be NULL */
	if (text.len > PASSWORDS_TEXT_BYTES)
		text.len = PASSWORDS_TEXT_BYTES;
	rc = scan_lines(p, where, text, 1);
	if (rc < 0)
		return rc;
	folded = malloc(text.len + 1);
	if (!folded)
		return -ENOMEM;
	n = fold_fullwidth(text.ptr, text.len, folded);
	if (n != text.len)
		rc = scan_lines(p, where, span_make(folded, n), 1);
	free(folded);
	if (rc == 0)
		rc = scan_lines(p, where, text, 0);
	return rc;
}

/* ---- HTML to text ---- */

/* <br> and the end of a block (</p>, </div>, ...) end a line of text */
static int tag_breaks_line(const uint8_t *tag, size_t n)
{
	static const char *const blocks[] = {"p",  "div", "tr", "li",	"td",
					     "h1", "h2",  "h3", "table"};

	if (prefix_nocase(tag, n, "br") && (n == 2 || !is_ascii_alnum(tag[2])))
		return 1;
	if (n < 2 || tag[0] != '/')
		return 0;
	for (size_t k = 0; k < sizeof(blocks) / sizeof(blocks[0]); k++) {
		size_t len = strlen(blocks[k]);
		if (prefix_nocase(tag + 1, n - 1, blocks[k]) &&
		    (1 + len == n || !is_ascii_alnum(tag[1 + len])))
			return 1;
	}
	return 0;
}

/* Skips a tag at p[0] == '<'; returns its length, the whole rest if open. */
static size_t tag_length(const uint8_t *p, size_t n)
{
	const uint8_t *gt = memchr(p, '>', n);
	return gt ? (size_t)(gt - p) + 1 : n;
}

/* The raw-text element (script, style) that starts at p, or NULL. */
static const char *raw_element(const uint8_t *p, size_t n)
{
	if (prefix_nocase(p, n, "<script"))
		return "</script";
	if (prefix_nocase(p, n, "<style"))
		return "</style";
	return NULL;
}

static size_t skip_raw_element(const uint8_t *p, size_t n, const char *end)
{
	size_t len = strlen(end);

	for (size_t i = 0; i + len <= n; i++)
		if (p[i] == '<' && prefix_nocase(p + i, n - i, end))
			return i + tag_length(p + i, n - i);
	return n;
}

int passwords_add_html(struct passwords *p, const char *where, struct span html)
{
	size_t n =
	    html.len > PASSWORDS_TEXT_BYTES ? PASSWORDS_TEXT_BYTES : html.len;
	uint8_t *text = malloc(n + 1);
	size_t o = 0;
	int rc;

	if (!text)
		return -ENOMEM;
	for (size_t i = 0; i < n;) {
		const uint8_t *c = html.ptr + i;
		size_t used = 0, k;
		if (*c == '<') {
			const char *raw = raw_element(c, n - i);
			size_t len = raw ? skip_raw_element(c, n - i, raw)
					 : tag_length(c, n - i);
			if (len > 2 && tag_breaks_line(c + 1, len - 2))
				text[o++] = '\n';
			i += len;
			continue;
		}
		if (*c == '&' &&
		    (k = entity_decode((const char *)c, n - i, 1,
				       (char *)text + o, &used)) &&
		    used <= n - i) {
			o += k;
			i += used;
			continue;
		}
		if (*c == '\n' || *c == '\r') {
			text[o++] = ' ';
			i++;
			continue;
		}
		text[o++] = *c;
		i++;
	}
	rc = passwords_add_text(p, where, span_make(text, o));
	free(text);
	return rc;
}

int passwords_add_common(struct passwords *p, const char *list)
{
	const uint8_t *s = (const uint8_t *)list;
	size_t n = strlen(list), i = 0;

	while (i < n) {
		size_t start, len = 0;
		while (i < n && space_at(s + i, n - i))
			i += space_at(s + i, n - i);
		start = i;
		while (i < n && !space_at(s + i, n - i))
			i++, len++;
		if (passwords_add(p, PASSWORDS_COMMON, s + start, len,
				  "common passwords") < 0)
			return -ENOMEM;
	}
	return 0;
}
