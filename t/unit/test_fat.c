/*
 * test_fat - parser/fat.c and parser/vhd.c on FAT12 images written here
 * byte by byte: files in the root and in subdirectories, long names
 * (checksum right and wrong), a cyclic cluster chain, a cluster out of
 * range, a directory loop, directories too deep, a huge declared size, a
 * truncated image; VHD fixed and dynamic (blocks allocated, unallocated,
 * and outside the file), VHDX (a block present, one not, a block past
 * the file, sizes out of range), differencing disks refused; detection
 * of FAT volumes and MBR disks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../parser/fat.h"
#include "../../parser/vhd.h"

/* 64 sectors: boot, FAT, root (16 entries), clusters 2..62 */
#define SECTORS 64
#define FATOFF	512
#define ROOTOFF 1024
#define DATAOFF 1536
#define CL(n)	(DATAOFF + ((n)-2) * 512)

static uint8_t img[SECTORS * 512];

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void be64(uint8_t *p, uint64_t v)
{
	be32(p, (uint32_t)(v >> 32));
	be32(p + 4, (uint32_t)v);
}

static void fat12(uint32_t n, uint32_t v)
{
	uint8_t *p = img + FATOFF + n + n / 2;
	uint32_t old = p[0] | p[1] << 8;

	old = n & 1 ? (old & 0x000f) | v << 4 : (old & 0xf000) | v;
	put16(p, old);
}

static void image(void)
{
	memset(img, 0, sizeof(img));
	memcpy(img, "\xeb\x3c\x90MSDOS5.0", 11);
	put16(img + 11, 512);
	img[13] = 1;	     /* sectors per cluster */
	put16(img + 14, 1);  /* reserved */
	img[16] = 1;	     /* FATs */
	put16(img + 17, 16); /* root entries */
	put16(img + 19, SECTORS);
	img[21] = 0xf8;
	put16(img + 22, 1); /* sectors per FAT */
	img[510] = 0x55;
	img[511] = 0xaa;
	fat12(0, 0xff8);
	fat12(1, 0xfff);
}

/* A short entry at off: name11 is the 8.3 name, space padded. */
static void entry(size_t off, const char *name11, uint8_t attr,
		  uint32_t cluster, uint32_t size)
{
	memcpy(img + off, name11, 11);
	img[off + 11] = attr;
	put16(img + off + 26, cluster);
	put32(img + off + 28, size);
}

static uint8_t checksum(const char *name11)
{
	uint8_t sum = 0;

	for (int i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) +
				(uint8_t)name11[i]);
	return sum;
}

/* One LFN entry (names up to 13 ASCII characters) before a short one. */
static void lfn(size_t off, const char *name, uint8_t sum)
{
	static const int at[13] = {1,  3,  5,  7,  9,  14, 16,
				   18, 20, 22, 24, 28, 30};
	size_t n = strlen(name);

	img[off] = 0x41;
	img[off + 11] = 0x0f;
	img[off + 13] = sum;
	for (size_t i = 0; i < 13; i++)
		put16(img + off + at[i], i < n	  ? (uint8_t)name[i]
					 : i == n ? 0
						  : 0xffff);
}

struct run {
	struct scan_limits limits;
	struct report report;
	struct scan_ctx ctx;
	struct part_path path;
	struct part_ctx part;
};

static void run(struct run *r, const uint8_t *data, size_t len,
		enum filetype type)
{
	static const struct scan_limits defaults = SCAN_LIMITS_DEFAULT;

	memset(r, 0, sizeof(*r));
	r->limits = defaults;
	report_init(&r->report, r->limits.findings);
	r->ctx.limits = &r->limits;
	r->ctx.report = &r->report;
	r->ctx.budget_left = r->limits.decoded_bytes;
	assert_int_equal(path_push(&r->path, "2", 1), 0);
	r->part.path = &r->path;
	r->part.type = type;
	r->part.content = span_make(data, len);
	assert_int_equal(fat_analyze(&r->ctx, &r->part), 0);
}

static void done(struct run *r)
{
	report_free(&r->report);
	path_clear(&r->path);
}

/* The child part named name, or NULL. */
static const struct part_info *child(const struct run *r, const char *name)
{
	for (size_t i = 0; i < r->report.nparts; i++) {
		const struct part_info *p = &r->report.parts[i];
		if (p->path.n == 2 && strcmp(p->path.elem[1], name) == 0)
			return p;
	}
	return NULL;
}

