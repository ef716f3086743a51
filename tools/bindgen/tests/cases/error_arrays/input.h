#include <stdint.h>
typedef struct point { int32_t x; int32_t y; } point;
typedef struct polygon { point corners[4]; } polygon;
typedef struct matrix { float cells[3][3]; } matrix;
typedef struct names { const char* list[2]; } names;
typedef enum color { RED = 0 } color;
typedef struct palette { color colors[2]; } palette;
void takes_array_pointer(int32_t (*rows)[4]);
