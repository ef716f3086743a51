/* Every mappable scalar type. Fixed-width typedefs map by name, so int64_t is long on every OS. */
#include <stddef.h>
#include <stdint.h>

void fixed_width(int8_t a, uint8_t b, int16_t c, uint16_t d, int32_t e, uint32_t f, int64_t g, uint64_t h);
void pointer_sized(size_t a, ptrdiff_t b, intptr_t c, uintptr_t d);
void builtins(char a, signed char b, unsigned char c, short d, unsigned short e, int f, unsigned int g,
              long long h, unsigned long long i, float j, double k);

/* A typedef of a primitive resolves to it and is recorded as the native type name. */
typedef int32_t my_bool;
typedef my_bool my_bool_again;
my_bool_again convert(my_bool value);

uint64_t ret_u64(void);
double ret_double(void);
float ret_float(void);
size_t ret_size(void);
void ret_void(void);