static int has(const struct run *r, const char *id, const char *sub)
{
	for (size_t i = 0; i < r->report.nfindings; i++)
		if (strcmp(r->report.findings[i].id, id) == 0 &&
		    strstr(r->report.findings[i].detail, sub))
			return 1;
	return 0;
}

/* A program in two clusters, a shortcut under a long name, a directory. */
static void sample(void)
{
	image();
	entry(ROOTOFF, "KENSA      ", 0x08, 0, 0);
	entry(ROOTOFF + 32, "SETUP   EXE", 0x20, 2, 600);
	memcpy(img + CL(2), "MZ\x90", 3);
	fat12(2, 3);
	fat12(3, 0xfff);
	lfn(ROOTOFF + 64, "invoice.lnk", checksum("INVOICE LNK"));
	entry(ROOTOFF + 96, "INVOICE LNK", 0x20, 4, 76);
	memcpy(img + CL(4), "L\0\0\0\1\24\2\0", 8);
	fat12(4, 0xfff);
	entry(ROOTOFF + 128, "DOCS       ", 0x10, 5, 0);
	fat12(5, 0xfff);
	entry(CL(5), ".          ", 0x10, 5, 0);
	entry(CL(5) + 32, "..         ", 0x10, 0, 0);
	lfn(CL(5) + 64, "wrong.txt", 0);
	entry(CL(5) + 96, "NOTE    TXT", 0x20, 6, 5);
	memcpy(img + CL(6), "hello", 5);
	fat12(6, 0xfff);
}

static void test_detect(void **state)
{
	static uint8_t disk[2048 + sizeof(img)];

	(void)state;
	sample();
	assert_int_equal(filetype_detect(span_make(img, sizeof(img))), FT_FAT);
	img[13] = 3; /* not a power of two */
	assert_int_not_equal(filetype_detect(span_make(img, sizeof(img))),
			     FT_FAT);
	sample();
	memset(disk, 0, sizeof(disk));
	disk[446 + 4] = 0x01;
	put32(disk + 446 + 8, 4);
	disk[510] = 0x55;
	disk[511] = 0xaa;
	memcpy(disk + 2048, img, sizeof(img));
	assert_int_equal(filetype_detect(span_make(disk, sizeof(disk))),
			 FT_FAT);
	/* the partition's sector outside the bytes: not FAT */
	put32(disk + 446 + 8, 400);
	assert_int_not_equal(filetype_detect(span_make(disk, sizeof(disk))),
			     FT_FAT);
}

static void test_files(void **state)
{
	struct run r;
	const struct part_info *p;

	(void)state;
	sample();
	run(&r, img, sizeof(img), FT_FAT);
	assert_non_null(p = child(&r, "SETUP.EXE"));
	assert_int_equal(p->size, 600);
	assert_string_equal(p->type, "application/x-dosexec");
	assert_true(has(&r, "attachment.executable", "pe"));
	assert_non_null(p = child(&r, "invoice.lnk"));
	assert_string_equal(p->type, "application/x-ms-shortcut");
	/* an LFN whose checksum is not its short entry's is ignored */
	assert_non_null(p = child(&r, "DOCS/NOTE.TXT"));
	assert_int_equal(p->size, 5);
	assert_null(child(&r, "DOCS/wrong.txt"));
	assert_null(child(&r, "KENSA"));
	assert_false(has(&r, "archive.unsupported", ""));
	done(&r);
}

static void test_hostile_chains(void **state)
{
	struct run r;

	(void)state;
	/* 2 -> 3 -> 2 ... with a size that would need thousands */
	sample();
	fat12(3, 2);
	put32(img + ROOTOFF + 32 + 28, 10 << 20);
	run(&r, img, sizeof(img), FT_FAT);
	assert_true(has(&r, "archive.unsupported", "loops"));
	assert_non_null(child(&r, "SETUP.EXE"));
	assert_true(child(&r, "SETUP.EXE")->size <= 2048);
	done(&r);

	/* a cluster past the volume's last */
	sample();
	fat12(2, 0xf00);
	run(&r, img, sizeof(img), FT_FAT);
	assert_true(
	    has(&r, "archive.unsupported", "cluster 3840 out of range"));
	/* the rest is still read */
	assert_non_null(child(&r, "invoice.lnk"));
	done(&r);

	/* a first cluster out of range, and 0 for a file with bytes */
	sample();
	put16(img + ROOTOFF + 32 + 26, 4000);
	run(&r, img, sizeof(img), FT_FAT);
	assert_true(has(&r, "archive.unsupported", "out of range"));
	done(&r);

	/* a chain that ends early: what there is, truncated */
	sample();
	fat12(2, 0xfff);
	run(&r, img, sizeof(img), FT_FAT);
	assert_true(has(&r, "archive.unsupported", "chain ends before 600"));
	assert_int_equal(child(&r, "SETUP.EXE")->size, 512);
	done(&r);

	/* a declared 4 GB: over the member limit, read to the chain's end */
	sample();
	put32(img + ROOTOFF + 32 + 28, 0xffffffffu);
	run(&r, img, sizeof(img), FT_FAT);
	assert_true(has(&r, "archive.oversized_member", "SETUP.EXE"));
	assert_int_equal(child(&r, "SETUP.EXE")->size, 1024);
	done(&r);
}

