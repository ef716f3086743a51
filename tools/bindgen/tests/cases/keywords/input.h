/* C names that are C# keywords get C#'s @ prefix; unnamed parameters get placeholder names. */
#include <stdint.h>

typedef struct holder {
  int32_t base;
  int32_t params[2];
  float object;
} holder;

typedef enum event { checked = 0, fixed = 1 } event;

int32_t lock(holder* params, int32_t out, const char* string, int32_t in, event ref, int32_t value, int32_t);
