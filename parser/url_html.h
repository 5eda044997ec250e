/*
 * url_html - the URLs of an HTML text, read with libxml2's HTML parser in
 * SAX (push) mode. Chosen over gumbo: it is packaged and kept in Debian,
 * streams (no tree is built, memory stays flat however long the body),
 * decodes entities in attributes and text, and is fast; HTML5 tree
 * building rules do not matter for collecting links.
 *
 * Reads the href, src, action, formaction, background and poster
 * attributes of every element (<a>, <area>, <link>, <img>, <form>,
 * <button>, <iframe>, ...), <object data>, <meta http-equiv=refresh>
 * content, the first absolute <base href> (applied to the relative
 * references after it; without one, relative references are dropped),
 * and the visible text of each <a>; a text that names none of those
 * attributes is not parsed at all. The text is UTF-8 (charset and
 * transfer encoding decoded by mime.c); an encoding the document declares
 * is ignored. Refuses nothing: malformed HTML is read as browsers would,
 * as far as libxml2 goes, and never an error.
 *
 * Limits: URL_HTML_TEXT_BYTES of an anchor's text are kept; libxml2's own
 * limits (nesting depth, name and text lengths) apply; the sink counts
 * URLs (limits.urls). No network access (HTML_PARSE_NONET).
 */
#ifndef KENSA_URL_HTML_H
#define KENSA_URL_HTML_H

#include "span.h"

#define URL_HTML_TEXT_BYTES 1024

/* A negative return of a sink stops the scan as an error, a positive one
 * stops it as done (nothing more is wanted, e.g. a limit is reached). */
struct url_html_sink {
	void *arg;
	/* each absolute URL as found (or as resolved against <base>) */
	int (*found)(void *arg, struct span url);
	/* each <a> with an absolute href: the href and its visible text */
	int (*anchor)(void *arg, struct span href, struct span text);
};

/* 0; -1 when memory ran out or a sink returned negative. */
int url_html_scan(struct span html, const struct url_html_sink *sink);

#endif
