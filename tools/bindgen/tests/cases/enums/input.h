/* Enums keep their C names and values; the C# enum is int-based. */
#include <stdint.h>

/* Colors, with a comment that becomes the enum's summary. */
typedef enum color {
  COLOR_RED = 0,
  COLOR_GREEN = 1,
  COLOR_BLUE = 4 /* values need not be dense */
} color;

enum signed_values { SV_MIN = -2147483647 - 1, SV_NEG = -2, SV_ZERO = 0, SV_MAX = 2147483647 };

typedef enum implicit_values { IV_A, IV_B, IV_C = 10, IV_D } implicit_values;

/* A typedef'd enum is used by name; a bare one keeps "enum x" as its native type name. */
color pick(color c, enum signed_values s, implicit_values i);
