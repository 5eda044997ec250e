/*
 * testutil - helpers the cmocka unit tests share: reading a sample file
 * whole, and the group setup/teardown that starts and stops GMime.
 */
#ifndef KENSA_TESTUTIL_H
#define KENSA_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

uint8_t *test_read_file(const char *path, size_t *len);
int test_gmime_setup(void **state);
int test_gmime_teardown(void **state);

#endif
