#include "uudecode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "member.h"

/* The line at off: [off, *eol) without its CR LF; *next after it. */
static void line_at(struct span t, size_t off, size_t *eol, size_t *next)
{
	const uint8_t *nl = memchr(t.ptr + off, '\n', t.len - off);
	size_t e = nl ? (size_t)(nl - t.ptr) : t.len;

	*next = nl ? e + 1 : t.len;
	if (e > off && t.ptr[e - 1] == '\r')
		e--;
	*eol = e;
}

static int line_is(struct span t, size_t off, size_t eol, const char *s)
{
	size_t n = strlen(s);

	return eol - off >= n && memcmp(t.ptr + off, s, n) == 0;
}

static void copy_name(char *out, const uint8_t *p, size_t len)
{
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	if (len >= UUDECODE_NAME_MAX)
		len = UUDECODE_NAME_MAX - 1;
	memcpy(out, p, len);
	out[len] = '\0';
}

/* "begin 644 name": 1 and the name, else 0. */
static int uu_begin(struct span t, size_t off, size_t eol,
		    struct uudecode_block *b)
{
	size_t i = off + 6, digits = 0;

	if (!line_is(t, off, eol, "begin "))
		return 0;
	while (i < eol && t.ptr[i] >= '0' && t.ptr[i] <= '7') {
		i++;
		digits++;
	}
	if (digits < 3 || digits > 4 || i >= eol || t.ptr[i] != ' ')
		return 0;
	copy_name(b->name, t.ptr + i + 1, eol - i - 1);
	return 1;
}

/* "=ybegin ... name=x": 1 and the name, else 0. */
static int y_begin(struct span t, size_t off, size_t eol,
		   struct uudecode_block *b)
{
	const uint8_t *n;

	if (!line_is(t, off, eol, "=ybegin "))
		return 0;
	n = memmem(t.ptr + off, eol - off, " name=", 6);
	if (!n)
		return 0;
	n += 6;
	copy_name(b->name, n, (size_t)(t.ptr + eol - n));
	return 1;
}

/* Whether a line is uuencoded data (characters from ' ' to '`'). */
static int uu_line(struct span t, size_t off, size_t eol)
{
	if (eol == off)
		return 0;
	for (size_t i = off; i < eol; i++)
		if (t.ptr[i] < ' ' || t.ptr[i] > '`')
			return 0;
	return 1;
}

int uudecode_next(struct span text, size_t *off, struct uudecode_block *b)
{
	size_t pos = *off;

	memset(b, 0, sizeof(*b));
	while (pos < text.len) {
		size_t eol, next, start;
		line_at(text, pos, &eol, &next);
		if (uu_begin(text, pos, eol, b)) {
			b->kind = UUDECODE_UU;
		} else if (y_begin(text, pos, eol, b)) {
			b->kind = UUDECODE_YENC;
		} else {
			pos = next;
			continue;
		}
		start = pos = next;
		while (pos < text.len) {
			line_at(text, pos, &eol, &next);
			if (b->kind == UUDECODE_UU && eol - pos == 3 &&
			    line_is(text, pos, eol, "end")) {
				b->ended = 1;
				break;
			}
			if (b->kind == UUDECODE_YENC &&
			    line_is(text, pos, eol, "=yend")) {
				b->ended = 1;
				break;
			}
			if (b->kind == UUDECODE_UU && !uu_line(text, pos, eol))
				break;
			pos = next;
		}
		b->data = span_make(text.ptr + start, pos - start);
		*off = b->ended ? next : pos;
		return 1;
	}
	*off = text.len;
	return 0;
}

static size_t uu_lines(struct span d, uint8_t *out, size_t cap)
{
	size_t o = 0, pos = 0;

	while (pos < d.len && o < cap) {
		size_t eol, next, n, i;
		line_at(d, pos, &eol, &next);
		if (eol > pos) {
			n = (size_t)((d.ptr[pos] - ' ') & 0x3f);
			for (i = pos + 1; n && o < cap; i += 4) {
				uint8_t c[4];
				uint32_t v;
				for (int k = 0; k < 4; k++)
					c[k] = i + (size_t)k < eol
						   ? (uint8_t)((d.ptr[i + k] -
								' ') &
							       0x3f)
						   : 0;
				v = (uint32_t)c[0] << 18 |
				    (uint32_t)c[1] << 12 | (uint32_t)c[2] << 6 |
				    c[3];
				for (int k = 2; k >= 0 && n && o < cap; k--) {
					out[o++] = (uint8_t)(v >> (8 * k));
					n--;
				}
				if (i >= eol)
					break;
			}
		}
		pos = next;
	}
	return o;
}

static size_t y_lines(struct span d, uint8_t *out, size_t cap)
{
	size_t o = 0, pos = 0;

	/* "=ypart begin=.. end=.." may follow "=ybegin" */
	if (d.len >= 7 && memcmp(d.ptr, "=ypart ", 7) == 0) {
		const uint8_t *nl = memchr(d.ptr, '\n', d.len);
		pos = nl ? (size_t)(nl - d.ptr) + 1 : d.len;
	}
	for (; pos < d.len && o < cap; pos++) {
		uint8_t c = d.ptr[pos];
		if (c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			if (++pos >= d.len)
				break;
			c = (uint8_t)(d.ptr[pos] - 64);
		}
		out[o++] = (uint8_t)(c - 42);
	}
	return o;
}

size_t uudecode_block(const struct uudecode_block *b, uint8_t *out, size_t cap)
{
	return b->kind == UUDECODE_YENC ? y_lines(b->data, out, cap)
					: uu_lines(b->data, out, cap);
}

int uudecode_analyze(struct scan_ctx *ctx, const struct part_ctx *part)
{
	const struct scan_limits *l = ctx->limits;
	struct member_limits ml;
	struct uudecode_block b;
	size_t off = 0;
	unsigned n = 0;

	/* text, or what the message declares text (yEnc is 8-bit) */
	if (part->type != FT_TEXT &&
	    (!part->declared || strncmp(part->declared, "text/", 5) != 0))
		return 0;
	member_limits_init(&ml, ctx, part);
	while (n < UUDECODE_MAX_BLOCKS &&
	       uudecode_next(part->content, &off, &b)) {
		size_t cap = b.data.len, len, granted;
		char fallback[32];
		const char *name = b.name;
		uint8_t *buf;
		int cut = !b.ended;

		if (!b.data.len)
			continue; /* "begin 100 days" in prose */
		n++;
		if (!name[0]) {
			snprintf(fallback, sizeof(fallback), "%s%u",
				 b.kind == UUDECODE_YENC ? "yenc" : "uuencoded",
				 n);
			name = fallback;
		}
		if (ctx->nesting >= l->nesting_depth) {
			scan_finding(ctx, "archive.depth_exceeded", part->path,
				     "nesting over %u", l->nesting_depth);
			break;
		}
		if (member_next(&ml, n))
			break;
		if (cap > l->archive_member_bytes)
			cap = l->archive_member_bytes;
		buf = malloc(cap ? cap : 1);
		if (!buf)
			return -1;
		len = uudecode_block(&b, buf, cap);
		if (len == cap && b.data.len > l->archive_member_bytes) {
			cut = 1;
			scan_finding(ctx, "scan.limit", part->path,
				     "%s: decoded over %zu bytes", name, cap);
		}
		granted = scan_budget_take(ctx, len);
		if (granted < len) {
			cut = 1;
			scan_finding(ctx, "scan.limit", part->path,
				     "%s: decoded bytes over the budget", name);
		}
		dispatch_child(ctx, part, name, span_make(buf, granted), cut);
		free(buf);
	}
	return 0;
}
