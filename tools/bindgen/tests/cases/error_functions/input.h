#include <stdint.h>
int32_t no_prototype();
static inline int32_t inline_helper(int32_t x) { return x + 1; }
static int32_t static_function(int32_t x);
extern int32_t global_counter;
