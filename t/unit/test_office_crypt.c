/*
 * test_office_crypt - parser/office_crypt_info and parser/office_crypt:
 * EncryptionInfo of both kinds, key derivation and package decryption as
 * known answers, and the analyzer step with its limits. The fixtures in
 * t/data/office_crypt were written by t/tools/office_encrypt.py and the
 * expected keys were printed by msoffcrypto-tool 5.0 (an independent
 * implementation, which also checked the dataIntegrity HMAC):
 *   agile-sha512.bin     agile, AES-256, SHA-512, spinCount 100000,
 *                        password "秘密pass" (non-ASCII: UTF-16LE)
 *   standard-aes128.bin  standard, AES-128, SHA-1, "VelvetSweatshop"
 * Both hold plain.zip.
 *   rc4-cryptoapi.xls    a Workbook stream (xlm.biff: a very hidden macro
 *                        sheet and Auto_Open) under RC4 CryptoAPI 128-bit,
 *                        "VelvetSweatshop"
 *   rc4-97.xls           the same under Office 97 RC4, "pass97"
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../parser/cfb.h"
#include "../../parser/office.h"
#include "../../parser/office_crypt.h"
#include "../../parser/office_crypt_biff.h"
#include "../../parser/office_crypt_info.h"
#include "testutil.h"

#define AGILE_PASSWORD "\xe7\xa7\x98\xe5\xaf\x86pass"
#define AGILE_KEY                                                              \
	"d603d8df2e4bc165a5bb0a839a31640727bb7993694b7d393125b9112e55a39c"
#define STANDARD_KEY "9af313c544e347b47aa05a17b29800fd"

struct tctx {
	struct scan_limits limits;
	struct report report;
	struct scan_ctx ctx;
	struct part_path path;
};

static void tctx_init(struct tctx *t)
{
	static const struct scan_limits defaults = SCAN_LIMITS_DEFAULT;

	memset(t, 0, sizeof(*t));
	t->limits = defaults;
	report_init(&t->report, t->limits.findings);
	t->ctx.limits = &t->limits;
	t->ctx.report = &t->report;
	t->ctx.budget_left = t->limits.decoded_bytes;
}

static uint8_t *fixture(const char *name, size_t *len)
{
	char path[1024];
	uint8_t *buf;

	snprintf(path, sizeof(path), "%s/t/data/office_crypt/%s", SRCDIR, name);
	buf = test_read_file(path, len);
	assert_non_null(buf);
	return buf;
}

/* A stream of a fixture: *stream (caller frees). */
static void fixture_stream(const char *name, const char *stream, uint8_t **out,
			   size_t *len)
{
	struct tctx t;
	struct cfb c;
	size_t flen;
	uint8_t *file = fixture(name, &flen);
	uint32_t id;

	tctx_init(&t);
	assert_int_equal(cfb_open(&c, span_make(file, flen), &t.ctx), CFB_OK);
	assert_int_equal(cfb_child(&c, 0, stream, &id), 0);
	assert_int_equal(cfb_read(&c, id, out, len), CFB_OK);
	cfb_close(&c);
	free(file);
	report_free(&t.report);
}

static void parse_fixture(const char *name, struct office_crypt_info *ci)
{
	uint8_t *info;
	size_t len;

	fixture_stream(name, "EncryptionInfo", &info, &len);
	assert_int_equal(office_crypt_info_parse(span_make(info, len), ci),
			 OFFICE_CRYPT_OK);
	free(info);
}

static void expect_hex(const uint8_t *b, size_t len, const char *hex)
{
	char got[2 * OFFICE_CRYPT_KEY_MAX + 1];

	assert_int_equal(len * 2, strlen(hex));
	for (size_t i = 0; i < len; i++)
		snprintf(got + 2 * i, 3, "%02x", b[i]);
	assert_string_equal(got, hex);
}

static void test_info_agile(void **state)
{
	struct office_crypt_info ci;
	char what[96];

	(void)state;
	parse_fixture("agile-sha512.bin", &ci);
	assert_int_equal(ci.kind, OFFICE_CRYPT_AGILE);
	assert_int_equal(ci.version_major, 4);
	assert_int_equal(ci.version_minor, 4);
	assert_int_equal(ci.spin_count, 100000);
	assert_int_equal(ci.key.hash, OFFICE_CRYPT_SHA512);
	assert_int_equal(ci.key.hash_bytes, 64);
	assert_int_equal(ci.key.key_bytes, 32);
	assert_int_equal(ci.key.salt.len, 16);
	assert_int_equal(ci.data.key_bytes, 32);
	assert_int_equal(ci.data.salt.len, 16);
	assert_int_equal(ci.verifier.len, 16);
	assert_int_equal(ci.verifier_hash.len, 64);
	assert_int_equal(ci.encrypted_key.len, 32);
	office_crypt_info_describe(&ci, what, sizeof(what));
	assert_string_equal(what, "agile AES-256 SHA512 100000 rounds");
}

