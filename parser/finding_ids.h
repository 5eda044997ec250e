/*
 * finding_ids - the vocabulary of finding ids (DESIGN.md, documented in
 * kensa-findings(7)), for tools that check policies against it. yara.RULE
 * ids are open-ended and not listed.
 */
#ifndef KENSA_FINDING_IDS_H
#define KENSA_FINDING_IDS_H

extern const char *const finding_ids[]; /* NULL-terminated */

#endif
