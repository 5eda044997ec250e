/*
 * test_office - parser/cfb, ovba, vba, vbaclass, xlm, ooxml and the office
 * analyzer: the MS-OVBA specification's examples (3.2.1, 3.2.2) and bad
 * chunks; hostile compound files built here (truncated, FAT and DIFAT
 * loops, sectors out of range, huge sizes, directory cycles, an empty
 * budget); the dir stream's PROJECTVERSION quirk; every document of
 * TESTDATA/office (module counts and decompressed lengths as printed by
 * the independent reader t/tools/vba_reference.py, PowerPoint 97's
 * project inflated here with zlib, the findings); the
 * BIFF12 record walk of an .xlsb's workbook.bin (hand-made records and
 * t/tools/make_xlsb.py's packages); the RTF \objdata decoding and objects
 * (t/fuzz/corpus/rtf/objects.rtf: a Package holding a program, an Equation.3
 * object with a dropped nibble, a workbook after \bin); the SpamAssassin
 * OLEVBMacro mails through scan_message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>
#include <zlib.h>

#include <cmocka.h>

#include "../../parser/cfb.h"
#include "../../parser/filetype.h"
#include "../../parser/office.h"
#include "../../parser/ooxml.h"
#include "../../parser/ovba.h"
#include "../../parser/rtf.h"
#include "../../parser/scan.h"
#include "../../parser/vba.h"
#include "../../parser/vbaclass.h"
#include "../../parser/xlsb.h"
#include "testutil.h"

struct tctx {
	struct scan_limits limits;
	struct report report;
	struct scan_ctx ctx;
	struct part_path path;
};

static void tctx_init(struct tctx *t, size_t budget)
{
	static const struct scan_limits defaults = SCAN_LIMITS_DEFAULT;

	memset(t, 0, sizeof(*t));
	t->limits = defaults;
	t->limits.decoded_bytes = budget;
	report_init(&t->report, t->limits.findings);
	t->ctx.limits = &t->limits;
	t->ctx.report = &t->report;
	t->ctx.budget_left = budget;
}

static void tctx_free(struct tctx *t)
{
	report_free(&t->report);
}

/* ---- OVBA ---- */

static int ovba_hex(struct tctx *t, const char *hex, uint8_t **out, size_t *len)
{
	uint8_t in[256];
	size_t n = 0;
	unsigned v;

	for (const char *p = hex; *p;) {
		if (*p == ' ') {
			p++;
			continue;
		}
		assert_int_equal(sscanf(p, "%2x", &v), 1);
		in[n++] = (uint8_t)v;
		p += 2;
	}
	uint8_t *exact = malloc(n);
	memcpy(exact, in, n);
	int rc = ovba_decompress(&t->ctx, span_make(exact, n), out, len);
	free(exact);
	return rc;
}

static void expect_ovba(const char *hex, const char *want)
{
	struct tctx t;
	uint8_t *out;
	size_t len;

	tctx_init(&t, 1 << 20);
	assert_int_equal(ovba_hex(&t, hex, &out, &len), OVBA_OK);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(out, want, len);
	assert_int_equal(t.ctx.budget_left, (1 << 20) - len);
	free(out);
	tctx_free(&t);
}

static void test_ovba_spec_examples(void **state)
{
	/* MS-OVBA 3.2.1 No Compression Example */
	expect_ovba("01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E "
		    "6F 70 00 71 72 73 74 75 76 2E",
		    "abcdefghijklmnopqrstuv.");
	/* MS-OVBA 3.2.2 Normal Compression Example */
	expect_ovba("01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 "
		    "69 6A 01 38 08 61 6B 6C 00 20 6D 6E 6F 70 06 71 02 70 04 "
		    "00 72 73 74 75 76 10 77 78 79 7A 00 2C",
		    "#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa");
	/* one literal, one copy token of length 72 at offset 1 */
	expect_ovba("01 03 B0 02 61 45 00", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
					    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
					    "aaaaaa");
}

static void test_ovba_bad_chunks(void **state)
{
	struct tctx t;
	uint8_t *out, raw[1 + 2 + 4096 + 2 + 4];
	size_t len;

	tctx_init(&t, 1 << 20);
	/* signature byte */
	assert_int_equal(ovba_hex(&t, "02 19 B0 00 61", &out, &len),
			 OVBA_E_FORMAT);
	/* chunk signature bits not 0b011 */
	assert_int_equal(ovba_hex(&t, "01 19 A0 00 61", &out, &len),
			 OVBA_E_FORMAT);
	/* a copy token first: its offset reaches before the chunk */
	assert_int_equal(ovba_hex(&t, "01 02 B0 01 00 00", &out, &len),
			 OVBA_E_FORMAT);
	/* a token that would grow the chunk past 4096 bytes */
	assert_int_equal(ovba_hex(&t, "01 03 B0 02 61 FF FF", &out, &len),
			 OVBA_E_FORMAT);
	/* a copy token cut in half */
	assert_int_equal(ovba_hex(&t, "01 02 B0 02 61 45", &out, &len),
			 OVBA_E_FORMAT);
	/* a raw chunk of 4096 bytes, then a short compressed one */
	raw[0] = 0x01;
	raw[1] = 0xFF;
	raw[2] = 0x3F;
	memset(raw + 3, 'x', 4096);
	memcpy(raw + 3 + 4096, "\x03\xB0\x00yz", 5);
	assert_int_equal(ovba_decompress(&t.ctx,
					 span_make(raw, sizeof(raw) - 1), &out,
					 &len),
			 OVBA_OK);
	assert_int_equal(len, 4098);
	assert_memory_equal(out + 4096, "yz", 2);
	free(out);
	tctx_free(&t);
	/* the budget */
	tctx_init(&t, 10);
	assert_int_equal(ovba_hex(&t,
				  "01 19 B0 00 61 62 63 64 65 66 67 68 00 "
				  "69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 "
				  "75 76 2E",
				  &out, &len),
			 OVBA_E_BUDGET);
	tctx_free(&t);
}

/* ---- hostile compound files ---- */

/*
 * A version 3 file: sector 0 the FAT, 1 the directory (root and one
 * stream "Data"), 2..9 the 4096 bytes of Data, 10 a spare sector.
 */
#define CFB_T_SECTORS 11
#define CFB_T_LEN     (512 * (CFB_T_SECTORS + 1))

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint8_t *cfb_t_sector(uint8_t *f, uint32_t id)
{
	return f + 512 * (id + 1);
}

static void cfb_t_entry(uint8_t *e, const char *name, uint8_t type,
			uint32_t child, uint32_t start, uint32_t size)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < n; i++)
		e[2 * i] = (uint8_t)name[i];
	e[64] = (uint8_t)(2 * n + 2);
	e[66] = type;
	put32(e + 68, CFB_NONE);
	put32(e + 72, CFB_NONE);
	put32(e + 76, child);
	put32(e + 116, start);
	put32(e + 120, size);
}

