/*
 * scan_cmd - `kensa scan` and `kensa policy check`.
 * Exit status: 0 all accepted or tagged, 1 something quarantined or
 * rejected, 2 usage or I/O error.
 */
#ifndef KENSA_SCAN_CMD_H
#define KENSA_SCAN_CMD_H

int scan_cmd(int argc, char **argv);
int policy_check_cmd(const char *path);

#endif
