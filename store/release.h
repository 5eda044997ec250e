/*
 * release - the release stamp and the re-injection of a quarantined
 * message. The stamp is the header
 *   X-Kensa-Released: ID; hmac=HEX
 * where HEX is HMAC-SHA256, keyed by state_dir/release.key (32 random
 * bytes, mode 0640, made by the daemon at start), over "ID:" and the
 * message's content digest (parser/content_digest.h), which the stamp
 * itself and the Received fields do not change. release_send() hands a
 * message with one header field added (the stamp, or the mark of a
 * copy_to copy) over SMTP (libcurl) to the listener of release_smtp, which
 * must bypass the filter. Values from the message never reach the
 * SMTP command line unchecked: addresses with CR, LF or <> are refused.
 */
#ifndef KENSA_RELEASE_H
#define KENSA_RELEASE_H

#include <stddef.h>

#include "../parser/span.h"

#define RELEASE_HEADER	"X-Kensa-Released"
#define RELEASE_KEY_LEN 32

int release_key_ensure(const char *state_dir,
		       unsigned char key[RELEASE_KEY_LEN]);
int release_key_load(const char *state_dir, unsigned char key[RELEASE_KEY_LEN]);
/* The header value for id and a message's content digest (malloc'd). */
char *release_stamp(const unsigned char key[RELEASE_KEY_LEN], const char *id,
		    const char *digest);
/* 1 if value is a valid stamp for the message of that digest, else 0. */
int release_stamp_valid(const unsigned char key[RELEASE_KEY_LEN],
			const char *value, const char *digest, char id_out[64]);
/* Sends message, with the header field `header` ("Name: value") put in
 * front, from sender to rcpts over SMTP to smtp (HOST:PORT). */
int release_send(const char *smtp, const char *sender, const char *const *rcpts,
		 size_t nrcpts, const char *header, struct span message,
		 char *err, size_t errlen);

#endif