static void test_hostile_dirs(void **state)
{
	struct run r;

	(void)state;
	/* DOCS holds SUB, which is DOCS again */
	sample();
	entry(CL(5) + 128, "SUB        ", 0x10, 5, 0);
	run(&r, img, sizeof(img), FT_FAT);
	assert_true(has(&r, "archive.unsupported", "directory loop"));
	assert_non_null(child(&r, "DOCS/NOTE.TXT"));
	done(&r);

	/* 30 directories each in the next: cut at FAT_DEPTH */
	sample();
	for (uint32_t c = 10; c < 40; c++) {
		entry(CL(c), "D          ", 0x10, c + 1, 0);
		fat12(c, 0xfff);
	}
	entry(ROOTOFF + 128, "D          ", 0x10, 10, 0);
	run(&r, img, sizeof(img), FT_FAT);
	assert_true(has(&r, "archive.unsupported", "deep"));
	done(&r);

	/* truncated: the clusters past the cut are not there */
	sample();
	run(&r, img, CL(4), FT_FAT);
	assert_true(has(&r, "archive.unsupported", "past the image"));
	assert_non_null(child(&r, "SETUP.EXE"));
	done(&r);

	/* a BPB whose FATs and root need more sectors than it has */
	sample();
	put16(img + 19, 3);
	run(&r, img, sizeof(img), FT_FAT);
	assert_true(has(&r, "archive.unsupported", "inconsistent"));
	done(&r);
}

static uint8_t *vhd_footer(uint8_t *f, uint64_t size, uint32_t type,
			   uint64_t data_offset)
{
	memset(f, 0, 512);
	memcpy(f, "conectix", 8);
	be64(f + 16, data_offset);
	be64(f + 40, size);
	be64(f + 48, size);
	be32(f + 60, type);
	return f;
}

static void test_vhd_fixed(void **state)
{
	static uint8_t file[sizeof(img) + 512];
	struct run r;

	(void)state;
	sample();
	memcpy(file, img, sizeof(img));
	vhd_footer(file + sizeof(img), sizeof(img), 2, UINT64_MAX);
	assert_int_equal(filetype_detect(span_make(file, sizeof(file))),
			 FT_VHD);
	run(&r, file, sizeof(file), FT_VHD);
	assert_non_null(child(&r, "invoice.lnk"));
	assert_non_null(child(&r, "DOCS/NOTE.TXT"));
	done(&r);

	/* a differencing disk */
	be32(file + sizeof(img) + 60, 4);
	run(&r, file, sizeof(file), FT_VHD);
	assert_true(has(&r, "archive.unsupported", "differencing"));
	done(&r);

	/* VHDX */
	memcpy(file, "vhdxfile", 8);
	run(&r, file, 4096, FT_VHD);
	assert_true(has(&r, "archive.unsupported", "VHDX"));
	done(&r);
}

/*
 * Dynamic: footer copy, header, table of 2 entries (4 KiB blocks: one
 * sector of bitmap each), block 0 allocated, block 1 not, then footer.
 */
#define DYN_BLOCK 4096
static size_t dynamic(uint8_t *file, uint32_t sector0)
{
	size_t at = 512 + 1024 + 512, n;

	memset(file, 0, 8192 * 8);
	vhd_footer(file, 2 * DYN_BLOCK, 3, 512);
	memcpy(file + 512, "cxsparse", 8);
	be64(file + 512 + 16, 1536);
	be32(file + 512 + 28, 2);
	be32(file + 512 + 32, DYN_BLOCK);
	be32(file + 1536, sector0);
	be32(file + 1540, 0xffffffffu);
	memset(file + at, 0xff, 512);
	memcpy(file + at + 512, img, DYN_BLOCK);
	n = at + 512 + DYN_BLOCK;
	memcpy(file + n, file, 512);
	return n + 512;
}

