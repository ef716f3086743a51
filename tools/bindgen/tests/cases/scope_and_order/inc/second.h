#ifndef SECOND_H
#define SECOND_H
#include <stdint.h>

#define SECOND_CONSTANT 2

typedef enum second_kind { SECOND_A = 0 } second_kind;

typedef struct second_info {
  int32_t value;
} second_info;

int32_t second_function(second_kind kind, second_info* info);

#endif
