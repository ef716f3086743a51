/* Structs: primitive fields, fixed arrays, nested structs, enum and pointer fields. */
#include <stddef.h>
#include <stdint.h>

#define NAME_LEN 16

typedef enum mode { MODE_A = 0, MODE_B = 1 } mode;

/* Padding after `flag` comes from double's alignment, as in C# sequential layout. */
typedef struct inner {
  uint8_t flag;
  double value;
} inner;

typedef struct outer {
  char name[NAME_LEN]; /* NUL-terminated */
  int64_t dims[4];
  uint8_t bytes[3];
  float weights[2];
  inner nested;
  mode m;
  void* user;
  const char* label;
  size_t count;
  uint16_t small;
} outer;

struct no_typedef {
  int a;
  unsigned short b;
  signed char c;
  unsigned char d[5];
};

/* Blittable structs may cross by value. */
outer make_outer(inner by_value, const outer* source);
void use_no_typedef(struct no_typedef* p, struct no_typedef by_value);
