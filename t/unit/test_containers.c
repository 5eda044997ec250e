/*
 * test_containers - the containers a message hides files in that are not
 * archives: parser/tnef (winmail.dat: attributes, MAPI properties, names
 * from PR_ATTACH_LONG_FILENAME in UTF-16, attAttachTitle, data from
 * PR_ATTACH_DATA_OBJ, truncation, not-TNEF) and parser/uudecode (uuencoded
 * and yEnc blocks in text: names, decoding against known bytes, escapes,
 * a missing end, prose that only looks like a begin line, and the child
 * parts the analyzers add).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../parser/tnef.h"
#include "../../parser/uudecode.h"

struct buf {
	uint8_t b[4096];
	size_t n;
};

static void put(struct buf *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof(b->b));
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void put32(struct buf *b, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			(uint8_t)(v >> 24)};
	put(b, x, 4);
}

static void put16(struct buf *b, uint16_t v)
{
	uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	put(b, x, 2);
}

static void attr(struct buf *b, uint8_t level, uint32_t id, const void *data,
		 size_t len)
{
	put(b, &level, 1);
	put32(b, id);
	put32(b, (uint32_t)len);
	put(b, data, len);
	put16(b, 0xbeef); /* a wrong checksum: ignored, as Outlook does */
}

static void tnef_start(struct buf *b)
{
	b->n = 0;
	put32(b, 0x223e9f78);
	put16(b, 1);
	attr(b, 1, 0x00089006, "\0\0\1\0", 4);
}

struct seen {
	int n;
	char name[4][256];
	size_t len[4];
	uint8_t first[4];
	int truncated[4];
};

static int collect(void *arg, const struct tnef_attachment *a)
{
	struct seen *s = arg;

	if (s->n < 4) {
		strcpy(s->name[s->n], a->name);
		s->len[s->n] = a->has_data ? a->data.len : (size_t)-1;
		s->first[s->n] = a->data.len ? a->data.ptr[0] : 0;
		s->truncated[s->n] = a->truncated;
	}
	s->n++;
	return 0;
}

static void test_tnef_attachments(void **state)
{
	static struct buf b, props;
	struct seen s = {0};
	/* "請求書.exe" in UTF-16LE, NUL-terminated */
	static const uint8_t jp[] = {0xcb, 0x8a, 0x42, 0x6c, 0xf8, 0x66,
				     '.',  0,	 'e',  0,    'x',  0,
				     'e',  0,	 0,    0};

	(void)state;
	tnef_start(&b);
	/* one: title and long name; the long name wins */
	attr(&b, 2, 0x00069002, "\1\0\xff\xff\xff\xff\0\0\0\0\0\0\0\0", 14);
	attr(&b, 2, 0x00018010, "SEIKYU~1.EXE", 13);
	attr(&b, 2, 0x0006800f, "MZ\x90", 3);
	props.n = 0;
	put32(&props, 2);
	put16(&props, 0x0003); /* PT_LONG 0x0e21, skipped */
	put16(&props, 0x0e21);
	put32(&props, 7);
	put16(&props, 0x001f);
	put16(&props, 0x3707);
	put32(&props, 1);
	put32(&props, sizeof(jp));
	put(&props, jp, sizeof(jp));
	attr(&b, 2, 0x00069005, props.b, props.n);
	/* two: only a title; its bytes in PR_ATTACH_DATA_OBJ (binary) */
	attr(&b, 2, 0x00069002, "\1\0\xff\xff\xff\xff\0\0\0\0\0\0\0\0", 14);
	attr(&b, 2, 0x00018010, "note.txt", 9);
	props.n = 0;
	put32(&props, 1);
	put16(&props, 0x0102);
	put16(&props, 0x3701);
	put32(&props, 1);
	put32(&props, 5);
	put(&props, "hello\0\0\0", 8);
	attr(&b, 2, 0x00069005, props.b, props.n);
	/* three: cut short in its data */
	attr(&b, 2, 0x00069002, "\1\0\xff\xff\xff\xff\0\0\0\0\0\0\0\0", 14);
	put(&b, "\2\x0f\x80\x06\0\x00\x10\0\0PK", 11);

	assert_int_equal(tnef_walk(span_make(b.b, b.n), collect, &s), 3);
	assert_string_equal(s.name[0], "請求書.exe");
	assert_int_equal(s.len[0], 3);
	assert_int_equal(s.first[0], 'M');
	assert_string_equal(s.name[1], "note.txt");
	assert_int_equal(s.len[1], 5);
	assert_int_equal(s.first[1], 'h');
	assert_string_equal(s.name[2], "");
	assert_int_equal(s.len[2], 2);
	assert_int_equal(s.truncated[2], 1);
	assert_int_equal(s.truncated[0], 0);
}

