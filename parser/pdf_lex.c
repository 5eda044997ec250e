#include "pdf_lex.h"

#include <string.h>

static int pdf_space(uint8_t c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' ||
	       c == ' ';
}

static int pdf_delim(uint8_t c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' ||
	       c == ']' || c == '{' || c == '}' || c == '/' || c == '%';
}

static int pdf_regular(uint8_t c)
{
	return !pdf_space(c) && !pdf_delim(c);
}

int pdf_hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void pdf_lex_init(struct pdf_lex *lx, struct span s, size_t pos)
{
	lx->s = s;
	lx->pos = pos < s.len ? pos : s.len;
}

/* Skips whitespace and comments. */
static void skip_space(struct pdf_lex *lx)
{
	const uint8_t *p = lx->s.ptr;
	size_t n = lx->s.len;

	while (lx->pos < n) {
		if (pdf_space(p[lx->pos])) {
			lx->pos++;
		} else if (p[lx->pos] == '%') {
			while (lx->pos < n && p[lx->pos] != '\n' &&
			       p[lx->pos] != '\r')
				lx->pos++;
		} else {
			break;
		}
	}
}

/* A literal string from after its '(': nested parens balance, a
 * backslash escapes the next byte; ends at the span's end if unclosed. */
static void lex_string(struct pdf_lex *lx, struct pdf_token *t)
{
	const uint8_t *p = lx->s.ptr;
	size_t n = lx->s.len, depth = 1;

	t->type = PDF_T_STRING;
	t->start = lx->pos;
	while (lx->pos < n) {
		uint8_t c = p[lx->pos];
		if (c == '\\') {
			lx->pos += lx->pos + 1 < n ? 2 : 1;
			continue;
		}
		if (c == '(') {
			depth++;
		} else if (c == ')' && --depth == 0) {
			t->len = lx->pos - t->start;
			lx->pos++;
			return;
		}
		lx->pos++;
	}
	t->len = lx->pos - t->start;
}

static void lex_number(struct pdf_lex *lx, struct pdf_token *t)
{
	const uint8_t *p = lx->s.ptr;
	size_t n = lx->s.len;
	int neg = 0, digits = 0, point = 0;
	long long v = 0;

	t->start = lx->pos;
	if (p[lx->pos] == '+' || p[lx->pos] == '-')
		neg = p[lx->pos++] == '-';
	while (lx->pos < n && pdf_regular(p[lx->pos])) {
		uint8_t c = p[lx->pos];
		if (c >= '0' && c <= '9') {
			if (v < 100000000000000LL)
				v = v * 10 + (c - '0');
			digits++;
		} else if (c == '.') {
			point++;
		} else {
			break;
		}
		lx->pos++;
	}
	/* "1abc" or "+": the rest of the regular run is a keyword */
	if (lx->pos < n && pdf_regular(p[lx->pos])) {
		while (lx->pos < n && pdf_regular(p[lx->pos]))
			lx->pos++;
		t->type = PDF_T_KEYWORD;
	} else if (!digits || point > 1) {
		t->type = PDF_T_KEYWORD;
	} else {
		t->type = point ? PDF_T_REAL : PDF_T_INT;
	}
	t->len = lx->pos - t->start;
	t->num = neg ? -v : v;
}

