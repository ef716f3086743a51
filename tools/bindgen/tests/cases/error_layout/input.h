#include <stdint.h>
typedef struct __attribute__((packed)) packed_pair { uint8_t tag; uint32_t value; } packed_pair;
typedef struct __attribute__((aligned(16))) aligned_pair { uint32_t a; uint32_t b; } aligned_pair;
typedef struct empty_struct { } empty_struct;
