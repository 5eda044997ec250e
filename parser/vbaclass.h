/*
 * vbaclass - what a VBA module's source does, mraptor-style: procedures
 * that run by themselves (AutoOpen, Document_Open, Workbook_Open, ActiveX
 * and UserForm event handlers such as CommandButton1_Click), file writes,
 * program execution and the usual signs of malware (PowerShell,
 * downloaders, Chr() concatenation, long base64 or hex literals). Reads
 * UTF-8 source text line by line; comments are skipped. Each hit goes to
 * a callback with its class and keyword; URLs and bare IPv4 addresses in
 * the text (comments included) go to a second callback. No allocation, one pass.
 */
#ifndef KENSA_VBACLASS_H
#define KENSA_VBACLASS_H

#include "span.h"

enum vbaclass_kind {
	VBACLASS_AUTOEXEC,
	VBACLASS_WRITE,
	VBACLASS_EXECUTE,
	VBACLASS_SUSPICIOUS,
	VBACLASS_COUNT
};

struct vbaclass_sink {
	void *arg;
	/* keyword: the matched procedure or keyword, as written in source */
	int (*hit)(void *arg, enum vbaclass_kind kind, struct span keyword);
	int (*url)(void *arg, struct span url);
};

int vbaclass_scan(struct span text, const struct vbaclass_sink *sink);
const char *vbaclass_finding(enum vbaclass_kind kind);

#endif
