/*
 * zip - opens a ZIP archive (libzip, from memory, read-only) and hands
 * every member, identified by its bytes, to dispatch_child(): a document
 * in a zip in a zip is scanned like an attachment. Encrypted members
 * (ZipCrypto, WinZip AES) are opened with the message's own password
 * candidates (passwords.h), cheapest check first: libzip refuses most wrong
 * passwords on open from the ZipCrypto check byte or the AES verifier,
 * before anything is inflated; a guess that passes is confirmed by reading
 * the member to its end (CRC or HMAC).
 *
 * Refuses nothing silently. Limits, each a finding:
 *   limits.nesting_depth        archive.depth_exceeded (not opened)
 *   limits.archive_entries, archive_ratio, archive_member_bytes,
 *   archive_head_bytes and the shared budget, as member.h says
 *   limits.password_tries, limits.password_ms  scan.limit
 * Members are read in ZIP_READ_CHUNK pieces, each taken from the budget;
 * no allocation follows a declared size.
 */
#include "zip.h"

#include <errno.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#include "dispatch.h"
#include "member.h"
#include "mime_text.h"
#include "utf8.h"
#include "zip_aes.h"

#define ZIP_READ_CHUNK	 65536
#define ZIP_NAME_CHARSET "CP932"

enum zip_read_status {
	ZIP_READ_DONE,	 /* to the end, checked */
	ZIP_READ_CUT,	 /* stopped by a limit */
	ZIP_READ_FAILED, /* corrupt, or a wrong password */
	ZIP_READ_LOCKED, /* encrypted, no password opened it */
};

struct zip_walk {
	struct scan_ctx *ctx;
	const struct part_ctx *part;
	zip_t *za;
	struct member_limits limits;
	const char *password; /* the last one that opened a member */
	const char *origin;
	int decrypted;	   /* archive.decrypted reported */
	unsigned locked;   /* encrypted members not opened */
	size_t tries_here; /* passwords tried on this archive */
	char error[128];   /* libzip's words for the last failure */
	int error_code;	   /* and its ZIP_ER_ code */
};

struct zip_member {
	zip_uint64_t index;
	char *name; /* UTF-8 */
	zip_stat_t st;
	size_t cap;   /* bytes to read at most */
	int reported; /* a limit of it reported by member_cap */
	enum member_cut cut;
	GByteArray *data;
};

static double zip_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/*
 * A member name as UTF-8: as stored when it is valid UTF-8 (flagged or
 * not), else from CP932 (Japanese Windows), else libzip's CP437 guess.
 */
static char *zip_member_name(zip_t *za, zip_uint64_t i)
{
	const char *raw = zip_get_name(za, i, ZIP_FL_ENC_RAW);
	const char *guess;
	char *out;

	if (!raw)
		return strdup("");
	if (utf8_valid(raw, strlen(raw)))
		return strdup(raw);
	out = g_convert(raw, -1, "UTF-8", ZIP_NAME_CHARSET, NULL, NULL, NULL);
	if (out && utf8_valid(out, strlen(out))) {
		char *copy = strdup(out);
		g_free(out);
		return copy;
	}
	g_free(out);
	guess = zip_get_name(za, i, 0);
	return utf8_repair(guess ? guess : raw, strlen(guess ? guess : raw));
}

/* Reads an opened member into m->data within every limit. */
static enum zip_read_status zip_read(struct zip_walk *w, zip_file_t *zf,
				     struct zip_member *m)
{
	char *buf = g_malloc(ZIP_READ_CHUNK);
	enum zip_read_status st = ZIP_READ_DONE;

	for (;;) {
		enum member_cut why;
		size_t room =
		    member_room(&w->limits, m->data->len, m->cap, &why);
		size_t want = room < ZIP_READ_CHUNK ? room : ZIP_READ_CHUNK;
		zip_int64_t n;
		char probe;

		if (want == 0) {
			/* at a limit: is there more to read? */
			n = zip_fread(zf, &probe, 1);
			if (n > 0) {
				m->cut = why;
				st = ZIP_READ_CUT;
			} else if (n < 0) {
				st = ZIP_READ_FAILED;
			}
			break;
		}
		n = zip_fread(zf, buf, want);
		if (n < 0) {
			st = ZIP_READ_FAILED;
			break;
		}
		if (n == 0)
			break;
		member_took(&w->limits, (size_t)n);
		g_byte_array_append(m->data, (guint8 *)buf, (guint)n);
	}
	if (st == ZIP_READ_FAILED) {
		w->error_code = zip_error_code_zip(zip_file_get_error(zf));
		snprintf(w->error, sizeof(w->error), "%s",
			 zip_error_strerror(zip_file_get_error(zf)));
	}
	g_free(buf);
	return st;
}

/*
 * Reads the rest of a stored member to its end, keeping nothing, so that
 * libzip checks its CRC; bounded by the archive's own size.
 */
