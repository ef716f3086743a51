#include <stdint.h>
typedef struct { int32_t x; } unnamed_struct;
typedef enum { UNNAMED_A = 0 } unnamed_enum;
struct with_members {
  struct { int32_t a; } inner;
  union { int32_t b; float c; };
};