static uint8_t *cfb_t_build(void)
{
	uint8_t *f = calloc(1, CFB_T_LEN), *fat, *dir;
	static const uint8_t sig[8] = {0xD0, 0xCF, 0x11, 0xE0,
				       0xA1, 0xB1, 0x1A, 0xE1};

	memcpy(f, sig, 8);
	f[24] = 0x3E;
	f[26] = 3;
	f[28] = 0xFE;
	f[29] = 0xFF;
	f[30] = 9;
	f[32] = 6;
	put32(f + 44, 1);
	put32(f + 48, 1);
	put32(f + 56, 4096);
	put32(f + 60, 0xFFFFFFFE);
	put32(f + 68, 0xFFFFFFFE);
	memset(f + 76, 0xFF, 109 * 4);
	put32(f + 76, 0);
	fat = cfb_t_sector(f, 0);
	memset(fat, 0xFF, 512);
	put32(fat, 0xFFFFFFFD);
	put32(fat + 4, 0xFFFFFFFE);
	for (uint32_t i = 2; i < 9; i++)
		put32(fat + 4 * i, i + 1);
	put32(fat + 4 * 9, 0xFFFFFFFE);
	dir = cfb_t_sector(f, 1);
	cfb_t_entry(dir, "Root Entry", CFB_ROOT, 1, 0xFFFFFFFE, 0);
	cfb_t_entry(dir + 128, "Data", CFB_STREAM, CFB_NONE, 2, 4096);
	for (uint32_t i = 0; i < 4096; i++)
		cfb_t_sector(f, 2)[i] = (uint8_t)(i * 7);
	return f;
}

static int cfb_t_read(uint8_t *f, size_t len, size_t budget, size_t *outlen)
{
	struct tctx t;
	struct cfb c;
	uint8_t *buf = NULL;
	uint32_t id;
	int rc;

	tctx_init(&t, budget);
	*outlen = 0;
	rc = cfb_open(&c, span_make(f, len), &t.ctx);
	if (rc == CFB_OK) {
		rc = cfb_child(&c, 0, "data", &id) == 0
			 ? cfb_read(&c, id, &buf, outlen)
			 : CFB_E_FORMAT;
		free(buf);
		cfb_close(&c);
	}
	tctx_free(&t);
	free(f);
	return rc;
}

static void test_cfb_valid(void **state)
{
	uint8_t *f = cfb_t_build();
	struct tctx t;
	struct cfb c;
	uint8_t *buf;
	size_t len;
	uint32_t id;

	tctx_init(&t, 1 << 20);
	assert_int_equal(cfb_open(&c, span_make(f, CFB_T_LEN), &t.ctx), 0);
	assert_int_equal(cfb_child(&c, 0, "DATA", &id), 0);
	assert_int_equal(cfb_read(&c, id, &buf, &len), CFB_OK);
	assert_int_equal(len, 4096);
	assert_memory_equal(buf, cfb_t_sector(f, 2), 4096);
	assert_int_equal(t.ctx.budget_left, (1 << 20) - 4096);
	free(buf);
	cfb_close(&c);
	tctx_free(&t);
	free(f);
}

static void test_cfb_truncated(void **state)
{
	size_t len;

	assert_int_equal(cfb_t_read(cfb_t_build(), 300, 1 << 20, &len),
			 CFB_E_FORMAT);
	assert_int_equal(cfb_t_read(cfb_t_build(), 512, 1 << 20, &len),
			 CFB_E_FORMAT);
	/* the directory is there, the stream's sectors are not */
	assert_int_equal(cfb_t_read(cfb_t_build(), 512 * 5, 1 << 20, &len),
			 CFB_E_FORMAT);
	/* the last sector cut short is zero-filled */
	assert_int_equal(
	    cfb_t_read(cfb_t_build(), 512 * 10 + 100, 1 << 20, &len), CFB_OK);
	assert_int_equal(len, 4096);
}

/* The test file with the 32-bit value at off replaced: cfb_t_read's rc. */
static int cfb_t_patched(size_t off, uint32_t value)
{
	uint8_t *f = cfb_t_build();
	size_t len;

	put32(f + off, value);
	return cfb_t_read(f, CFB_T_LEN, 1 << 20, &len);
}

#define CFB_T_SECTOR_OFF(id) (512 * ((size_t)(id) + 1))

static void test_cfb_fat_loop(void **state)
{
	/* the stream's chain: sector 6 leads back to 3 */
	assert_int_equal(cfb_t_patched(CFB_T_SECTOR_OFF(0) + 4 * 6, 3),
			 CFB_E_FORMAT);
	/* the directory chain loops on itself */
	assert_int_equal(cfb_t_patched(CFB_T_SECTOR_OFF(0) + 4, 1),
			 CFB_E_FORMAT);
}

static void test_cfb_out_of_range(void **state)
{
	uint8_t *f = cfb_t_build();
	size_t len;

	assert_int_equal(cfb_t_patched(CFB_T_SECTOR_OFF(0) + 4 * 4, 100000),
			 CFB_E_FORMAT);
	/* first directory sector */
	assert_int_equal(cfb_t_patched(48, 5000), CFB_E_FORMAT);
	/* the only FAT sector */
	assert_int_equal(cfb_t_patched(76, 0xFFFFF), CFB_E_FORMAT);
	f[30] = 20; /* sector shift */
	assert_int_equal(cfb_t_read(f, CFB_T_LEN, 1 << 20, &len), CFB_E_FORMAT);
}

static void test_cfb_huge_sizes(void **state)
{
	uint8_t *f = cfb_t_build();
	size_t len;
	clock_t start = clock();

	put32(cfb_t_sector(f, 1) + 128 + 120, 0xFFFFFFF0u);
	assert_int_equal(cfb_t_read(f, CFB_T_LEN, (size_t)1 << 40, &len),
			 CFB_E_FORMAT);
	/* 109 header DIFAT entries naming the same sector: more FAT
	 * sectors than the file has */
	f = cfb_t_build();
	for (int i = 0; i < 109; i++)
		put32(f + 76 + 4 * i, 0);
	put32(f + 44, 0xFFFFFFFF);
	assert_int_equal(cfb_t_read(f, CFB_T_LEN, 1 << 20, &len), CFB_E_FORMAT);
	assert_true(clock() - start < CLOCKS_PER_SEC);
}

static void test_cfb_difat_loop(void **state)
{
	uint8_t *f = cfb_t_build();
	size_t len;

	/* sector 10 is a DIFAT sector whose next pointer is itself */
	memset(cfb_t_sector(f, 10), 0xFF, 512);
	put32(cfb_t_sector(f, 10) + 508, 10);
	put32(f + 68, 10);
	put32(f + 72, 1);
	assert_int_equal(cfb_t_read(f, CFB_T_LEN, 1 << 20, &len), CFB_E_FORMAT);
}

static void test_cfb_directory_cycle(void **state)
{
	uint8_t *f = cfb_t_build(), *dir = cfb_t_sector(f, 1);
	struct tctx t;
	struct cfb c;
	uint32_t id;

	/* Data becomes a storage whose child is the root, siblings loop */
	dir[128 + 66] = CFB_STORAGE;
	put32(dir + 128 + 76, 0);
	put32(dir + 128 + 68, 1);
	put32(dir + 128 + 72, 1);
	tctx_init(&t, 1 << 20);
	assert_int_equal(cfb_open(&c, span_make(f, CFB_T_LEN), &t.ctx), 0);
	assert_int_equal(cfb_child(&c, 0, "Data", &id), 0);
	assert_int_equal(id, 1);
	assert_int_equal(c.dir[0].parent, CFB_NONE);
	cfb_close(&c);
	tctx_free(&t);
	free(f);
}

static void test_cfb_budget(void **state)
{
	size_t len;

	assert_int_equal(cfb_t_read(cfb_t_build(), CFB_T_LEN, 4000, &len),
			 CFB_E_BUDGET);
}

/* ---- dir stream ---- */

