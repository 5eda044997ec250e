/*
 * markers - dangerous file types told by their bytes where the file type
 * alone (filetype.h) does not tell them: compiled HTML help (ITSF), a
 * Windows Installer package (a compound file whose root storage has the
 * MSI or MSP class id), an Excel add-in (a DLL naming xlAutoOpen), script files
 * by their content (<hta:application, a <job> with a <script>, #@~^ encoded
 * scripts) and HTML smuggling (an HTML file that builds a file with script and
 * offers it for download). Reads at most MARKERS_SCAN_BYTES of a part; the
 * compound-file header and root entry only within the span.
 */
#ifndef KENSA_MARKERS_H
#define KENSA_MARKERS_H

#include <stddef.h>

#include "span.h"

#define MARKERS_SCAN_BYTES (4u << 20)

int markers_chm(struct span s);
/* a DLL that names xlAutoOpen: an Excel add-in (XLL); reads all of s */
int markers_xll(struct span s);
/* "msi" or "msp", or NULL */
const char *markers_installer(struct span s);
/* the marker found ("<hta:application", "<job", "#@~^"), or NULL */
const char *markers_script(struct span s);
/* Writes what gave it away into detail; 1 when it is HTML smuggling. */
int markers_html_smuggling(struct span s, char *detail, size_t len);

#endif
