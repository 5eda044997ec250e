/*
 * url_text - the URLs of a plain text: http, https, ftp and ftps URLs and
 * scheme-less "www." hosts, also glued to Japanese text, inside full-width
 * brackets or followed by full-width punctuation. The text is UTF-8
 * (transfer encoding and charset already decoded, mime.c).
 *
 * A URL ends at white space, a control byte, one of <>"'`{}|\^, or a
 * non-ASCII character; a host written in Unicode (an IDN) runs on until
 * white space or punctuation, ASCII or full-width, unless its ASCII part
 * already ends in a letter TLD ("example.comです" stops after "com").
 * Trailing punctuation (.,;:!?*) and unbalanced closing brackets are not
 * part of it. Reads every byte once; no allocation; no limit of its own
 * (the sink counts).
 */
#ifndef KENSA_URL_TEXT_H
#define KENSA_URL_TEXT_H

#include "span.h"

/* Called with each URL as found; a negative return stops the scan (an
 * error), a positive one too (nothing more is wanted). */
typedef int (*url_sink_fn)(void *arg, struct span url);

/* 0, or what a sink returned negative. */
int url_text_scan(struct span text, url_sink_fn sink, void *arg);

#endif