static void test_info_standard(void **state)
{
	struct office_crypt_info ci;
	char what[96];

	(void)state;
	parse_fixture("standard-aes128.bin", &ci);
	assert_int_equal(ci.kind, OFFICE_CRYPT_STANDARD);
	assert_int_equal(ci.version_major, 4);
	assert_int_equal(ci.version_minor, 2);
	assert_int_equal(ci.spin_count, 50000);
	assert_int_equal(ci.key.hash, OFFICE_CRYPT_SHA1);
	assert_int_equal(ci.key.key_bytes, 16);
	assert_int_equal(ci.verifier.len, 16);
	assert_int_equal(ci.verifier_hash.len, 32);
	office_crypt_info_describe(&ci, what, sizeof(what));
	assert_string_equal(what, "standard AES-128 SHA1 50000 rounds");
}

/* The agile fixture's EncryptionInfo with one text replaced. */
static int parse_edited(const char *from, const char *to,
			struct office_crypt_info *ci)
{
	uint8_t *info, *edited;
	size_t len, flen = strlen(from), tlen = strlen(to), at;
	int rc;

	fixture_stream("agile-sha512.bin", "EncryptionInfo", &info, &len);
	for (at = 8; at + flen <= len; at++)
		if (memcmp(info + at, from, flen) == 0)
			break;
	assert_true(at + flen <= len);
	edited = malloc(len - flen + tlen);
	assert_non_null(edited);
	memcpy(edited, info, at);
	memcpy(edited + at, to, tlen);
	memcpy(edited + at + tlen, info + at + flen, len - at - flen);
	rc = office_crypt_info_parse(span_make(edited, len - flen + tlen), ci);
	free(edited);
	free(info);
	return rc;
}

static void test_info_refused(void **state)
{
	static const uint8_t extensible[8] = {4, 0, 3, 0, 0, 0, 0, 0};
	static const uint8_t odd_version[8] = {9, 0, 9, 0, 0x40, 0, 0, 0};
	struct office_crypt_info ci;
	uint8_t *info;
	size_t len;

	(void)state;
	assert_int_equal(office_crypt_info_parse(span_make(extensible, 4), &ci),
			 OFFICE_CRYPT_E_FORMAT);
	assert_int_equal(office_crypt_info_parse(span_make(extensible, 8), &ci),
			 OFFICE_CRYPT_E_UNSUPPORTED);
	assert_string_equal(ci.reason, "extensible encryption");
	assert_int_equal(
	    office_crypt_info_parse(span_make(odd_version, 8), &ci),
	    OFFICE_CRYPT_E_UNSUPPORTED);
	assert_string_equal(ci.reason, "version 9.9");
	assert_int_equal(
	    parse_edited("spinCount=\"100000\"", "spinCount=\"1000001\"", &ci),
	    OFFICE_CRYPT_E_UNSUPPORTED);
	assert_string_equal(ci.reason, "spinCount over the limit");
	assert_int_equal(parse_edited("cipherAlgorithm=\"AES\"",
				      "cipherAlgorithm=\"DES\"", &ci),
			 OFFICE_CRYPT_E_UNSUPPORTED);
	assert_int_equal(parse_edited("hashAlgorithm=\"SHA512\"",
				      "hashAlgorithm=\"MD5\"", &ci),
			 OFFICE_CRYPT_E_UNSUPPORTED);
	assert_int_equal(parse_edited("keyEncryptor/password\">",
				      "keyEncryptor/certificate\">", &ci),
			 OFFICE_CRYPT_E_UNSUPPORTED);
	assert_string_equal(ci.reason, "no password key encryptor");
	assert_int_equal(parse_edited("saltValue=\"", "saltValue=\"!", &ci),
			 OFFICE_CRYPT_E_FORMAT);
	assert_int_equal(
	    parse_edited("saltSize=\"16\"", "saltSize=\"17\"", &ci),
	    OFFICE_CRYPT_E_FORMAT);
	/* every prefix of a good stream is refused or read, never overread */
	fixture_stream("standard-aes128.bin", "EncryptionInfo", &info, &len);
	for (size_t n = 0; n < len; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		assert_non_null(copy);
		memcpy(copy, info, n);
		assert_int_not_equal(
		    office_crypt_info_parse(span_make(copy, n), &ci),
		    OFFICE_CRYPT_OK);
		free(copy);
	}
	/* an RC4 CryptoAPI header (algID 0x6801) */
	info[20] = 0x01, info[21] = 0x68;
	assert_int_equal(office_crypt_info_parse(span_make(info, len), &ci),
			 OFFICE_CRYPT_E_UNSUPPORTED);
	assert_string_equal(ci.reason, "RC4 CryptoAPI");
	free(info);
}

