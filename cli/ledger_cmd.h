/*
 * ledger_cmd - `kensa ledger record|show|stats|expire`: seed the thread
 * ledger from a Sent folder (files, Maildir or mbox: each message is
 * recorded as outbound, with its To/Cc/Bcc as recipients), look a
 * Message-ID up, count the entries, remove expired ones.
 */
#ifndef KENSA_LEDGER_CMD_H
#define KENSA_LEDGER_CMD_H

int ledger_cmd(int argc, char **argv);

#endif