static void test_tnef_not_tnef(void **state)
{
	struct seen s = {0};

	(void)state;
	assert_int_equal(tnef_walk(span_str("not tnef at all"), collect, &s),
			 -1);
	assert_int_equal(tnef_walk(span_make("\x78\x9f\x3e", 3), collect, &s),
			 -1);
	/* a signature and nothing else: no attachment */
	assert_int_equal(
	    tnef_walk(span_make("\x78\x9f\x3e\x22\1\0", 6), collect, &s), 0);
	/* a MAPI block declaring four billion properties */
	{
		static struct buf b;
		tnef_start(&b);
		attr(&b, 2, 0x00069002, "\1\0", 2);
		attr(&b, 2, 0x00069005, "\xff\xff\xff\xff\x1f\0\x07\x37", 8);
		assert_int_equal(tnef_walk(span_make(b.b, b.n), collect, &s),
				 1);
	}
}

static const char uu_body[] =
    "Hello,\r\n\r\nbegin 100 days of summer\r\nwe will go\r\n\r\n"
    "begin 644 invoice.exe\r\n"
    "+35I0:&5L;&\\@=V\\ \r\n" /* "MZPhello wo" */
    "`\r\nend\r\nbye\r\n";

static void test_uu_blocks(void **state)
{
	struct uudecode_block b;
	size_t off = 0;
	uint8_t out[64];
	size_t n;

	(void)state;
	/* "begin 100 days" has no uuencoded line after it: empty */
	assert_int_equal(uudecode_next(span_str(uu_body), &off, &b), 1);
	assert_string_equal(b.name, "days of summer");
	assert_int_equal(b.data.len, 0);
	assert_int_equal(uudecode_next(span_str(uu_body), &off, &b), 1);
	assert_int_equal(b.kind, UUDECODE_UU);
	assert_string_equal(b.name, "invoice.exe");
	assert_int_equal(b.ended, 1);
	n = uudecode_block(&b, out, sizeof(out));
	assert_int_equal(n, 11);
	assert_memory_equal(out, "MZPhello wo", 11);
	assert_int_equal(uudecode_next(span_str(uu_body), &off, &b), 0);
}

static void test_yenc(void **state)
{
	/* 0xd6+42 = 0 and '='-42 = 0x13: both escaped */
	const char y[] = "x\n=ybegin line=128 size=4 name=a b.exe\n"
			 "=ypart begin=1 end=4\n"
			 "\x77\x84=@=}\n=yend size=4\n";
	struct uudecode_block b;
	size_t off = 0;
	uint8_t out[16];

	(void)state;
	assert_int_equal(uudecode_next(span_make(y, sizeof(y) - 1), &off, &b),
			 1);
	assert_int_equal(b.kind, UUDECODE_YENC);
	assert_string_equal(b.name, "a b.exe");
	assert_int_equal(b.ended, 1);
	assert_int_equal(uudecode_block(&b, out, sizeof(out)), 4);
	assert_memory_equal(out, "MZ\xd6\x13", 4);
	/* the cap holds */
	assert_int_equal(uudecode_block(&b, out, 2), 2);
}

static void test_uu_unterminated_and_analyze(void **state)
{
	static const struct scan_limits defaults = SCAN_LIMITS_DEFAULT;
	const char t[] = "begin 644 run.exe\n+35I0:&5L;&\\@=V\\ \n";
	struct scan_limits limits = defaults;
	struct report r;
	struct scan_ctx ctx;
	struct part_path path = {0};
	struct part_ctx part;
	struct uudecode_block b;
	size_t off = 0;

	(void)state;
	assert_int_equal(uudecode_next(span_str(t), &off, &b), 1);
	assert_int_equal(b.ended, 0);
	assert_int_equal(off, strlen(t));

	memset(&ctx, 0, sizeof(ctx));
	memset(&part, 0, sizeof(part));
	report_init(&r, 100);
	ctx.limits = &limits;
	ctx.report = &r;
	ctx.budget_left = 1000;
	assert_int_equal(path_push(&path, "1", 1), 0);
	part.path = &path;
	part.type = FT_TEXT;
	part.content = span_str(t);
	assert_int_equal(uudecode_analyze(&ctx, &part), 0);
	assert_int_equal(r.nparts, 1);
	assert_string_equal(r.parts[0].path.elem[1], "run.exe");
	assert_int_equal(r.parts[0].size, 11);
	assert_int_equal(ctx.budget_left, 1000 - 11);
	report_free(&r);

	/* the budget binds */
	report_init(&r, 100);
	ctx.budget_left = 4;
	assert_int_equal(uudecode_analyze(&ctx, &part), 0);
	assert_int_equal(r.parts[0].size, 4);
	assert_true(report_has_finding(&r, "scan.limit"));
	report_free(&r);
	path_clear(&path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tnef_attachments),
	    cmocka_unit_test(test_tnef_not_tnef),
	    cmocka_unit_test(test_uu_blocks),
	    cmocka_unit_test(test_yenc),
	    cmocka_unit_test(test_uu_unterminated_and_analyze),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