void pdf_lex_next(struct pdf_lex *lx, struct pdf_token *t)
{
	const uint8_t *p = lx->s.ptr;
	size_t n = lx->s.len;
	uint8_t c;

	memset(t, 0, sizeof(*t));
	skip_space(lx);
	t->start = lx->pos;
	if (lx->pos >= n) {
		t->type = PDF_T_EOF;
		return;
	}
	c = p[lx->pos];
	switch (c) {
	case '/':
		lx->pos++;
		t->start = lx->pos;
		while (lx->pos < n && pdf_regular(p[lx->pos]))
			lx->pos++;
		t->type = PDF_T_NAME;
		t->len = lx->pos - t->start;
		return;
	case '(':
		lx->pos++;
		lex_string(lx, t);
		return;
	case '<':
		if (lx->pos + 1 < n && p[lx->pos + 1] == '<') {
			lx->pos += 2;
			t->type = PDF_T_DICT_OPEN;
			return;
		}
		lx->pos++;
		t->type = PDF_T_HEXSTRING;
		t->start = lx->pos;
		while (lx->pos < n && p[lx->pos] != '>')
			lx->pos++;
		t->len = lx->pos - t->start;
		if (lx->pos < n)
			lx->pos++;
		return;
	case '>':
		if (lx->pos + 1 < n && p[lx->pos + 1] == '>') {
			lx->pos += 2;
			t->type = PDF_T_DICT_CLOSE;
			return;
		}
		break;
	case '[':
		lx->pos++;
		t->type = PDF_T_ARRAY_OPEN;
		return;
	case ']':
		lx->pos++;
		t->type = PDF_T_ARRAY_CLOSE;
		return;
	default: break;
	}
	if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
		lex_number(lx, t);
		return;
	}
	if (pdf_delim(c)) { /* { } ) > */
		lx->pos++;
		t->type = PDF_T_OTHER;
		t->len = 1;
		return;
	}
	while (lx->pos < n && pdf_regular(p[lx->pos]))
		lx->pos++;
	t->type = PDF_T_KEYWORD;
	t->len = lx->pos - t->start;
}

int pdf_lex_is(const struct pdf_lex *lx, const struct pdf_token *t,
	       const char *kw)
{
	size_t k = strlen(kw);

	return t->type == PDF_T_KEYWORD && t->len == k &&
	       memcmp(lx->s.ptr + t->start, kw, k) == 0;
}

size_t pdf_lex_name(const struct pdf_lex *lx, const struct pdf_token *t,
		    char out[PDF_NAME_MAX])
{
	const uint8_t *p = lx->s.ptr + t->start;
	size_t o = 0;

	for (size_t i = 0; i < t->len && o < PDF_NAME_MAX - 1; i++) {
		int hi, lo;
		if (p[i] == '#' && i + 2 < t->len &&
		    (hi = pdf_hexval(p[i + 1])) >= 0 &&
		    (lo = pdf_hexval(p[i + 2])) >= 0) {
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			out[o++] = (char)p[i];
		}
	}
	out[o] = '\0';
	return o;
}

static size_t hex_string(const uint8_t *p, size_t len, unsigned char *out,
			 size_t cap)
{
	size_t o = 0;
	int hi = -1;

	for (size_t i = 0; i < len && o < cap; i++) {
		int v = pdf_hexval(p[i]);
		if (v < 0)
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			out[o++] = (unsigned char)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0 && o < cap)
		out[o++] = (unsigned char)(hi << 4);
	return o;
}

size_t pdf_lex_string(const struct pdf_lex *lx, const struct pdf_token *t,
		      unsigned char *out, size_t cap)
{
	const uint8_t *p = lx->s.ptr + t->start;
	size_t o = 0;

	if (t->type == PDF_T_HEXSTRING)
		return hex_string(p, t->len, out, cap);
	if (t->type != PDF_T_STRING)
		return 0;
	for (size_t i = 0; i < t->len && o < cap; i++) {
		uint8_t c = p[i];
		if (c != '\\' || i + 1 >= t->len) {
			out[o++] = c;
			continue;
		}
		c = p[++i];
		switch (c) {
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case '\r':
			if (i + 1 < t->len && p[i + 1] == '\n')
				i++;
			break;
		case '\n': break;
		default:
			if (c >= '0' && c <= '7') {
				unsigned v = c - '0';
				for (int k = 0;
				     k < 2 && i + 1 < t->len &&
				     p[i + 1] >= '0' && p[i + 1] <= '7';
				     k++)
					v = v * 8 + (p[++i] - '0');
				out[o++] = (unsigned char)v;
			} else {
				out[o++] = c;
			}
		}
	}
	return o;
}
