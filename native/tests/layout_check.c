/* The C11 half of layout_test.cpp: compiling this file is the check. */
#include "layout_expectations.g.h"

int snn_layout_checked_in_c11(void) { return 1; }
