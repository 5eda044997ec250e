/*
 * envelope_file - the envelope of a stored message, from the JSON file
 * beside it: MESSAGE.json or, for NAME.eml, NAME.json. Two shapes are
 * read: a plain sidecar {"sender", "recipients", "client_addr", "helo",
 * "auth", "daemon_name", "direction"} and kensa's event object (the
 * quarantine store's metadata), with "envelope" and "client". Without
 * "direction" the envelope's direction is classified when it is scanned
 * (cli_scan). Files over ENVELOPE_FILE_MAX bytes are ignored.
 */
#ifndef KENSA_ENVELOPE_FILE_H
#define KENSA_ENVELOPE_FILE_H

#include "../parser/envelope.h"

#define ENVELOPE_FILE_MAX (1u << 20)

/* 1 and *env filled (free with envelope_file_free), 0 when none. */
int envelope_file_load(const char *message_path, struct envelope *env);
void envelope_file_free(struct envelope *env);

#endif
