/*
 * reply_text - makes a text safe for an SMTP reply: printable ASCII only
 * (anything else becomes '?'), runs of spaces folded, at most
 * REPLY_TEXT_MAX characters. '%' is doubled later, by the milter, since
 * libmilter's smfi_setreply formats it.
 */
#ifndef KENSA_REPLY_TEXT_H
#define KENSA_REPLY_TEXT_H

#define REPLY_TEXT_MAX 450

char *reply_text_sanitize(const char *text);

#endif