static void expect_decrypts(const char *name, const char *password,
			    const char *key_hex)
{
	struct office_crypt_info ci;
	uint8_t key[OFFICE_CRYPT_KEY_MAX], *package, *plain, *want;
	size_t key_len, len, want_len;
	uint64_t size;

	parse_fixture(name, &ci);
	assert_int_equal(office_crypt_derive(&ci, "wrong", 5, key, &key_len),
			 1);
	assert_int_equal(
	    office_crypt_derive(&ci, password, strlen(password), key, &key_len),
	    0);
	expect_hex(key, key_len, key_hex);
	fixture_stream(name, "EncryptedPackage", &package, &len);
	want = fixture("plain.zip", &want_len);
	assert_int_equal(
	    office_crypt_package_size(span_make(package, len), &size), 0);
	assert_int_equal(size, want_len);
	plain = malloc(want_len);
	assert_non_null(plain);
	assert_int_equal(office_crypt_decrypt(&ci, key, key_len,
					      span_make(package, len), plain,
					      want_len),
			 0);
	assert_memory_equal(plain, want, want_len);
	/* a package cut short is refused, not overread */
	assert_int_not_equal(
	    office_crypt_decrypt(&ci, key, key_len,
				 span_make(package, len - 4096), plain,
				 want_len),
	    0);
	/* a size over the bytes that follow it */
	assert_int_equal(office_crypt_package_size(
			     span_make(package, 8 + want_len - 1), &size),
			 -1);
	free(plain);
	free(want);
	free(package);
}

static void test_derive_agile(void **state)
{
	(void)state;
	expect_decrypts("agile-sha512.bin", AGILE_PASSWORD, AGILE_KEY);
}

static void test_derive_standard(void **state)
{
	(void)state;
	expect_decrypts("standard-aes128.bin", "VelvetSweatshop", STANDARD_KEY);
}

static const struct finding *find(const struct report *r, const char *id)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].id, id) == 0)
			return &r->findings[i];
	return NULL;
}

/* A fixture through the office analyzer as an attachment named name. */
static void analyze(struct tctx *t, const char *fixture_name, const char *name)
{
	struct part_ctx part;
	size_t len;
	uint8_t *buf = fixture(fixture_name, &len);

	memset(&part, 0, sizeof(part));
	part.path = &t->path;
	part.filename = name;
	part.type = FT_CFB;
	part.content = span_make(buf, len);
	assert_true(office_analyze(&t->ctx, &part) >= 0);
	free(buf);
}

static void test_open_velvet(void **state)
{
	struct tctx t;
	const struct finding *f;

	(void)state;
	tctx_init(&t);
	analyze(&t, "standard-aes128.bin", "book.xlsx");
	f = find(&t.report, "office.decrypted");
	assert_non_null(f);
	assert_string_equal(f->detail,
			    "password from Excel's built-in default "
			    "VelvetSweatshop; standard AES-128 SHA1 50000 "
			    "rounds");
	assert_null(find(&t.report, "office.encrypted"));
	assert_int_equal(t.ctx.password_tries, 1);
	/* the package was scanned as a child: a ZIP part under it */
	assert_true(t.report.nparts >= 1);
	report_free(&t.report);

	/* not a workbook, no message texts: nothing to try */
	tctx_init(&t);
	analyze(&t, "standard-aes128.bin", "letter.docx");
	f = find(&t.report, "office.encrypted");
	assert_non_null(f);
	assert_string_equal(f->detail,
			    "EncryptedPackage, standard AES-128 SHA1 50000 "
			    "rounds, password unknown, 0 passwords tried");
	assert_null(find(&t.report, "office.decrypted"));
	report_free(&t.report);
}

