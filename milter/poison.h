/*
 * poison - remembers which messages (by SHA-256) crashed a scan worker,
 * so that a message that kills the scanner is not scanned again and
 * again: after poison_crashes crashes it is answered by on_poison.
 * Bounded: the last POISON_SLOTS messages are remembered.
 */
#ifndef KENSA_POISON_H
#define KENSA_POISON_H

#define POISON_SLOTS 1024

unsigned poison_crashes(const char *sha256);
void poison_record(const char *sha256);

#endif