static void test_vba_dir_version_quirk(void **state)
{
	static const uint8_t dir[] = {
	    0x01, 0x00, 4, 0, 0, 0,    1,    0,	   0,	0, /* SYSKIND */
	    0x03, 0x00, 2, 0, 0, 0,    0xE3, 0x04,	   /* CODEPAGE 1251 */
	    0x09, 0x00, 4, 0, 0, 0,    1,    2,	   3,	4, 5,	6, /* VERSION: 6
								      bytes */
	    0x0F, 0x00, 2, 0, 0, 0,    1,    0,			   /* MODULES */
	    0x19, 0x00, 3, 0, 0, 0,    'M',  'o',  'd', /* MODULENAME */
	    0x1A, 0x00, 3, 0, 0, 0,    'M',  'o',  'd', /* STREAMNAME */
	    0x32, 0x00, 6, 0, 0, 0,    'M',  0,	   'o', 0, 'd', 0, 0x31,
	    0x00, 4,	0, 0, 0, 0x10, 0x02, 0,	   0, /* OFFSET 528 */
	    0x2B, 0x00, 0, 0, 0, 0,		      /* TERMINATOR */
	    0x10, 0x00, 0, 0, 0, 0,		      /* end of dir */
	};
	struct vba_dir d;

	assert_int_equal(vba_dir_parse(span_make(dir, sizeof(dir)), &d), 0);
	assert_int_equal(d.codepage, 1251);
	assert_int_equal(d.nmodules, 1);
	assert_int_equal(d.modules[0].offset, 528);
	assert_int_equal(d.modules[0].name.len, 3);
	assert_int_equal(d.modules[0].stream_utf16.len, 6);
	vba_dir_free(&d);
	/* a record running past the stream */
	assert_int_equal(vba_dir_parse(span_make(dir, 45), &d), VBA_E_FORMAT);
	vba_dir_free(&d);
}

/* ---- real documents ---- */

struct module_want {
	const char *name;
	size_t len;
};

/* file itself, then the compound files of its ExOleObjStg records */
static size_t ppt_storages(uint8_t *file, size_t len, uint8_t **blobs,
			   size_t *lens, size_t max)
{
	struct tctx t;
	struct cfb c;
	uint8_t *s;
	size_t slen, n = 1, pos = 0;
	uint32_t id;

	blobs[0] = file;
	lens[0] = len;
	tctx_init(&t, 256u << 20);
	assert_int_equal(cfb_open(&c, span_make(file, len), &t.ctx), 0);
	if (cfb_child(&c, 0, "PowerPoint Document", &id) != 0 ||
	    cfb_read(&c, id, &s, &slen) != 0) {
		cfb_close(&c);
		tctx_free(&t);
		return 1;
	}
	while (pos + 8 <= slen && n < max) {
		unsigned vi = s[pos] | s[pos + 1] << 8;
		unsigned type = s[pos + 2] | s[pos + 3] << 8;
		uint32_t rlen = s[pos + 4] | s[pos + 5] << 8 |
				(uint32_t)s[pos + 6] << 16 |
				(uint32_t)s[pos + 7] << 24;
		if ((vi & 0xF) == 0xF) {
			pos += 8;
			continue;
		}
		if (type == 0x1011 && vi >> 4 == 1) {
			const uint8_t *body = s + pos + 8;
			uLongf out = body[0] | body[1] << 8 |
				     (uint32_t)body[2] << 16 |
				     (uint32_t)body[3] << 24;
			blobs[n] = malloc(out);
			assert_int_equal(
			    uncompress(blobs[n], &out, body + 4, rlen - 4),
			    Z_OK);
			lens[n++] = out;
		}
		pos += 8 + rlen;
	}
	free(s);
	cfb_close(&c);
	tctx_free(&t);
	return n;
}

/* The compound files of a document: itself (and what a PowerPoint file
 * stores inside), or its CFB zip members. */
static size_t load_cfbs(const char *rel, uint8_t **blobs, size_t *lens,
			size_t max)
{
	char path[1024];
	size_t len, n = 0;
	uint8_t *buf;
	zip_t *z;
	zip_source_t *src;

	snprintf(path, sizeof(path), "%s/office/%s", TESTDATA, rel);
	buf = test_read_file(path, &len);
	if (cfb_is_cfb(span_make(buf, len)))
		return ppt_storages(buf, len, blobs, lens, max);
	src = zip_source_buffer_create(buf, len, 0, NULL);
	z = zip_open_from_source(src, ZIP_RDONLY, NULL);
	assert_non_null(z);
	for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0) && n < max; i++) {
		zip_stat_t st;
		zip_file_t *zf;
		uint8_t *m;
		zip_stat_index(z, (zip_uint64_t)i, 0, &st);
		m = malloc(st.size + 1);
		zf = zip_fopen_index(z, (zip_uint64_t)i, 0);
		assert_int_equal(zip_fread(zf, m, st.size),
				 (zip_int64_t)st.size);
		zip_fclose(zf);
		if (cfb_is_cfb(span_make(m, st.size))) {
			blobs[n] = m;
			lens[n++] = st.size;
		} else {
			free(m);
		}
	}
	zip_discard(z);
	free(buf);
	return n;
}

/* Every VBA project of the document rel, read; returns how many. */
static size_t load_projects(const char *rel, struct vba_project *out,
			    size_t max)
{
	uint8_t *blobs[8];
	size_t lens[8], nblobs = load_cfbs(rel, blobs, lens, 8), found = 0;

	for (size_t b = 0; b < nblobs; b++) {
		struct tctx t;
		struct cfb c;
		uint32_t *ids;
		size_t n;
		tctx_init(&t, 256u << 20);
		assert_int_equal(
		    cfb_open(&c, span_make(blobs[b], lens[b]), &t.ctx), 0);
		assert_int_equal(vba_find_projects(&c, &ids, &n), 0);
		for (size_t i = 0; i < n && found < max; i++)
			assert_int_equal(
			    vba_project_read(&c, ids[i], &out[found++]), 0);
		free(ids);
		cfb_close(&c);
		tctx_free(&t);
		free(blobs[b]);
	}
	return found;
}

/* The one VBA project of rel has exactly the modules of want. */
static void expect_modules(const char *rel, const struct module_want *want,
			   size_t nwant)
{
	struct vba_project p[2];
	size_t found = load_projects(rel, p, 2);

	if (found != (nwant ? 1 : 0))
		fail_msg("%s: %zu VBA projects", rel, found);
	for (size_t i = 0; i < found; i++) {
		if (p[i].nmodules != nwant)
			fail_msg("%s: %zu modules, expected %zu", rel,
				 p[i].nmodules, nwant);
		for (size_t m = 0; m < nwant; m++) {
			const struct vba_module *mod = &p[i].modules[m];
			if (strcmp(mod->name, want[m].name) ||
			    mod->packed_len != want[m].len)
				fail_msg("%s: module %s of %zu bytes, expected "
					 "%s of %zu",
					 rel, mod->name, mod->packed_len,
					 want[m].name, want[m].len);
			assert_non_null(mod->source);
		}
		vba_project_free(&p[i]);
	}
}

#define EXPECT_MODULES(rel, ...)                                               \
	do {                                                                   \
		static const struct module_want w[] = {__VA_ARGS__};           \
		expect_modules(rel, w, sizeof(w) / sizeof(w[0]));              \
	} while (0)