static void test_vhd_dynamic(void **state)
{
	static uint8_t file[8192 * 8];
	struct run r;
	struct disk d;
	const char *why;
	uint8_t b[16];
	size_t n;

	(void)state;
	/* the image's first 4 KiB: boot, FAT, root and cluster 2 */
	image();
	entry(ROOTOFF, "SETUP   EXE", 0x20, 2, 100);
	memcpy(img + CL(2), "MZ\x90", 3);
	fat12(2, 0xfff);
	n = dynamic(file, 2048 / 512);
	assert_int_equal(vhd_open(&d, span_make(file, n), &why), 0);
	assert_int_equal(d.size, 2 * DYN_BLOCK);
	/* an unallocated block reads as zeros */
	memset(b, 0xaa, sizeof(b));
	assert_int_equal(disk_read(&d, DYN_BLOCK + 10, b, sizeof(b)), 0);
	assert_int_equal(b[0] | b[15], 0);
	assert_int_equal(disk_read(&d, 2 * DYN_BLOCK - 1, b, 2), -1);
	run(&r, file, n, FT_VHD);
	assert_non_null(child(&r, "SETUP.EXE"));
	assert_true(has(&r, "attachment.executable", "pe"));
	done(&r);

	/* block 0 outside the file */
	n = dynamic(file, 0x7fffffff);
	run(&r, file, n, FT_VHD);
	assert_true(has(&r, "archive.unsupported", "no FAT volume"));
	done(&r);

	/* a table said to be larger than the file */
	n = dynamic(file, 2048 / 512);
	be32(file + 512 + 28, 1000000);
	assert_int_equal(vhd_open(&d, span_make(file, n), &why), -1);
	assert_non_null(strstr(why, "outside the file"));
	/* a block size that is no power of two */
	n = dynamic(file, 2048 / 512);
	be32(file + 512 + 32, 5000);
	assert_int_equal(vhd_open(&d, span_make(file, n), &why), -1);
	/* a declared 2 TB disk of 4 KiB blocks: only the table's size */
	n = dynamic(file, 2048 / 512);
	be64(file + n - 512 + 48, (uint64_t)2 << 40);
	assert_int_equal(vhd_open(&d, span_make(file, n), &why), 0);
	assert_int_equal(d.size, 2 * DYN_BLOCK);
}

static void le64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/*
 * VHDX: headers at 64 and 128 KiB, region table at 192 KiB (BAT at
 * 256 KiB, metadata at 320 KiB), 1 MiB blocks, a 2 MiB disk whose block 0
 * is at 1 MiB in the file and block 1 is not present.
 */
#define VHDX_MB (1024 * 1024)
static uint8_t vhdx[2 * VHDX_MB];

static void vhdx_item(size_t i, const uint8_t *guid, uint32_t off, uint32_t len)
{
	uint8_t *e = vhdx + 320 * 1024 + 32 + i * 32;

	memcpy(e, guid, 16);
	put32(e + 16, off);
	put32(e + 20, len);
}

static void vhdx_make(void)
{
	static const uint8_t bat[16] = {0x66, 0x77, 0xc2, 0x2d, 0x23, 0xf6,
					0x00, 0x42, 0x9d, 0x64, 0x11, 0x5e,
					0x9b, 0xfd, 0x4a, 0x08};
	static const uint8_t meta[16] = {0x06, 0xa2, 0x7c, 0x8b, 0x90, 0x47,
					 0x9a, 0x4b, 0xb8, 0xfe, 0x57, 0x5f,
					 0x05, 0x0f, 0x88, 0x6e};
	static const uint8_t params[16] = {0x37, 0x67, 0xa1, 0xca, 0x36, 0xfa,
					   0x43, 0x4d, 0xb3, 0xb6, 0x33, 0xf0,
					   0xaa, 0x44, 0xe7, 0x6b};
	static const uint8_t size[16] = {0x24, 0x42, 0xa5, 0x2f, 0x1b, 0xcd,
					 0x76, 0x48, 0xb2, 0x11, 0x5d, 0xbe,
					 0xd8, 0x3b, 0xf4, 0xb8};
	static const uint8_t sector[16] = {0x1d, 0xbf, 0x41, 0x81, 0x6f, 0xa9,
					   0x09, 0x47, 0xba, 0x47, 0xf2, 0x33,
					   0xa8, 0xfa, 0xab, 0x5f};
	uint8_t *m = vhdx + 320 * 1024;

	memset(vhdx, 0, sizeof(vhdx));
	memcpy(vhdx, "vhdxfile", 8);
	memcpy(vhdx + 64 * 1024, "head", 4);
	le64(vhdx + 64 * 1024 + 8, 1);
	memcpy(vhdx + 128 * 1024, "head", 4);
	le64(vhdx + 128 * 1024 + 8, 2);
	memcpy(vhdx + 192 * 1024, "regi", 4);
	put32(vhdx + 192 * 1024 + 8, 2);
	memcpy(vhdx + 192 * 1024 + 16, bat, 16);
	le64(vhdx + 192 * 1024 + 32, 256 * 1024);
	put32(vhdx + 192 * 1024 + 40, 64 * 1024);
	memcpy(vhdx + 192 * 1024 + 48, meta, 16);
	le64(vhdx + 192 * 1024 + 64, 320 * 1024);
	put32(vhdx + 192 * 1024 + 72, 64 * 1024);
	memcpy(m, "metadata", 8);
	put16(m + 10, 3);
	vhdx_item(0, params, 4096, 8);
	vhdx_item(1, size, 4104, 8);
	vhdx_item(2, sector, 4112, 4);
	put32(m + 4096, VHDX_MB);
	le64(m + 4104, 2 * VHDX_MB);
	put32(m + 4112, 512);
	le64(vhdx + 256 * 1024, (uint64_t)1 << 20 | 6);
	memcpy(vhdx + VHDX_MB, img, sizeof(img));
}

