#ifndef FIRST_H
#define FIRST_H
#include "inc/second.h"

#define FIRST_CONSTANT 1

void first_function(const second_info* info);

#endif