static void test_vba_modules(void **state)
{
	EXPECT_MODULES("macro/SimpleMacro.doc", {"ThisDocument", 285},
		       {"Module1", 203});
	EXPECT_MODULES("macro/SimpleMacro.docm", {"ThisDocument", 285},
		       {"Module1", 203});
	EXPECT_MODULES("macro/60158.docm", {"ThisDocument", 285},
		       {"NewMacros", 716});
	EXPECT_MODULES("macro/SimpleMacro.xls", {"Module1", 311},
		       {"ThisWorkbook", 305}, {"Sheet1", 299}, {"Sheet2", 299},
		       {"Sheet3", 299});
	EXPECT_MODULES("macro/SimpleMacro.xlsm", {"Module1", 311},
		       {"ThisWorkbook", 305}, {"Sheet1", 299}, {"Sheet2", 299},
		       {"Sheet3", 299});
	EXPECT_MODULES("macro/SimpleMacro.pptm", {"Module1", 361});
	EXPECT_MODULES("macro/SimpleMacro.ppt", {"Module1", 361});
	EXPECT_MODULES("macro/SquareMacro.xls", {"ThisWorkbook", 324},
		       {"Sheet1", 318}, {"Sheet2", 318}, {"Sheet3", 318},
		       {"UserDefinedFunctions", 195});
	EXPECT_MODULES("macro/57181.xlsm", {"CCSInfo", 14347},
		       {"General", 1504}, {"Detailed_report", 12357},
		       {"Summary_report", 309}, {"Detailed_graph", 6393},
		       {"Summary_graph", 5197}, {"DieseArbeitsmappe", 1567},
		       {"Tabelle1", 301}, {"Tabelle2", 301}, {"Tabelle3", 301});
	EXPECT_MODULES("macro/mv-calculator-final-2-20-2013.xlsm",
		       {"ThisWorkbook", 3078}, {"Sheet1", 3106},
		       {"Module7", 3201}, {"Sheet13", 300}, {"Sheet26", 300},
		       {"Module1", 474311}, {"Module2", 712}, {"Sheet28", 300},
		       {"Module3", 3546}, {"Module9", 31}, {"Module4", 152},
		       {"Module5", 165}, {"Sheet4", 299}, {"Module8", 33},
		       {"Module6", 10857}, {"Sheet21", 300}, {"Sheet2", 299},
		       {"Sheet5", 299});
	EXPECT_MODULES("macro/libxlsxwriter-vbaProject.bin",
		       {"ThisWorkbook", 305}, {"Sheet1", 299}, {"Module1", 99},
		       {"ThisWorkbook1", 306}, {"Sheet2", 299});
	expect_modules("macro/HeaderWithMacros.doc", NULL, 0);
	expect_modules("macro/xlmmacro.xlsm", NULL, 0);
}

/* text without its "Attribute ..." lines, which the .vba dumps leave out */
static size_t strip_attributes(const char *text, size_t len, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) + 1 : len;
		if (strncmp(text + i, "Attribute ", 10) != 0) {
			memcpy(out + o, text + i, end - i);
			o += end - i;
		}
		i = end;
	}
	return o;
}

/* The source of module name in rel, Attribute lines aside, is file vba. */
static void expect_source(const char *rel, const char *name, const char *vba)
{
	struct vba_project p[2];
	size_t found = load_projects(rel, p, 2), tlen;
	char path[1024];
	uint8_t *text;
	int matched = 0;

	snprintf(path, sizeof(path), "%s/office/macro/%s", TESTDATA, vba);
	text = test_read_file(path, &tlen);
	assert_int_equal(found, 1);
	for (size_t m = 0; m < p[0].nmodules; m++) {
		const struct vba_module *mod = &p[0].modules[m];
		char *code;
		size_t clen;
		if (strcmp(mod->name, name) != 0)
			continue;
		code = malloc(mod->source_len + 1);
		clen = strip_attributes(mod->source, mod->source_len, code);
		assert_int_equal(clen, tlen);
		assert_memory_equal(code, text, tlen);
		free(code);
		matched = 1;
	}
	vba_project_free(&p[0]);
	free(text);
	assert_true(matched);
}

static void test_vba_source_text(void **state)
{
	expect_source("macro/SimpleMacro.doc", "Module1",
		      "SimpleMacro.document.vba");
	expect_source("macro/SimpleMacro.docm", "Module1",
		      "SimpleMacro.document.vba");
	expect_source("macro/SimpleMacro.xls", "Module1",
		      "SimpleMacro.spreadsheet.vba");
	expect_source("macro/SimpleMacro.xlsm", "Module1",
		      "SimpleMacro.spreadsheet.vba");
	expect_source("macro/SimpleMacro.pptm", "Module1",
		      "SimpleMacro.slideshow.vba");
	expect_source("macro/SimpleMacro.ppt", "Module1",
		      "SimpleMacro.slideshow.vba");
}

/* A file through the office analyzer (and what it dispatches). */
static void analyze_path(const char *path, size_t budget, struct tctx *t)
{
	size_t len;
	uint8_t *buf = test_read_file(path, &len);
	struct part_ctx part;

	tctx_init(t, budget);
	memset(&part, 0, sizeof(part));
	part.path = &t->path;
	part.content = span_make(buf, len);
	part.type = filetype_detect(part.content);
	assert_true(office_analyze(&t->ctx, &part) >= 0);
	free(buf);
}

/* A sample of TESTDATA/office. */
static void analyze_file(const char *rel, struct tctx *t)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/office/%s", TESTDATA, rel);
	analyze_path(path, 256u << 20, t);
}

/* A document of kensa's own corpus, with a budget. */
static void analyze_seed_budget(const char *rel, size_t budget, struct tctx *t)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/t/fuzz/corpus/%s", SRCDIR, rel);
	analyze_path(path, budget, t);
}

static void analyze_seed(const char *rel, struct tctx *t)
{
	analyze_seed_budget(rel, 1 << 20, t);
}

static int has_finding(const struct tctx *t, const char *id, const char *detail)
{
	for (size_t i = 0; i < t->report.nfindings; i++)
		if (strcmp(t->report.findings[i].id, id) == 0 &&
		    (!detail ||
		     strcmp(t->report.findings[i].detail, detail) == 0))
			return 1;
	return 0;
}

static int has_prefix(const struct tctx *t, const char *prefix)
{
	for (size_t i = 0; i < t->report.nfindings; i++)
		if (strncmp(t->report.findings[i].id, prefix, strlen(prefix)) ==
		    0)
			return 1;
	return 0;
}

static void test_office_findings(void **state)
{
	static const char *const clean[] = {"clean/sample.docx",
					    "clean/sample.xlsx",
					    "clean/simple.doc",
					    "clean/SampleSS.xls",
					    "clean/SimpleWithFormula.xls",
					    "macro/HeaderWithMacros.doc"};
	struct tctx t;

	analyze_file("macro/57181.xlsm", &t);
	assert_true(has_finding(&t, "office.vba.present", "VBA: 10 modules"));
	assert_true(has_finding(&t, "office.vba.autoexec",
				"Workbook_Open in DieseArbeitsmappe"));
	tctx_free(&t);
	analyze_file("macro/SimpleMacro.doc", &t);
	assert_true(
	    has_finding(&t, "office.vba.present", "Macros/VBA: 2 modules"));
	assert_false(has_finding(&t, "office.vba.autoexec", NULL));
	tctx_free(&t);
	analyze_file("macro/SimpleMacro.xls", &t);
	assert_true(has_finding(&t, "office.vba.present",
				"_VBA_PROJECT_CUR/VBA: 5 modules"));
	tctx_free(&t);
	analyze_file("macro/SimpleMacro.ppt", &t);
	assert_true(has_finding(&t, "office.vba.present", "VBA: 1 modules"));
	assert_int_equal(t.report.nparts, 1);
	assert_string_equal(t.report.parts[0].path.elem[0], "ExOleObjStg 1");
	tctx_free(&t);
	analyze_file("macro/xlmmacro.xlsm", &t);
	assert_true(has_finding(&t, "office.xlm.present", NULL));
	assert_false(has_prefix(&t, "office.vba."));
	tctx_free(&t);
	for (size_t i = 0; i < sizeof(clean) / sizeof(clean[0]); i++) {
		analyze_file(clean[i], &t);
		if (has_prefix(&t, "office.vba.") ||
		    has_prefix(&t, "office.xlm.") || has_prefix(&t, "scan."))
			fail_msg("%s: %s", clean[i], t.report.findings[0].id);
		tctx_free(&t);
	}
}

