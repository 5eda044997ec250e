/*
 * wire - length-prefixed messages between the daemon and its scan
 * workers over a socketpair, optionally carrying one file descriptor
 * (SCM_RIGHTS). A frame is a 4-byte length then the bytes; frames over
 * WIRE_MAX_FRAME are refused, so a confused peer cannot make us allocate.
 */
#ifndef KENSA_WIRE_H
#define KENSA_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define WIRE_MAX_FRAME (64u << 20)

int wire_send(int sock, const void *buf, size_t len, int fd);
/* Returns 0 and a malloc'd frame, 1 at end of file, -1 on error. */
int wire_recv(int sock, char **buf, size_t *len, int *fd);

#endif
