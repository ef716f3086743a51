#include <stdint.h>
typedef struct flags {
  uint32_t ready : 1;
  uint32_t mode : 3;
} flags;
