#include <stdint.h>
typedef union value { int32_t i; float f; } value;
void set_value(union value* v);
