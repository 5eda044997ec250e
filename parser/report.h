/*
 * report - what a scan found: the parts of a message and the findings on
 * them. Every string a report holds is valid UTF-8: bytes from the message
 * are repaired on the way in (utf8_repair), so JSON, logs and headers built
 * from a report never carry invalid sequences.
 *
 * Limits: at most max_findings findings are kept; the last one kept is
 * then scan.limit ("findings limit reached") and the rest are counted in
 * dropped_findings. A path has at most PATH_MAX_ELEMS elements.
 *
 * URLs: each distinct URL (normalized, parser/url.h) once per message,
 * with the part it was first found in; a hash index makes the lookup
 * constant time. The count is capped by the caller (limits.urls).
 */
#ifndef KENSA_REPORT_H
#define KENSA_REPORT_H

#include <stddef.h>

#define PATH_MAX_ELEMS 16

struct part_path {
	size_t n;
	char *elem[PATH_MAX_ELEMS];
};

struct finding {
	char *id;
	struct part_path part;
	char *detail;
};

struct part_info {
	struct part_path path;
	char *type;	/* detected from the bytes */
	char *declared; /* Content-Type as the message says */
	char *filename; /* decoded to UTF-8, or NULL */
	size_t size;	/* decoded size */
	char sha256[65];
};

/* At most REPORT_MAX_HEADERS fields of REPORT_MAX_HEADER_VALUE bytes. */
#define REPORT_MAX_HEADERS	256
#define REPORT_MAX_HEADER_VALUE 4096

struct header_field {
	char *name;
	char *value;
};

struct report_url {
	char *url; /* normalized */
	struct part_path part;
};

struct report {
	struct finding *findings;
	size_t nfindings, findings_cap;
	size_t max_findings;
	size_t dropped_findings;
	struct part_info *parts;
	size_t nparts, parts_cap;
	struct report_url *urls;
	size_t nurls, urls_cap;
	size_t *url_index; /* open addressing: 1 + index into urls, 0 free */
	size_t url_index_cap;
	char *message_id;
	char *subject;
	char *from;		      /* the From header as text */
	char *from_addr;	      /* its first mailbox address, or NULL */
	size_t size;		      /* bytes of the message as received */
	struct header_field *headers; /* top-level header, decoded */
	size_t nheaders, headers_cap;
	double elapsed_ms;
};

void report_init(struct report *r, size_t max_findings);
void report_free(struct report *r);
int report_add_finding(struct report *r, const char *id,
		       const struct part_path *part, const char *detail,
		       size_t detail_len);
int report_add_part(struct report *r, const struct part_info *info);
/* Records url (found in part, NULL: the message) unless recorded already:
 * 0 when added, 1 when it was there, -ENOMEM. */
int report_add_url(struct report *r, const struct part_path *part,
		   const char *url, size_t len);
int report_has_url(const struct report *r, const char *url, size_t len);
int report_add_header(struct report *r, const char *name, const char *value);
int report_has_finding(const struct report *r, const char *id);
/* Removes the findings whose id starts with prefix. */
void report_drop_findings(struct report *r, const char *prefix);

int path_set(struct part_path *dst, const struct part_path *src);
int path_push(struct part_path *p, const char *elem, size_t len);
void path_clear(struct part_path *p);

char *report_strdup(const char *s, size_t len);

#endif
