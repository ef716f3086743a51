#include <stdint.h>
int32_t log_message(const char* format, ...);
