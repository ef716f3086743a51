#include <stdbool.h>
void takes_long(long a);
void takes_unsigned_long(unsigned long a);
bool returns_bool(void);
void takes_long_double(long double a);
typedef struct holds_bool { bool flag; } holds_bool;