/* ---- classification and .rels ---- */

struct hits {
	char text[2048];
};

static int hits_hit(void *arg, enum vbaclass_kind kind, struct span kw)
{
	struct hits *h = arg;
	size_t n = strlen(h->text);

	snprintf(h->text + n, sizeof(h->text) - n, "%s:%.*s;",
		 vbaclass_finding(kind) + 11, (int)kw.len,
		 (const char *)kw.ptr);
	return 0;
}

static int hits_url(void *arg, struct span url)
{
	struct hits *h = arg;
	size_t n = strlen(h->text);

	snprintf(h->text + n, sizeof(h->text) - n, "url:%.*s;", (int)url.len,
		 (const char *)url.ptr);
	return 0;
}

static const char *classify(const char *src, struct hits *h)
{
	struct vbaclass_sink sink = {h, hits_hit, hits_url};

	h->text[0] = '\0';
	assert_int_equal(vbaclass_scan(span_str(src), &sink), 0);
	return h->text;
}

static void test_vbaclass(void **state)
{
	struct hits h;

	assert_string_equal(
	    classify("Private Sub Document_Open()\r\n"
		     "  x = Shell(\"cmd /c calc\")\r\n"
		     "End Sub\r\n",
		     &h),
	    "autoexec:Document_Open;execute:Shell;suspicious:cmd;");
	assert_string_equal(
	    classify("Sub CommandButton1_Click()\n"
		     "' Shell in a comment\n"
		     "Open f For Binary As #1: Put #1, , b\n"
		     "Set o = CreateObject(\"WScript.Shell\")\n"
		     "s = Chr(104) & Chr(116)\n"
		     "u = \"https://198.51.100.7/a.exe\"\n"
		     "End Sub\n",
		     &h),
	    "autoexec:CommandButton1_Click;write:Open;write:Put;"
	    "execute:CreateObject;execute:WScript.Shell;suspicious:Chr;"
	    "url:https://198.51.100.7/a.exe;");
	/* bare IPv4 addresses; not versions, not inside URLs or names */
	assert_string_equal(
	    classify("p = \"\\\\198.51.100.7\\share\\a.exe\"\n"
		     "h = \"203.0.113.9\" ' and 192.0.2.1.\n"
		     "v = \"6.0.0.0\" & \"1.2.3.4.5\" & \"256.1.1.1\"\n"
		     "x = \"a1.2.3.4\" & \"ftp@192.0.2.2\" & \"1.2.3.4x\"\n"
		     "u = \"http://192.0.2.3/\"\n",
		     &h),
	    "url:http://192.0.2.3/;url:198.51.100.7;url:203.0.113.9;"
	    "url:192.0.2.1;");
	/* words inside other words, WorkbookOpen without the underscore */
	assert_string_equal(classify("Sub WorkbookOpen()\nOpenFile = "
				     "Killer + Shellfish\nEnd Sub\n",
				     &h),
			    "");
	assert_string_equal(
	    classify("d = \"TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAA"
		     "AAAAAAAAAAAAAAAAAAA\"\n",
		     &h),
	    "suspicious:base64 string;");
}

struct rels {
	char text[1024];
};

static int rels_rel(void *arg, const struct ooxml_rel *rel)
{
	struct rels *r = arg;
	size_t n = strlen(r->text), len;
	char *target = ooxml_unescape(rel->target, &len);

	snprintf(r->text + n, sizeof(r->text) - n, "%.*s|%s|%.*s;",
		 (int)rel->type.len, (const char *)rel->type.ptr, target,
		 (int)rel->mode.len, (const char *)rel->mode.ptr);
	free(target);
	return 0;
}

static void test_ooxml_rels(void **state)
{
	static const char xml[] =
	    "<?xml version=\"1.0\"?><Relationships xmlns=\"x\">"
	    "<Relationship Id=\"rId1\" Type=\"t/attachedTemplate\" "
	    "Target=\"http://a.example/t.dotm?a=1&amp;b=&#x32;\" "
	    "TargetMode=\"External\"/>"
	    "<Relationship\nTarget='styles.xml' Type='t/styles'/>"
	    "<RelationshipX Target=\"no\"/>"
	    "<Relationship Target=\"cut";
	struct rels r = {""};

	assert_int_equal(
	    ooxml_rels_each(span_make(xml, sizeof(xml) - 1), rels_rel, &r), 0);
	assert_string_equal(r.text, "t/attachedTemplate|http://a.example/"
				    "t.dotm?a=1&b=2|External;"
				    "t/styles|styles.xml|;");
}

/* ---- RTF ---- */