static int zip_drain(zip_file_t *zf)
{
	char *buf = g_malloc(ZIP_READ_CHUNK);
	zip_int64_t n;

	while ((n = zip_fread(zf, buf, ZIP_READ_CHUNK)) > 0)
		;
	g_free(buf);
	return n < 0 ? -1 : 0;
}

static int zip_is_aes(const struct zip_member *m)
{
	return m->st.encryption_method == ZIP_EM_AES_128 ||
	       m->st.encryption_method == ZIP_EM_AES_192 ||
	       m->st.encryption_method == ZIP_EM_AES_256;
}

/* Opens and reads a member with password pw (NULL: not encrypted). */
static enum zip_read_status zip_try(struct zip_walk *w, struct zip_member *m,
				    const char *pw, int *wrong)
{
	zip_file_t *zf;
	enum zip_read_status st;
	int aes = -1;

	*wrong = 0;
	g_byte_array_set_size(m->data, 0);
	m->cut = MEMBER_CUT_NONE;
	zf = pw ? zip_fopen_index_encrypted(w->za, m->index, 0, pw)
		: zip_fopen_index(w->za, m->index, 0);
	if (!zf) {
		zip_error_t *e = zip_get_error(w->za);
		int code = zip_error_code_zip(e);
		*wrong = code == ZIP_ER_WRONGPASSWD;
		snprintf(w->error, sizeof(w->error), "%s",
			 zip_error_strerror(e));
		zip_error_clear(w->za);
		return ZIP_READ_FAILED;
	}
	if (pw && zip_is_aes(m) &&
	    (aes = zip_aes_password_ok(w->za, m->index, m->st.encryption_method,
				       pw)) == 0) {
		zip_fclose(zf);
		*wrong = 1;
		return ZIP_READ_FAILED;
	}
	st = zip_read(w, zf, m);
	/* a stored member cut short: its CRC still tells a wrong guess */
	if (pw && aes != 1 && st == ZIP_READ_CUT &&
	    (m->st.valid & ZIP_STAT_COMP_METHOD) &&
	    m->st.comp_method == ZIP_CM_STORE && zip_drain(zf) < 0)
		st = ZIP_READ_FAILED;
	zip_fclose(zf);
	/* the code matched: a CRC error is libzip's, on AE-2 (no CRC) */
	if (aes == 1 && st == ZIP_READ_FAILED && w->error_code == ZIP_ER_CRC)
		st = ZIP_READ_DONE;
	/* a guess past the check byte that breaks inflate or CRC */
	if (pw && st == ZIP_READ_FAILED)
		*wrong = 1;
	return st;
}

static enum zip_read_status zip_try_password(struct zip_walk *w,
					     struct zip_member *m,
					     const char *pw, int *wrong)
{
	double start = zip_now_ms();
	enum zip_read_status st = zip_try(w, m, pw, wrong);

	w->ctx->password_tries++;
	w->tries_here++;
	w->ctx->password_ms += zip_now_ms() - start;
	return st;
}

/* The last good password first, then every candidate, within the limits. */
static enum zip_read_status zip_try_passwords(struct zip_walk *w,
					      struct zip_member *m)
{
	const struct passwords *pw = &w->ctx->passwords;
	enum zip_read_status st;
	int wrong;

	if (mime_text_passwords(w->ctx) < 0)
		return ZIP_READ_LOCKED; /* out of memory: no candidates */

	if (w->password && !scan_password_limit(w->ctx, w->part->path)) {
		st = zip_try_password(w, m, w->password, &wrong);
		if (!wrong)
			return st;
	}
	for (size_t i = 0; i < passwords_count(pw); i++) {
		const struct passwords_candidate *c = passwords_get(pw, i);
		if (w->password && strcmp(c->text, w->password) == 0)
			continue;
		if (scan_password_limit(w->ctx, w->part->path))
			break;
		st = zip_try_password(w, m, c->text, &wrong);
		if (!wrong) {
			if (st != ZIP_READ_FAILED) {
				w->password = c->text;
				w->origin = c->origin;
			}
			return st;
		}
	}
	g_byte_array_set_size(m->data, 0);
	return ZIP_READ_LOCKED;
}

