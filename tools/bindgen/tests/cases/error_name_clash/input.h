#include <stdint.h>
typedef struct Methods { int32_t a; } Methods;
typedef struct node { int32_t node; } node;