static void expect_objdata(const char *rtf, const char *want_hex,
			   size_t want_used)
{
	uint8_t out[256];
	char hex[512];
	size_t len, used;

	assert_int_equal(rtf_objdata_decode(span_str(rtf), out, &len, &used),
			 0);
	for (size_t i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", out[i]);
	hex[2 * len] = '\0';
	assert_string_equal(hex, want_hex);
	assert_int_equal(used, want_used);
}

static void test_rtf_objdata(void **state)
{
	/* whitespace, a group and a control word in between */
	expect_objdata(" 01 05\r\n0{\\*\\x y}0\\par 00} tail", "01050000", 26);
	/* the odd nibble before \'hh is dropped, \'hh ignored */
	expect_objdata("0102a\\'41bc}", "0102bc", 12);
	/* \bin takes raw bytes, braces included */
	expect_objdata("ab\\bin3 {}\\cd}", "ab7b7d5ccd", 14);
	/* unterminated: everything is consumed */
	expect_objdata("4142", "4142", 4);
}

static void test_rtf_objects(void **state)
{
	struct tctx t;

	analyze_seed("rtf/objects.rtf", &t);
	assert_true(has_finding(&t, "office.rtf.object", "Package"));
	assert_true(has_finding(&t, "office.rtf.object", "Equation.3"));
	assert_true(has_finding(&t, "office.rtf.object", "Excel.Sheet.8"));
	/* the Package's program and the workbook's XLM macros */
	assert_true(has_finding(&t, "attachment.executable", "pe"));
	assert_true(has_finding(&t, "office.xlm.autoexec", "Auto_Open"));
	assert_string_equal(t.report.parts[0].path.elem[0], "invoice.exe");
	tctx_free(&t);
	/* no budget for the objects */
	analyze_seed_budget("rtf/objects.rtf", 100, &t);
	assert_true(has_finding(&t, "scan.limit", NULL));
	tctx_free(&t);
}

/* ---- XLSB ---- */

struct xlsb_seen {
	unsigned sheets, names;
	struct xlsb_sheet last_sheet;
	struct xlsb_name last_name;
};

static int xlsb_t_sheet(void *arg, const struct xlsb_sheet *sh)
{
	struct xlsb_seen *s = arg;

	s->sheets++;
	s->last_sheet = *sh;
	return 0;
}

static int xlsb_t_name(void *arg, const struct xlsb_name *nm)
{
	struct xlsb_seen *s = arg;

	s->names++;
	s->last_name = *nm;
	return 0;
}

static int xlsb_t_walk(const uint8_t *bytes, size_t len, struct xlsb_seen *s)
{
	struct xlsb_sink sink = {s, xlsb_t_sheet, xlsb_t_name};
	uint8_t *exact = malloc(len ? len : 1);
	int rc;

	memset(s, 0, sizeof(*s));
	memcpy(exact, bytes, len);
	rc = xlsb_workbook_each(span_make(exact, len), &sink);
	free(exact);
	return rc;
}

static void test_xlsb_records(void **state)
{
	/* BrtBeginBook; BrtBundleSh (type 156 in two bytes, size 0x1C):
	 * very hidden, tab 2, "rId2", "M1"; BrtName (39): fBuiltin,
	 * "Auto_Open"; BrtEndBook; then a sheet that must not be read */
	static const uint8_t wb[] = {
	    0x83, 0x01, 0x00, 0x9C, 0x01, 0x1C, 2,    0,   0,	 0,    2,
	    0,	  0,	0,    4,    0,	  0,	0,    'r', 0,	 'I',  0,
	    'd',  0,	'2',  0,    2,	  0,	0,    0,   'M',	 0,    '1',
	    0,	  0x27, 0x1F, 0x20, 0,	  0,	0,    0,   0xFF, 0xFF, 0xFF,
	    0xFF, 9,	0,    0,    0,	  'A',	0,    'u', 0,	 't',  0,
	    'o',  0,	'_',  0,    'O',  0,	'p',  0,   'e',	 0,    'n',
	    0,	  0x84, 0x01, 0x00, 0x9C, 0x01, 0x08, 0,   0,	 0,    0,
	    0,	  0,	0,    0};
	struct xlsb_seen s;
	uint8_t bad[sizeof(wb)];
	uint32_t type, len;
	size_t at = 0;

	assert_int_equal(xlsb_t_walk(wb, sizeof(wb), &s), XLSB_OK);
	assert_int_equal(s.sheets, 1);
	assert_int_equal(s.last_sheet.state, XLSB_VERY_HIDDEN);
	assert_string_equal(s.last_sheet.rid, "rId2");
	assert_string_equal(s.last_sheet.name, "M1");
	assert_int_equal(s.names, 1);
	assert_true(s.last_name.builtin);
	assert_string_equal(s.last_name.name, "Auto_Open");
	/* a record type of three bytes, a size of five: cut */
	assert_int_equal(
	    xlsb_record(span_make("\x81\x81\x01\x00", 4), &at, &type, &len),
	    -1);
	at = 0;
	assert_int_equal(xlsb_record(span_make("\x01\x80\x80\x80\x80\x01", 6),
				     &at, &type, &len),
			 -1);
	/* four size bytes: 2^28 - 1, which runs past the part */
	at = 0;
	assert_int_equal(
	    xlsb_record(span_make("\x01\xFF\xFF\xFF\x7F", 5), &at, &type, &len),
	    0);
	assert_int_equal(len, 0x0FFFFFFF);
	assert_int_equal(
	    xlsb_t_walk((const uint8_t *)"\x01\xFF\xFF\xFF\x7F", 5, &s),
	    XLSB_E_FORMAT);
	/* the sheet's rId count says 2^31 units: the sheet is skipped */
	memcpy(bad, wb, sizeof(wb));
	bad[14] = 0;
	bad[17] = 0x80;
	assert_int_equal(xlsb_t_walk(bad, sizeof(bad), &s), XLSB_OK);
	assert_int_equal(s.sheets, 0);
	assert_int_equal(s.names, 1);
	/* the name's count runs one unit past its record */
	memcpy(bad, wb, sizeof(wb));
	bad[45] = 10;
	assert_int_equal(xlsb_t_walk(bad, sizeof(bad), &s), XLSB_OK);
	assert_int_equal(s.names, 0);
	/* empty, and a header alone */
	assert_int_equal(xlsb_t_walk(wb, 0, &s), XLSB_OK);
	assert_int_equal(xlsb_t_walk(wb, 1, &s), XLSB_OK);
}

static void test_xlsb_seeds(void **state)
{
	struct tctx t;

	/* t/tools/make_xlsb.py: a very hidden macro sheet, built-in
	 * Auto_Open */
	analyze_seed("ooxml/xlm-veryhidden.xlsb", &t);
	assert_true(
	    has_finding(&t, "office.xlm.present", "macrosheet content type"));
	assert_true(has_finding(&t, "office.xlm.hidden",
				"macro sheet Macro1 (very hidden)"));
	assert_true(has_finding(&t, "office.xlm.autoexec", "_xlnm.Auto_Open"));
	assert_int_equal(t.report.nfindings, 3);
	tctx_free(&t);
	/* make_xlsb.py --clean: a worksheet, a plain defined name */
	analyze_seed("ooxml/clean.xlsb", &t);
	assert_int_equal(t.report.nfindings, 0);
	tctx_free(&t);
}

static void test_ooxml_seeds(void **state)
{
	struct tctx t;

	analyze_seed("ooxml/xlm-hidden.xlsm", &t);
	assert_true(
	    has_finding(&t, "office.xlm.present", "macrosheet content type"));
	assert_true(has_finding(&t, "office.xlm.hidden",
				"macro sheet M&1 (very hidden)"));
	assert_true(has_finding(&t, "office.xlm.autoexec", "_xlnm.Auto_Open"));
	/* the hidden worksheet "Data" is no macro sheet */
	assert_int_equal(t.report.nfindings, 3);
	tctx_free(&t);
	analyze_seed("ooxml/embedded-xlsm.docx", &t);
	assert_true(has_finding(&t, "office.vba.present", "VBA: 5 modules"));
	assert_string_equal(
	    t.report.parts[0].path.elem[0],
	    "word/embeddings/Microsoft_Excel_Macro-Enabled_Worksheet.xlsm");
	tctx_free(&t);
	analyze_seed("ooxml/external-rels.docx", &t);
	assert_true(has_finding(&t, "office.template.external",
				"http://198.51.100.7/t.dotm?a=1&b=2"));
	assert_true(
	    has_finding(&t, "office.external_rel", "file://host/share/x.bin"));
	/* judged like any URL; file: is not one kensa lists */
	assert_true(has_finding(&t, "url.ip_host",
				"http://198.51.100.7/t.dotm?a=1&b=2"));
	assert_int_equal(t.report.nurls, 2);
	assert_string_equal(t.report.urls[1].url, "https://example.org/");
	tctx_free(&t);
}

/* The test compound file with its stream renamed and its bytes set. */
static void analyze_one_stream(const char *name, const uint8_t *bytes,
			       size_t len, struct tctx *t)
{
	uint8_t *f = cfb_t_build();
	struct part_ctx part;

	cfb_t_entry(cfb_t_sector(f, 1) + 128, name, CFB_STREAM, CFB_NONE, 2,
		    4096);
	memset(cfb_t_sector(f, 2), 0, 4096);
	memcpy(cfb_t_sector(f, 2), bytes, len);
	tctx_init(t, 1 << 20);
	memset(&part, 0, sizeof(part));
	part.path = &t->path;
	part.type = FT_CFB;
	part.content = span_make(f, CFB_T_LEN);
	assert_true(office_analyze(&t->ctx, &part) >= 0);
	free(f);
}

static void test_encrypted_doc_xls(void **state)
{
	/* BIFF8: BOF, FILEPASS, then records that cannot be read */
	static const uint8_t biff[] = {
	    0x09, 0x08, 16, 0, 0x00, 0x06, 5,	 0,    0, 0, 0, 0, 0, 0,
	    0,	  0,	0,  0, 0,    0,	   0x2F, 0x00, 4, 0, 1, 0, 1, 0,
	    0x85, 0x00, 8,  0, 1,    2,	   3,	 4,    5, 1, 0, 0};
	/* a FIB: wIdent, nFib..., flags at offset 10 with fEncrypted */
	static const uint8_t fib[] = {0xEC, 0xA5, 0xC1, 0, 0,	 0,
				      0,    0,	  0,	0, 0x00, 0x01};
	struct tctx t;

	analyze_one_stream("Workbook", biff, sizeof(biff), &t);
	assert_true(has_finding(&t, "office.encrypted", "workbook FILEPASS"));
	assert_false(has_finding(&t, "office.xlm.present", NULL));
	tctx_free(&t);
	analyze_one_stream("WordDocument", fib, sizeof(fib), &t);
	assert_true(
	    has_finding(&t, "office.encrypted", "WordDocument fEncrypted"));
	tctx_free(&t);
	/* the same FIB without the flag */
	analyze_one_stream("WordDocument", fib, 10, &t);
	assert_int_equal(t.report.nfindings, 0);
	tctx_free(&t);
}

/* The finding id with detail, at a part whose last element is elem. */
static int has_finding_at(const struct tctx *t, const char *id,
			  const char *detail, const char *elem)
{
	for (size_t i = 0; i < t->report.nfindings; i++) {
		const struct finding *f = &t->report.findings[i];
		if (strcmp(f->id, id) == 0 && strcmp(f->detail, detail) == 0 &&
		    (elem ? f->part.n > 0 &&
				strcmp(f->part.elem[f->part.n - 1], elem) == 0
			  : f->part.n == 0))
			return 1;
	}
	return 0;
}

static void test_embedded_objects(void **state)
{
	static const char pool[] = "ObjectPool/_1234567890";
	struct tctx t;
	uint8_t *file, *out;
	size_t len, olen;
	struct cfb c, x;
	uint32_t op, obj, wb, cid, xid;

	/* t/tools/make_ole_embed.py --word --xlm: a .doc whose ObjectPool
	 * holds a workbook with a very hidden macro sheet and Auto_Open */
	analyze_seed("cfb/objectpool-xlm.doc", &t);
	assert_true(has_finding_at(&t, "office.ole_object",
				   "ObjectPool/_1234567890: Excel.Sheet.8",
				   NULL));
	assert_true(has_finding_at(&t, "office.xlm.hidden",
				   "macro sheet Macro1 (very hidden)", pool));
	assert_true(
	    has_finding_at(&t, "office.xlm.autoexec", "Auto_Open", pool));
	assert_int_equal(t.report.nfindings, 4);
	assert_string_equal(t.report.parts[0].path.elem[0], pool);
	tctx_free(&t);
	/* the storage taken out: a compound file of its own with the same
	 * streams */
	file = test_read_file(SRCDIR "/t/fuzz/corpus/cfb/objectpool-xlm.doc",
			      &len);
	assert_non_null(file);
	tctx_init(&t, 1 << 20);
	assert_int_equal(cfb_open(&c, span_make(file, len), &t.ctx), CFB_OK);
	assert_int_equal(cfb_child(&c, 0, "ObjectPool", &op), 0);
	assert_int_equal(cfb_child(&c, op, "_1234567890", &obj), 0);
	assert_int_equal(cfb_extract(&c, obj, &out, &olen), CFB_OK);
	assert_int_equal(cfb_open(&x, span_make(out, olen), &t.ctx), CFB_OK);
	assert_int_equal(cfb_child(&x, 0, "Workbook", &xid), 0);
	assert_int_equal(cfb_child(&c, obj, "Workbook", &wb), 0);
	assert_int_equal(x.dir[xid].size, c.dir[wb].size);
	assert_int_equal(cfb_child(&x, 0, "\001CompObj", &xid), 0);
	assert_int_equal(cfb_child(&c, obj, "\001CompObj", &cid), 0);
	assert_int_equal(x.dir[xid].size, c.dir[cid].size);
	assert_int_not_equal(cfb_child(&x, 0, "WordDocument", &xid), 0);
	cfb_close(&x);
	free(out);
	/* a budget that covers the streams but not the file written */
	t.ctx.budget_left = 600;
	assert_int_equal(cfb_extract(&c, obj, &out, &olen), CFB_E_BUDGET);
	/* not a storage */
	assert_int_equal(cfb_extract(&c, wb, &out, &olen), CFB_E_FORMAT);
	cfb_close(&c);
	free(file);
	tctx_free(&t);
	/* no budget for the object: scan.limit, the document still read */
	analyze_seed_budget("cfb/objectpool-xlm.doc", 3000, &t);
	assert_true(has_finding(&t, "scan.limit", NULL));
	assert_true(has_finding(&t, "office.ole_object", NULL));
	tctx_free(&t);
}

/* A buffer through the office analyzer (the budget of analyze_file). */
static void analyze_buf(uint8_t *buf, size_t len, struct tctx *t)
{
	struct part_ctx part;

	tctx_init(t, 256u << 20);
	memset(&part, 0, sizeof(part));
	part.path = &t->path;
	part.content = span_make(buf, len);
	part.type = filetype_detect(part.content);
	assert_true(office_analyze(&t->ctx, &part) >= 0);
}

/* The PersistDirectoryAtom's header in a file (version 0, type 0x1772). */
static uint8_t *find_persist_dir(uint8_t *buf, size_t len)
{
	for (size_t i = 0; i + 20 <= len; i++)
		if (memcmp(buf + i, "\x00\x00\x72\x17\x0c\x00\x00\x00", 8) == 0)
			return buf + i;
	return NULL;
}

static void test_ppt_objects(void **state)
{
	static const char stg[] = "ExOleObjStg 1";
	struct tctx t;
	uint8_t *file, *pd;
	size_t len;

	/* t/tools/make_ole_embed.py --ppt --xlm --no-compobj --progid
	 * Excel.Sheet.5: the class only in the progIdAtom, found through the
	 * persist directory (id 2 -> the ExOleObjStg's offset) */
	analyze_seed("cfb/exoleobjstg-progid.ppt", &t);
	assert_true(has_finding_at(&t, "office.ole_object",
				   "ExOleObjStg 1: Excel.Sheet.5", NULL));
	assert_true(has_finding_at(&t, "office.xlm.hidden",
				   "macro sheet Macro1 (very hidden)", stg));
	tctx_free(&t);
	file = test_read_file(
	    SRCDIR "/t/fuzz/corpus/cfb/exoleobjstg-progid.ppt", &len);
	assert_non_null(file);
	pd = find_persist_dir(file, len);
	assert_non_null(pd);
	/* the directory points elsewhere: the object has no class */
	pd[16] ^= 0x40;
	analyze_buf(file, len, &t);
	assert_true(has_finding_at(&t, "office.ole_object",
				   "ExOleObjStg 1: unknown class", NULL));
	tctx_free(&t);
	pd[16] ^= 0x40;
	/* an entry from id 0 counting 4095 offsets in a 12-byte record: id
	 * 2's offset would lie past it; not read, no class */
	pd[8] = 0x00;
	pd[10] = 0xF0;
	pd[11] = 0xFF;
	analyze_buf(file, len, &t);
	assert_true(has_finding_at(&t, "office.ole_object",
				   "ExOleObjStg 1: unknown class", NULL));
	tctx_free(&t);
	/* the first id 0xFFFFF, one offset: no match (no wrap-around) */
	pd[8] = 0xFF;
	pd[9] = 0xFF;
	pd[10] = 0x1F;
	pd[11] = 0x00;
	analyze_buf(file, len, &t);
	assert_true(has_finding(&t, "office.ole_object",
				"ExOleObjStg 1: unknown class"));
	tctx_free(&t);
	free(file);
}

static void test_ooxml_embedded_cfb(void **state)
{
	struct tctx t;

	/* make_ole_embed.py --ooxml --xlm --no-compobj: an oleObject1.bin
	 * without CompObj, once, on the document; its macros on its part */
	analyze_seed("ooxml/embedded-cfb-noclass.docx", &t);
	assert_true(has_finding_at(
	    &t, "office.ole_object",
	    "word/embeddings/oleObject1.bin: unknown class", NULL));
	assert_true(has_finding_at(&t, "office.xlm.autoexec", "Auto_Open",
				   "word/embeddings/oleObject1.bin"));
	tctx_free(&t);
	/* a presentation's own VBA project (an ExOleObjStg too) is no
	 * object */
	analyze_file("macro/SimpleMacro.ppt", &t);
	assert_true(has_finding(&t, "office.vba.present", NULL));
	assert_false(has_finding(&t, "office.ole_object", NULL));
	tctx_free(&t);
}

/* The central directory entry of member name in a zip file. */
static uint8_t *zip_central(uint8_t *buf, size_t len, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i + 46 + n <= len; i++)
		if (memcmp(buf + i, "PK\001\002", 4) == 0 &&
		    (size_t)(buf[i + 28] | buf[i + 29] << 8) == n &&
		    memcmp(buf + i + 46, name, n) == 0)
			return buf + i;
	return NULL;
}