static void test_open_limits(void **state)
{
	struct tctx t;
	const struct finding *f;

	(void)state;
	/* the per-document limit */
	tctx_init(&t);
	t.limits.office_password_tries = 0;
	analyze(&t, "standard-aes128.bin", "book.xlsx");
	f = find(&t.report, "office.encrypted");
	assert_non_null(f);
	assert_non_null(strstr(f->detail, "0 passwords tried (limit reached)"));
	assert_null(find(&t.report, "scan.limit"));
	report_free(&t.report);

	/* the message's time, spent already */
	tctx_init(&t);
	t.ctx.password_ms = t.limits.password_ms;
	analyze(&t, "agile-sha512.bin", "book.xlsm");
	assert_non_null(find(&t.report, "office.encrypted"));
	f = find(&t.report, "scan.limit");
	assert_non_null(f);
	assert_string_equal(f->detail, "password time over 2000 ms");
	report_free(&t.report);

	/* the budget cannot hold the decrypted package */
	tctx_init(&t);
	t.limits.decoded_bytes = 20000;
	t.ctx.budget_left = 20000;
	analyze(&t, "standard-aes128.bin", "book.xlsx");
	assert_non_null(find(&t.report, "office.decrypted"));
	f = find(&t.report, "scan.limit");
	assert_non_null(f);
	assert_non_null(strstr(f->detail, "EncryptedPackage"));
	report_free(&t.report);
}

/* The fixture's Workbook decrypts to xlm.biff with FILEPASS after BOF. */
static void expect_biff(const char *name, const char *password, int cryptoapi)
{
	struct office_crypt_rc4_info info;
	uint8_t *wb, *plain, base[20];
	size_t len, plen, at, after;
	char reason[64];

	fixture_stream(name, "Workbook", &wb, &len);
	plain = fixture("xlm.biff", &plen);
	assert_int_equal(office_crypt_biff_filepass(span_make(wb, len), &info,
						    &at, &after, reason,
						    sizeof(reason)),
			 0);
	assert_int_equal(info.cryptoapi, cryptoapi);
	assert_int_equal(info.key_bytes, 16);
	assert_int_equal(at, 20); /* after the 20-byte BOF */
	assert_int_equal(len - after, plen - 20);
	assert_int_equal(office_crypt_rc4_verify(&info, "wrong", 5, base), 1);
	assert_int_equal(
	    office_crypt_rc4_verify(&info, password, strlen(password), base),
	    0);
	assert_memory_not_equal(wb + after, plain + 20, plen - 20);
	office_crypt_biff_decrypt(&info, base, wb, len, at, after);
	assert_memory_equal(wb + after, plain + 20, plen - 20);
	assert_memory_equal(wb, plain, 20);
	assert_int_equal(wb[at] | wb[at + 1], 0); /* FILEPASS renamed */
	free(plain);
	free(wb);
}

static void test_biff_rc4(void **state)
{
	(void)state;
	expect_biff("rc4-cryptoapi.xls", "VelvetSweatshop", 1);
	expect_biff("rc4-97.xls", "pass97", 0);
}

static void test_biff_open(void **state)
{
	/* BOF, then FILEPASS with wEncryptionType 0: XOR obfuscation */
	static const uint8_t xor_wb[] = {0x09, 0x08, 0x04, 0x00, 0x00, 0x06,
					 0x05, 0x00, 0x2F, 0x00, 0x06, 0x00,
					 0x00, 0x00, 0x12, 0x34, 0x56, 0x78};
	struct office_crypt_rc4_info info;
	struct tctx t;
	const struct finding *f;
	size_t at, after;
	char reason[64];

	(void)state;
	tctx_init(&t);
	analyze(&t, "rc4-cryptoapi.xls", "invoice.xls");
	f = find(&t.report, "office.decrypted");
	assert_non_null(f);
	assert_string_equal(f->detail,
			    "password from Excel's built-in default "
			    "VelvetSweatshop; workbook RC4 CryptoAPI 128-bit");
	assert_non_null(find(&t.report, "office.xlm.autoexec"));
	assert_non_null(find(&t.report, "office.xlm.hidden"));
	assert_null(find(&t.report, "office.encrypted"));
	report_free(&t.report);

	/* no message texts: VelvetSweatshop only, and it is not that */
	tctx_init(&t);
	analyze(&t, "rc4-97.xls", NULL);
	f = find(&t.report, "office.encrypted");
	assert_non_null(f);
	assert_string_equal(f->detail,
			    "workbook FILEPASS, RC4 40-bit (Office 97), "
			    "password unknown, 1 passwords tried");
	assert_null(find(&t.report, "office.xlm.autoexec"));
	report_free(&t.report);

	assert_true(office_crypt_biff_filepass(
			span_make(xor_wb, sizeof(xor_wb)), &info, &at, &after,
			reason, sizeof(reason)) < 0);
	assert_string_equal(reason, "XOR obfuscation");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_info_agile),
	    cmocka_unit_test(test_info_standard),
	    cmocka_unit_test(test_info_refused),
	    cmocka_unit_test(test_derive_agile),
	    cmocka_unit_test(test_derive_standard),
	    cmocka_unit_test(test_open_velvet),
	    cmocka_unit_test(test_open_limits),
	    cmocka_unit_test(test_biff_rc4),
	    cmocka_unit_test(test_biff_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
