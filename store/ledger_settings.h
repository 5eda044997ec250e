/*
 * ledger_settings - the ledger kensa.yaml describes (ledger.*): where it
 * is ("" is state_dir/ledger, "off" is none) and how it is opened.
 */
#ifndef KENSA_LEDGER_SETTINGS_H
#define KENSA_LEDGER_SETTINGS_H

#include "../policy/settings.h"
#include "ledger.h"

/* location overrides ledger.location (kensa --ledger); NULL keeps it.
 * 1 opened, 0 no ledger configured, -1 failed (*error says why). */
int ledger_open_settings(const struct settings *s, const char *location,
			 int readonly, struct ledger **out, char **error);

#endif