/*
 * Large deflated members are inflated by libdeflate; whatever it refuses
 * goes the libzip way as before: a CRC-32 that does not match (libzip
 * never checks it, as it stops at the declared size), a declared size
 * larger than the data (scan.error as before).
 */
static void test_ooxml_fast_inflate(void **state)
{
	static const char vba[] = "xl/vbaProject.bin";
	struct tctx t;
	uint8_t *file, *cd;
	size_t len, nfindings;

	analyze_file("macro/mv-calculator-final-2-20-2013.xlsm", &t);
	assert_true(has_finding(&t, "office.vba.present", "VBA: 18 modules"));
	nfindings = t.report.nfindings;
	tctx_free(&t);
	file = test_read_file(
	    TESTDATA "/office/macro/mv-calculator-final-2-20-2013.xlsm", &len);
	assert_non_null(file);
	cd = zip_central(file, len, vba);
	assert_non_null(cd);
	cd[16] ^= 1; /* the CRC-32 */
	analyze_buf(file, len, &t);
	assert_true(has_finding(&t, "office.vba.present", "VBA: 18 modules"));
	assert_int_equal(t.report.nfindings, nfindings);
	tctx_free(&t);
	cd[16] ^= 1;
	cd[26] ^= 1; /* the size: 64 KiB more than there is */
	analyze_buf(file, len, &t);
	assert_true(
	    has_finding(&t, "scan.error", "malformed xl/vbaProject.bin"));
	assert_false(has_finding(&t, "office.vba.present", NULL));
	tctx_free(&t);
	free(file);
}