static void test_vhdx(void **state)
{
	struct run r;
	struct disk d;
	const char *why;
	uint8_t b[8];

	(void)state;
	sample();
	vhdx_make();
	assert_int_equal(filetype_detect(span_make(vhdx, sizeof(vhdx))),
			 FT_VHD);
	assert_int_equal(vhd_open(&d, span_make(vhdx, sizeof(vhdx)), &why), 0);
	assert_int_equal(d.size, 2 * VHDX_MB);
	/* block 1 is not present: zeros */
	memset(b, 0xaa, sizeof(b));
	assert_int_equal(disk_read(&d, VHDX_MB + 5, b, sizeof(b)), 0);
	assert_int_equal(b[0] | b[7], 0);
	run(&r, vhdx, sizeof(vhdx), FT_VHD);
	assert_non_null(child(&r, "invoice.lnk"));
	assert_non_null(child(&r, "DOCS/NOTE.TXT"));
	done(&r);

	/* a declared 1 EB disk: what the BAT covers */
	le64(vhdx + 320 * 1024 + 4104, (uint64_t)1 << 60);
	assert_int_equal(vhd_open(&d, span_make(vhdx, sizeof(vhdx)), &why), 0);
	assert_true(d.size <= (uint64_t)8192 * VHDX_MB);
	/* block 0 said to lie past the file */
	vhdx_make();
	le64(vhdx + 256 * 1024, (uint64_t)5000 << 20 | 6);
	run(&r, vhdx, sizeof(vhdx), FT_VHD);
	assert_true(has(&r, "archive.unsupported", "vhdx: no FAT volume"));
	done(&r);
	/* a differencing disk */
	vhdx_make();
	put32(vhdx + 320 * 1024 + 4100, 2);
	assert_int_equal(vhd_open(&d, span_make(vhdx, sizeof(vhdx)), &why), -1);
	assert_non_null(strstr(why, "differencing"));
	/* the BAT region outside the file */
	vhdx_make();
	le64(vhdx + 192 * 1024 + 32, 3 * VHDX_MB);
	assert_int_equal(vhd_open(&d, span_make(vhdx, sizeof(vhdx)), &why), -1);
	assert_non_null(strstr(why, "outside the file"));
	/* 4 KiB blocks */
	vhdx_make();
	put32(vhdx + 320 * 1024 + 4096, 4096);
	assert_int_equal(vhd_open(&d, span_make(vhdx, sizeof(vhdx)), &why), -1);
	/* metadata missing */
	vhdx_make();
	put16(vhdx + 320 * 1024 + 10, 2);
	assert_int_equal(vhd_open(&d, span_make(vhdx, sizeof(vhdx)), &why), -1);
	assert_non_null(strstr(why, "metadata"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_detect),
	    cmocka_unit_test(test_files),
	    cmocka_unit_test(test_hostile_chains),
	    cmocka_unit_test(test_hostile_dirs),
	    cmocka_unit_test(test_vhd_fixed),
	    cmocka_unit_test(test_vhd_dynamic),
	    cmocka_unit_test(test_vhdx),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
