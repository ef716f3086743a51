#include <stdint.h>
typedef struct samples { int32_t count; float data[]; } samples;