static void test_ole10native(void **state)
{
	struct tctx t;

	analyze_seed("cfb/ole10native.cfb", &t);
	assert_true(has_finding(&t, "office.ole_object", "Package: run.js"));
	assert_true(has_finding(&t, "attachment.script", "run.js"));
	tctx_free(&t);
}

/* ---- SpamAssassin's OLEVBMacro mails through the whole scan ---- */

static struct report *scan_mail(const char *name, struct report *r)
{
	struct scan_options opts = {.limits = SCAN_LIMITS_DEFAULT};
	char path[1024];
	size_t len;
	uint8_t *buf;

	snprintf(path, sizeof(path), "%s/mail/spamassassin/%s", TESTDATA, name);
	buf = test_read_file(path, &len);
	assert_int_equal(scan_message(span_make(buf, len), &opts, r), 0);
	free(buf);
	return r;
}

static int report_has_detail(const struct report *r, const char *id,
			     const char *detail)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].id, id) == 0 &&
		    strcmp(r->findings[i].detail, detail) == 0)
			return 1;
	return 0;
}

static int report_has_prefix(const struct report *r, const char *prefix)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strncmp(r->findings[i].id, prefix, strlen(prefix)) == 0)
			return 1;
	return 0;
}

static void test_spamassassin(void **state)
{
	struct report r;

	scan_mail("macro.eml", &r);
	assert_true(report_has_finding(&r, "office.vba.present"));
	assert_false(report_has_finding(&r, "office.vba.autoexec"));
	report_free(&r);
	scan_mail("malicemacro.eml", &r);
	assert_true(report_has_finding(&r, "office.vba.present"));
	assert_true(report_has_detail(&r, "office.vba.autoexec",
				      "Workbook_Open in ThisWorkbook"));
	assert_true(report_has_detail(&r, "office.vba.autoexec",
				      "autoexec in Modulo1"));
	report_free(&r);
	scan_mail("renamedmacro.eml", &r);
	assert_true(report_has_finding(&r, "office.vba.present"));
	assert_true(report_has_detail(&r, "attachment.type_mismatch",
				      "renamed.jpg: ooxml"));
	report_free(&r);
	scan_mail("nomacro.eml", &r);
	assert_false(report_has_prefix(&r, "office."));
	assert_false(report_has_prefix(&r, "scan."));
	report_free(&r);
	scan_mail("goodcsv.eml", &r);
	assert_false(report_has_prefix(&r, "office."));
	report_free(&r);
	/* the body says "Doc password is password": opened (office_crypt) */
	scan_mail("encrypted.eml", &r);
	assert_false(report_has_finding(&r, "attachment.type_mismatch"));
	assert_true(report_has_detail(&r, "office.decrypted",
				      "password from body line 1, after "
				      "password; agile AES-256 SHA512 100000 "
				      "rounds"));
	assert_false(report_has_finding(&r, "office.encrypted"));
	assert_false(report_has_prefix(&r, "office.vba."));
	report_free(&r);
	scan_mail("target_uri.eml", &r);
	assert_false(report_has_prefix(&r, "office."));
	assert_int_equal(r.nurls, 1);
	assert_string_equal(r.urls[0].url, "https://spamassassin.apache.org/");
	report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ovba_spec_examples),
	    cmocka_unit_test(test_ovba_bad_chunks),
	    cmocka_unit_test(test_cfb_valid),
	    cmocka_unit_test(test_cfb_truncated),
	    cmocka_unit_test(test_cfb_fat_loop),
	    cmocka_unit_test(test_cfb_out_of_range),
	    cmocka_unit_test(test_cfb_huge_sizes),
	    cmocka_unit_test(test_cfb_difat_loop),
	    cmocka_unit_test(test_cfb_directory_cycle),
	    cmocka_unit_test(test_cfb_budget),
	    cmocka_unit_test(test_vba_dir_version_quirk),
	    cmocka_unit_test(test_vba_modules),
	    cmocka_unit_test(test_vba_source_text),
	    cmocka_unit_test(test_office_findings),
	    cmocka_unit_test(test_vbaclass),
	    cmocka_unit_test(test_ooxml_rels),
	    cmocka_unit_test(test_rtf_objdata),
	    cmocka_unit_test(test_rtf_objects),
	    cmocka_unit_test(test_ooxml_seeds),
	    cmocka_unit_test(test_xlsb_records),
	    cmocka_unit_test(test_xlsb_seeds),
	    cmocka_unit_test(test_encrypted_doc_xls),
	    cmocka_unit_test(test_ole10native),
	    cmocka_unit_test(test_embedded_objects),
	    cmocka_unit_test(test_ppt_objects),
	    cmocka_unit_test(test_ooxml_embedded_cfb),
	    cmocka_unit_test(test_ooxml_fast_inflate),
	    cmocka_unit_test(test_spamassassin),
	};
	return cmocka_run_group_tests(tests, test_gmime_setup,
				      test_gmime_teardown);
}