static void zip_member_scan(struct zip_walk *w, struct zip_member *m)
{
	int encrypted = (m->st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
			m->st.encryption_method != ZIP_EM_NONE;
	enum zip_read_status st;
	int wrong;

	m->cap = member_cap(&w->limits, m->name,
			    (m->st.valid & ZIP_STAT_SIZE) &&
				(m->st.valid & ZIP_STAT_COMP_SIZE),
			    m->st.size, m->st.comp_size, &m->reported);
	if (encrypted) {
		if (!zip_encryption_method_supported(m->st.encryption_method,
						     0)) {
			scan_finding(w->ctx, "archive.unsupported",
				     w->part->path, "%s: encryption method %u",
				     m->name,
				     (unsigned)m->st.encryption_method);
			w->locked++;
			return;
		}
		st = zip_try_passwords(w, m);
		if (st == ZIP_READ_LOCKED) {
			w->locked++;
			return;
		}
		if (st != ZIP_READ_FAILED && !w->decrypted) {
			w->decrypted = 1;
			scan_finding(w->ctx, "archive.decrypted", w->part->path,
				     "password from %s", w->origin);
		}
	} else {
		st = zip_try(w, m, NULL, &wrong);
	}
	if (st == ZIP_READ_FAILED)
		scan_finding(w->ctx, "archive.unsupported", w->part->path,
			     "%s: cannot read: %s", m->name, w->error);
	member_report_cut(&w->limits, m->name, m->cut, m->reported);
	if (st == ZIP_READ_FAILED && m->data->len == 0)
		return;
	dispatch_child(w->ctx, w->part, m->name,
		       span_make(m->data->data, m->data->len),
		       st != ZIP_READ_DONE || m->cut != MEMBER_CUT_NONE);
}

static const char *zip_method_name(zip_uint16_t method)
{
	switch (method) {
	case ZIP_EM_TRAD_PKWARE: return "ZipCrypto";
	case ZIP_EM_AES_128: return "AES-128";
	case ZIP_EM_AES_192: return "AES-192";
	case ZIP_EM_AES_256: return "AES-256";
	default: return "other";
	}
}

/* archive.encrypted once per archive: how many members, which method. */
static void zip_report_encrypted(struct zip_walk *w, zip_int64_t n)
{
	zip_int64_t count = 0;
	zip_uint16_t method = ZIP_EM_NONE;

	for (zip_int64_t i = 0; i < n; i++) {
		zip_stat_t st;
		if (zip_stat_index(w->za, (zip_uint64_t)i, 0, &st) < 0 ||
		    !(st.valid & ZIP_STAT_ENCRYPTION_METHOD) ||
		    st.encryption_method == ZIP_EM_NONE)
			continue;
		if (!count)
			method = st.encryption_method;
		count++;
	}
	if (count)
		scan_finding(w->ctx, "archive.encrypted", w->part->path,
			     "%lld of %lld members, %s", (long long)count,
			     (long long)n, zip_method_name(method));
}

static int zip_walk_members(struct zip_walk *w)
{
	zip_int64_t n = zip_get_num_entries(w->za, 0);
	int rc = 0;

	zip_report_encrypted(w, n);
	for (zip_int64_t i = 0; i < n && rc == 0; i++) {
		struct zip_member m = {.index = (zip_uint64_t)i};
		size_t len;
		if (zip_stat_index(w->za, m.index, 0, &m.st) < 0)
			continue;
		if (member_next(&w->limits, (unsigned long long)n))
			break;
		m.name = zip_member_name(w->za, m.index);
		if (!m.name)
			return -1;
		len = strlen(m.name);
		if (len > 0 && m.name[len - 1] == '/' &&
		    (!(m.st.valid & ZIP_STAT_SIZE) || m.st.size == 0)) {
			free(m.name);
			continue;
		}
		m.data = g_byte_array_new();
		zip_member_scan(w, &m);
		g_byte_array_unref(m.data);
		free(m.name);
	}
	if (w->locked)
		scan_finding(w->ctx, "archive.password_unknown", w->part->path,
			     "%u encrypted members not opened, %zu passwords "
			     "tried",
			     w->locked, w->tries_here);
	return rc;
}

zip_t *zip_open_span(struct span s, zip_error_t *err)
{
	zip_source_t *src = zip_source_buffer_create(s.ptr, s.len, 0, err);
	zip_t *za;

	if (!src)
		return NULL;
	za = zip_open_from_source(src, ZIP_RDONLY, err);
	if (!za)
		zip_source_free(src);
	return za;
}

int zip_analyze(struct scan_ctx *ctx, const struct part_ctx *part)
{
	struct zip_walk w = {.ctx = ctx, .part = part};
	zip_error_t err;
	int rc;

	if (ctx->nesting >= ctx->limits->nesting_depth) {
		scan_finding(ctx, "archive.depth_exceeded", part->path,
			     "nesting over %u", ctx->limits->nesting_depth);
		return 0;
	}
	zip_error_init(&err);
	w.za = zip_open_span(part->content, &err);
	if (!w.za) {
		rc = zip_error_code_zip(&err) == ZIP_ER_MEMORY ? -1 : 0;
		if (rc == 0)
			scan_finding(ctx, "archive.unsupported", part->path,
				     "zip: %s%s", zip_error_strerror(&err),
				     part->truncated ? " (cut short)" : "");
		zip_error_fini(&err);
		return rc;
	}
	zip_error_fini(&err);
	member_limits_init(&w.limits, ctx, part);
	rc = zip_walk_members(&w);
	zip_discard(w.za);
	return rc;
}
