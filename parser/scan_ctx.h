/*
 * scan_ctx - the state of one message's scan, shared by the MIME walk and
 * the analyzers: the report being filled, the limits and the one
 * expanded-bytes budget every decoder draws on.
 */
#ifndef KENSA_SCAN_CTX_H
#define KENSA_SCAN_CTX_H

#include "filetype.h"
#include "limits.h"
#include "passwords.h"
#include "report.h"
#include "span.h"

struct yara_rules;

struct scan_ctx {
	const struct scan_limits *limits;
	const struct yara_rules *yara;
	struct report *report;
	size_t budget_left;
	unsigned nparts;
	unsigned nesting;	      /* containers opened above this part */
	unsigned long long warned;    /* parser warnings already reported */
	const char *common_passwords; /* whitespace-separated */
	struct passwords passwords;   /* candidates from the message's texts */
	/* the message whose texts are read for candidates when the first
	 * protected container needs them (mime_text.h), or NULL */
	struct _GMimeMessage *password_texts;
	unsigned archive_members; /* members read, all archives */
	unsigned password_tries;  /* passwords tried, all containers */
	double password_ms;	  /* time spent trying them */
	int password_limit_hit;	  /* scan.limit for tries or time made */
	int url_limit_hit;	  /* scan.limit for limits.urls made */
};

/* One part handed to the analyzers. */
struct part_ctx {
	const struct part_path *path;
	const char *filename; /* UTF-8 or NULL */
	const char *declared; /* declared MIME type, lower case */
	enum filetype type;
	struct span content; /* decoded bytes */
	int truncated;	     /* content cut short by a limit */
};

int scan_finding(struct scan_ctx *ctx, const char *id,
		 const struct part_path *part, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* 1 when the message's password tries or time are spent (the first time,
 * with scan.limit on part saying which); 0 while they last. */
int scan_password_limit(struct scan_ctx *ctx, const struct part_path *part);

/* Take up to want bytes from the budget; returns what was granted. */
size_t scan_budget_take(struct scan_ctx *ctx, size_t want);

#endif
